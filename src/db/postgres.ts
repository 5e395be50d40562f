// One way for every moflow module to get a PostgreSQL database: the server named by a URL when the operator
// gave one, otherwise the embedded server under the data folder (shared by all modules of the process, each
// with its own database). The database is created when missing.
import { join } from 'node:path';
import pg from 'pg';
import { acquireEmbeddedPostgres } from './embeddedPostgres.js';

export interface OpenPostgresOptions {
  /** A PostgreSQL URL; null: the embedded server with its data under `<dataDir>/postgres`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Database name on the embedded server (a URL names its own database). */
  database: string;
  /** Pool size (default 8). */
  maxConnections?: number;
  /** pg type parsers for this pool only (e.g. timestamps kept as text). */
  types?: pg.CustomTypesConfig;
  log?: (message: string) => void;
}

export interface PostgresHandle {
  readonly pool: pg.Pool;
  /** Where the data lives, for people: the URL without password, or the embedded folder. */
  readonly location: string;
  /** The libpq URL of the database (may carry the password given in DATABASE_URL). */
  readonly url: string;
  readonly embedded: boolean;
  /** Ends the pool and releases the embedded server (stopped when no other module uses it). */
  close(): Promise<void>;
}

export async function openPostgres(options: OpenPostgresOptions): Promise<PostgresHandle> {
  const log = options.log ?? (() => {});
  if (options.databaseUrl) {
    const url = options.databaseUrl;
    await ensureDatabase(url);
    const pool = newPool(url, options);
    return { pool, url, location: withoutPassword(url), embedded: false, close: () => pool.end() };
  }
  const server = await acquireEmbeddedPostgres(join(options.dataDir, 'postgres'), log);
  try {
    const url = server.url(options.database);
    await ensureDatabase(url);
    const pool = newPool(url, options);
    let closed = false;
    return {
      pool,
      url,
      location: `${server.dataDir} (embedded PostgreSQL, database ${options.database}; psql -h ${server.socketDir} -U ${server.superuser} ${options.database})`,
      embedded: true,
      async close() {
        if (closed) return;
        closed = true;
        await pool.end();
        await server.release();
      },
    };
  } catch (error) {
    await server.release();
    throw error;
  }
}

function newPool(url: string, options: OpenPostgresOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 8, ...(options.types ? { types: options.types } : {}) });
  // An idle client losing its connection (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (error) => options.log?.(`PostgreSQL connection lost: ${error.message}`));
  return pool;
}

/** Creates the URL's database when it does not exist, connecting to the server's `postgres` database. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new pg.Client({ connectionString: url });
  try {
    await target.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw describeConnectError(error, url);
  } finally {
    await target.end().catch(() => {});
  }
  const database = databaseOf(url);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } catch (error) {
    // Another process created it in the meantime.
    if ((error as { code?: string }).code === '42P04') return;
    throw describeConnectError(error, url);
  } finally {
    await admin.end().catch(() => {});
  }
}

function databaseOf(url: string): string {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`the PostgreSQL URL ${withoutPassword(url)} names no database`);
  return name;
}

export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable PostgreSQL URL)';
  }
}

function describeConnectError(error: unknown, url: string): Error {
  const message = (error as Error).message;
  return new Error(`cannot use PostgreSQL at ${withoutPassword(url)}: ${message}`, { cause: error });
}
