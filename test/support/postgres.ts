// Tests run against a real PostgreSQL: TEST_DATABASE_URL, else the local server on 127.0.0.1:5432 (trust
// auth, user postgres). Each test file gets a fresh database, dropped afterwards. Outside CI an unreachable
// server skips the tests with what to do; in CI (env CI set) it fails them.
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import pg from 'pg';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server to create test databases on (its own database is only used to create and drop them). */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL;
}

let reachable: Promise<string | false> | null = null;

/** A skip reason for `describe` when PostgreSQL cannot be reached, or false. In CI it throws instead. */
export async function postgresSkip(): Promise<string | false> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      return false as const;
    } catch (error) {
      return `PostgreSQL at ${adminUrl()} is unreachable (${(error as Error).message}); install and start it (apt-get install postgresql) or set TEST_DATABASE_URL`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  const reason = await reachable;
  if (reason && process.env.CI) throw new Error(`CI needs PostgreSQL: ${reason}`);
  return reason;
}

function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createTestDatabase(prefix = 'moflow_test'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return urlFor(name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** A fresh database for the enclosing `describe`: created in `before`, dropped in `after`. */
export function useTestDatabase(prefix?: string): { readonly url: string } {
  let url: string | undefined;
  before(async () => {
    url = await createTestDatabase(prefix);
  });
  after(async () => {
    if (url) await dropTestDatabase(url);
  });
  return {
    get url() {
      if (!url) throw new Error('the test database exists only inside tests');
      return url;
    },
  };
}
