// A DAR resolver from the settings, for commands and the import: the base URL (`moflow.dar.base_url`,
// default the public service), the cache in PostgreSQL — the database DATABASE_URL names, shared with the
// local MO under its own tables, or else the embedded server under the data folder, database moflow_dar.
import { join, resolve } from 'node:path';
import { darKeys, generalKeys, localMoKeys } from '../config/keys.js';
import type { Settings } from '../config/load.js';
import { PROJECT_ROOT } from '../temporal/binary.js';
import { DarCache, type DarCacheOptions } from './cache.js';
import { createDarClient, DEFAULT_DAR_BASE_URL, type DarClientOptions } from './client.js';
import { createDarResolver, type DarResolver, type DarResolverOptions } from './resolver.js';

export interface DarSetup {
  resolver: DarResolver;
  baseUrl: string;
  /** Where the cache lives, for people. */
  cacheLocation: string;
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
  const baseUrl = settings.get(darKeys.baseUrl) ?? DEFAULT_DAR_BASE_URL;
  const cache = await DarCache.open({
    databaseUrl: settings.get(localMoKeys.databaseUrl) ?? null,
    dataDir: resolve(settings.get(generalKeys.dataDir) ?? join(PROJECT_ROOT, 'data')),
    ...options.cache,
    ...(log ? { log } : {}),
  });
  const client = createDarClient({ ...options.client, baseUrl, ...(log ? { log } : {}) });
  const resolver = createDarResolver({ ...options.resolver, client, cache, ...(log ? { log } : {}) });
  return { resolver, baseUrl: client.baseUrl, cacheLocation: cache.location ?? '(shared pool)', close: () => cache.close() };
}
