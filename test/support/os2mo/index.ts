// A real OS2MO 66.1.2 for tests and for debugging by hand: installed once per machine, on a copy of a
// migrated template database, behind a Keycloak stand-in, with OS2MO's DAR client pointed at a local DAR
// stand-in. `startOs2mo` gives one running instance; `useOs2mo` (./hooks.ts) ties one to a test's life.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOOTSTRAP_CLASSES, BOOTSTRAP_FACETS } from '../../../src/localmo/bootstrap.js';
import type { MoClientOptions } from '../../../src/mo/index.js';
import { md5Uuid } from '../../../src/sync/uuids.js';
import { postGraphQL } from '../localmo.js';
import { startAutoAnalyze } from './analyze.js';
import { copyDatabase, databaseExists, dropAbandonedBuilds, databaseOf, dropDatabase, migrate, renameDatabase, templateName, type Os2moState } from './database.js';
import { installOs2mo, type Os2moInstall } from './install.js';
import { READER_ROLES, TokenService, WRITER_ROLES, type TokenClient } from './keycloak.js';
import { alive, startOs2moProcess, type Os2moProcess } from './server.js';

export type { Os2moState } from './database.js';
export { os2moUnavailable } from './install.js';

/** The client moflow uses (full rights) and one with read rights only. */
export const WRITER = { clientId: 'moflow', clientSecret: 'moflow-test-secret' } as const;
export const READER = { clientId: 'moflow-reader', clientSecret: 'moflow-reader-secret' } as const;

/** The Keycloak clients every instance knows: moflow's writer and a reader. */
export function standardClients(): Record<string, TokenClient> {
  return {
    [WRITER.clientId]: { secret: WRITER.clientSecret, roles: WRITER_ROLES },
    [READER.clientId]: { secret: READER.clientSecret, roles: READER_ROLES },
  };
}

export interface Os2moOptions {
  state?: Os2moState;
  darBaseUrl?: string | null;
  workers?: number;
  port?: number;
  keycloakPort?: number;
  /** A Keycloak stand-in already runs on keycloakPort (the by-hand instance's own process). */
  externalKeycloak?: boolean;
  /** Database name (default: a fresh random one, dropped on stop). */
  database?: string;
  /** Keep the database on stop (the by-hand instance). */
  keepDatabase?: boolean;
  detached?: boolean;
  log?: (line: string) => void;
}

export interface Os2moInstance {
  /** mora.base */
  readonly url: string;
  readonly graphqlUrl: string;
  /** Keycloak's base URL (`crontab.AUTH_SERVER`). */
  readonly authServer: string;
  readonly database: string;
  readonly process: Os2moProcess;
  /** The Keycloak stand-in this instance started (null when it uses an external one). */
  readonly tokens: TokenService | null;
  readonly logFile: string;
  /** Client options for moflow's client with the writer's credentials (the production auth path). */
  clientOptions(credentials?: { clientId: string; clientSecret: string }): MoClientOptions;
  stop(): Promise<void>;
}

/** Ensures both template databases of this installation exist; returns the installation. */
export async function prepareOs2mo(log: (line: string) => void = () => {}): Promise<Os2moInstall> {
  const install = await installOs2mo(log);
  const bare = templateName(install, 'bare');
  if (!(await databaseExists(bare))) {
    const started = Date.now();
    log(`migrating OS2MO's template database ${bare} (once per installation)`);
    await dropAbandonedBuilds(bare, alive);
    const building = await copyDatabase(null, `${bare}_building_${process.pid}`);
    migrate(install, databaseOf(building));
    await renameDatabase(building, bare).catch(async (error) => {
      // Another process published it first: theirs is as good as ours.
      await dropDatabase(building);
      if (!(await databaseExists(bare))) throw error;
    });
    log(`migrated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const boot = templateName(install, 'bootstrapped');
  if (!(await databaseExists(boot))) {
    log(`bootstrapping ${boot} with OS2MO-Init's facets and classes`);
    await dropAbandonedBuilds(boot, alive);
    const building = await copyDatabase(bare, `${boot}_building_${process.pid}`);
    const session = randomUUID();
    const tokens = await TokenService.start({});
    const logFile = join(mkdtempSync(join(tmpdir(), 'moflow-os2mo-')), 'bootstrap.log');
    const mo = await startOs2moProcess({ install, db: databaseOf(building), keycloakPort: tokens.port, legacySessions: [session], logFile });
    try {
      await bootstrap(`${mo.url}/graphql/v30`, session);
    } finally {
      await mo.stop();
      await tokens.stop();
    }
    await renameDatabase(building, boot).catch(async (error) => {
      await dropDatabase(building);
      if (!(await databaseExists(boot))) throw error;
    });
  }
  return install;
}

/** What OS2MO-Init gives a new installation: the standard facets and classes, found by user_key. Their
 * uuids are OS2MO-Init's own (random there; fixed here, and unlike the local MO's), so moflow must find
 * them by user_key as it does in production. */
async function bootstrap(graphqlUrl: string, session: string): Promise<void> {
  const uuidOf = (name: string) => md5Uuid(`os2mo-init:${name}`);
  // No bulk create exists for facets and classes: aliased single mutations, one request per kind.
  const send = async (kind: 'facet' | 'class', inputs: unknown[]) => {
    const type = kind === 'facet' ? 'FacetCreateInput' : 'ClassCreateInput';
    const query = `mutation (${inputs.map((_, i) => `$i${i}: ${type}!`).join(', ')}) { ${inputs.map((_, i) => `m${i}: ${kind}_create(input: $i${i}) { uuid }`).join(' ')} }`;
    const answer = await postGraphQL(graphqlUrl, query, Object.fromEntries(inputs.map((input, i) => [`i${i}`, input])), { session });
    if (answer.errors.length > 0) throw new Error(`bootstrapping OS2MO failed: ${JSON.stringify(answer.errors).slice(0, 2000)}`);
  };
  await send(
    'facet',
    BOOTSTRAP_FACETS.map((userKey) => ({ uuid: uuidOf(`facet:${userKey}`), user_key: userKey, validity: { from: null } })),
  );
  await send(
    'class',
    BOOTSTRAP_CLASSES.map(([facet, userKey, name, scope]) => ({
      uuid: uuidOf(`class:${facet}:${userKey}`),
      user_key: userKey,
      name,
      scope,
      facet_uuid: uuidOf(`facet:${facet}`),
      validity: { from: null },
    })),
  );
}

/** Starts OS2MO with its own database copy and Keycloak stand-in. */
export async function startOs2mo(options: Os2moOptions = {}): Promise<Os2moInstance> {
  const log = options.log ?? (() => {});
  const install = await prepareOs2mo(log);
  const database = await copyDatabase(templateName(install, options.state ?? 'bootstrapped'), options.database);
  const tokens = options.externalKeycloak ? null : await TokenService.start(standardClients(), { port: options.keycloakPort });
  const keycloakPort = tokens?.port ?? options.keycloakPort;
  if (keycloakPort === undefined) throw new Error('externalKeycloak needs keycloakPort');
  const authServer = `http://127.0.0.1:${keycloakPort}/auth`;
  const logFile = join(mkdtempSync(join(tmpdir(), 'moflow-os2mo-')), 'os2mo.log');
  let mo: Os2moProcess;
  try {
    mo = await startOs2moProcess({
      install,
      db: databaseOf(database),
      keycloakPort,
      darBaseUrl: options.darBaseUrl ?? null,
      workers: options.workers,
      port: options.port,
      logFile,
      detached: options.detached,
    });
  } catch (error) {
    await tokens?.stop();
    if (!options.keepDatabase) await dropDatabase(database);
    throw error;
  }
  // CI's PostgreSQL has autovacuum off: analyse as autovacuum would while the instance runs (see analyze.ts).
  const analyzer = options.detached ? null : startAutoAnalyze(database);
  return {
    url: mo.url,
    graphqlUrl: `${mo.url}/graphql/v30`,
    authServer,
    database,
    process: mo,
    tokens,
    logFile,
    clientOptions: (credentials = WRITER) => ({
      baseUrl: mo.url,
      auth: { tokenUrl: `${authServer}/realms/mo/protocol/openid-connect/token`, ...credentials },
      timeoutMs: 120_000,
    }),
    async stop() {
      await analyzer?.stop();
      await mo.stop();
      await tokens?.stop();
      if (!options.keepDatabase) await dropDatabase(database);
    },
  };
}
