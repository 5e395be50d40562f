// A DAR resolver from the settings, for commands and the import: the base URL (`moflow.dar.base_url`,
// default the public service), the cache in PostgreSQL — the database DATABASE_URL names, shared with the
// local MO under its own tables, or else the embedded server under the data folder, database moflow_dar.
import { darKeys, localMoKeys } from '../config/keys.js';
import type { Settings } from '../config/load.js';
import { DarCache, type DarCacheOptions } from './cache.js';
import { createDarClient, DEFAULT_DAR_BASE_URL, type DarClientOptions } from './client.js';
import { postalKey } from '../sync/prepare.js';
import { createDarResolver, summary, zeroStats, type DarResolver, type DarResolverOptions } from './resolver.js';
import { dataDirOf } from '../config/dataDir.js';

export interface DarSetup {
  resolver: DarResolver;
  baseUrl: string;
  /** Where the cache lives, for people. */
  cacheLocation: string;
  /** One line on what DAR did this run, for reports. */
  summary(): string;
  close(): Promise<void>;
}

export interface OpenDarOptions {
  log?: (message: string) => void;
  client?: Omit<DarClientOptions, 'baseUrl' | 'log'>;
  cache?: DarCacheOptions;
  resolver?: Pick<DarResolverOptions, 'concurrency' | 'outageAfter' | 'ignoreCachedAnswers'>;
}

export async function openDarResolver(settings: Settings, options: OpenDarOptions = {}): Promise<DarSetup> {
  const log = options.log;
  if (settings.get(darKeys.enabled) === false) return disabled();
  const baseUrl = settings.get(darKeys.baseUrl) ?? DEFAULT_DAR_BASE_URL;
  const cache = await DarCache.open({
    databaseUrl: settings.get(localMoKeys.databaseUrl) ?? null,
    dataDir: dataDirOf(settings),
    ...options.cache,
    ...(log ? { log } : {}),
  });
  // Each retry is not news to an operator: the resolver sums the outage up once per run.
  const client = createDarClient({ ...options.client, baseUrl });
  const resolver = createDarResolver({ ...options.resolver, client, cache, ...(log ? { log } : {}) });
  return { resolver, baseUrl: client.baseUrl, cacheLocation: cache.location ?? '(shared pool)', summary: () => summary(resolver.stats), close: () => cache.close() };
}

/** DAR switched off (moflow.dar.enabled false): nothing is looked up, postal addresses stay as MO has them. */
function disabled(): DarSetup {
  const stats = zeroStats();
  const resolver = Object.assign(
    async (addresses: { street: string; postalCode: string }[]) => {
      stats.asked += addresses.length;
      return new Map(addresses.map((a) => [postalKey(a.street, a.postalCode), { kind: 'keep' as const, why: 'DAR look-ups are switched off (moflow.dar.enabled)' }]));
    },
    { stats },
  );
  const line = () => `DAR look-ups are switched off (moflow.dar.enabled): ${stats.asked} postal address(es) left as MO has them`;
  return { resolver, baseUrl: '(off)', cacheLocation: '(none)', summary: line, close: async () => {} };
}
