// The local OS2MO-compatible service as one object: storage (a PostgreSQL URL or the embedded server),
// migrations and bootstrap, the HTTP server. `moflow mo serve`, `npm start` and the tests start it here.
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { runMigrations } from '../db/migrations.js';
import { openPostgres } from '../db/postgres.js';
import { TokenIssuer, type LocalMoAuth } from './auth.js';
import { DarService } from './dar.js';
import { GraphQLExecutor } from './execute.js';
import { createLocalMoServer } from './http.js';
import { LOCAL_MO_MIGRATIONS } from './migrations.js';
import { localMoSchema } from './schema.js';
import { parseSqlTimestamp } from './time.js';
import { listen } from '../util/ports.js';

export interface LocalMoOptions {
  /** A PostgreSQL URL; null: the embedded PostgreSQL under `<dataDir>/postgres`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Database name on the embedded server (default moflow_mo). */
  database?: string;
  /** HTTP port; 0 picks a free one (default 5000). */
  port?: number;
  /** When given and the port is taken: listen on a free port instead, and say which here. */
  portTaken?: (instead: number) => void;
  host?: string;
  auth?: LocalMoAuth | null;
  darBaseUrl?: string | null;
  /** Lifetime of issued tokens (default 300 s). */
  tokenLifetimeSeconds?: number;
  log?: (message: string) => void;
}

export interface LocalMo {
  /** Base URL, as `mora.base` for the client: http://127.0.0.1:5000 */
  readonly url: string;
  /** http://127.0.0.1:5000/graphql/v30 */
  readonly graphqlUrl: string;
  /** Where the data lives, for people. */
  readonly dataLocation: string;
  readonly embedded: boolean;
  /** Who may read it, for the start-up line: without auth, anyone on this machine reads every CPR number. */
  readonly access: string;
  /** Stops accepting requests, waits for running ones, closes the database (and the embedded server). */
  stop(): Promise<void>;
}

/** timestamptz as epoch ms (±Infinity): the storage works in instants, not Date objects. */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.TIMESTAMPTZ ? parseSqlTimestamp : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export async function startLocalMo(options: LocalMoOptions): Promise<LocalMo> {
  const log = options.log ?? (() => {});
  localMoSchema();
  const db = await openPostgres({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    database: options.database ?? 'moflow_mo',
    maxConnections: 8,
    types: TYPES,
    log,
  });
  try {
    await runMigrations(db.pool, LOCAL_MO_MIGRATIONS, { log });
    // Fresh planner statistics from the first query on (a restored or bulk-loaded database may have none).
    await db.pool.query('ANALYZE mo_slice, mo_object');
    const dar = new DarService(options.darBaseUrl ?? null, log);
    const executor = new GraphQLExecutor(db.pool, dar, log);
    const tokens = new TokenIssuer(options.auth ?? null, options.tokenLifetimeSeconds ?? 300);
    const server = createLocalMoServer({ executor, tokens, pool: db.pool, log });
    const host = options.host ?? '127.0.0.1';
    await listen(server, options.port ?? 5000, host, options.portTaken);
    const { port } = server.address() as AddressInfo;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    let stopping: Promise<void> | null = null;
    return {
      url,
      graphqlUrl: `${url}/graphql/v30`,
      dataLocation: db.location,
      embedded: db.embedded,
      access: options.auth
        ? 'tokens required'
        : `no authentication: it listens on ${host} (this machine) only, where any user can read every CPR number; set moflow.mo.auth.client_id and client_secret to require tokens`,
      stop() {
        stopping ??= (async () => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          await closed;
          await db.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
