// OS2MO's databases on the PostgreSQL the tests already use. Migrating takes half a minute, copying a
// database a second: so each installation migrates once into a template ("bare": the root organisation
// only, as OS2MO's migrations leave it), bootstraps a second template from it ("bootstrapped": the facets
// and classes OS2MO-Init gives a municipality), and every test gets its own copy of one of them.
// Both templates hold the same root organisation, so one OS2MO start-up cache fits every copy.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminUrl } from '../postgres.js';
import type { Os2moInstall } from './install.js';

/** The role OS2MO connects as: a normal owner, not a superuser (as in production). */
export const OS2MO_ROLE = 'moflow_os2mo';
const OS2MO_PASSWORD = 'moflow-os2mo';

export type Os2moState = 'bare' | 'bootstrapped';

export interface Os2moDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function databaseOf(name: string): Os2moDatabase {
  const url = new URL(adminUrl());
  return { host: url.hostname, port: Number(url.port || 5432), user: OS2MO_ROLE, password: OS2MO_PASSWORD, name };
}

/** Environment OS2MO reads its database settings from. */
export function databaseEnv(db: Os2moDatabase): Record<string, string> {
  return { DB_HOST: db.host, DB_PORT: String(db.port), DB_USER: db.user, DB_PASSWORD: db.password, DB_NAME: db.name };
}

export const templateName = (install: Os2moInstall, state: Os2moState): string => `moflow_os2mo_${install.hash}_${state === 'bare' ? 'bare' : 'boot'}`;

async function exists(client: pg.Client, name: string): Promise<boolean> {
  return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
}

/** Copies `template` (or creates an empty database) owned by OS2MO's role; returns its name. */
export async function copyDatabase(template: string | null, name = `moflow_os2mo_test_${randomBytes(5).toString('hex')}`): Promise<string> {
  await withAdmin(async (client) => {
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${OS2MO_ROLE}') THEN CREATE ROLE ${OS2MO_ROLE} LOGIN PASSWORD '${OS2MO_PASSWORD}'; END IF;
    END $$`);
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} OWNER ${OS2MO_ROLE}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ''}`);
    if (template) await copySettings(client, template, name);
  });
  return name;
}

/** A copy does not inherit the template's `ALTER DATABASE … SET` (OS2MO's first migration sets search_path,
 * DateStyle, IntervalStyle and TimeZone there, and its SQL depends on them): carry them over. */
async function copySettings(client: pg.Client, template: string, name: string): Promise<void> {
  const { rows } = await client.query<{ setting: string }>(
    `SELECT unnest(s.setconfig) AS setting FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1 AND s.setrole = 0`,
    [template],
  );
  for (const { setting } of rows) {
    const eq = setting.indexOf('=');
    const key = setting.slice(0, eq);
    if (!/^[A-Za-z_.]+$/.test(key)) throw new Error(`unexpected database setting ${key} on ${template}`);
    const value = setting.slice(eq + 1);
    // search_path is a list of names; every other setting here is one value.
    const sql = key === 'search_path' ? value.split(',').map((part) => pg.escapeIdentifier(part.trim())).join(', ') : pg.escapeLiteral(value);
    await client.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} SET ${key} TO ${sql}`);
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}

export async function renameDatabase(from: string, to: string): Promise<void> {
  await withAdmin((client) => client.query(`ALTER DATABASE ${pg.escapeIdentifier(from)} RENAME TO ${pg.escapeIdentifier(to)}`));
}

/** Drops half-built templates (`<name>_building_<pid>`) left by a process that died while building them. */
export async function dropAbandonedBuilds(template: string, alive: (pid: number) => boolean): Promise<void> {
  const { rows } = await withAdmin((client) => client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${template}_building_`]));
  for (const { datname } of rows) {
    const pid = Number(datname.slice(`${template}_building_`.length));
    if (Number.isInteger(pid) && !alive(pid)) await dropDatabase(datname);
  }
}

export async function databaseExists(name: string): Promise<boolean> {
  return withAdmin((client) => exists(client, name));
}

/** Runs OS2MO's migrations (alembic upgrade head) into a database. */
export function migrate(install: Os2moInstall, db: Os2moDatabase): void {
  const result = spawnSync(install.python, ['-m', 'moflow_alembic'], {
    cwd: install.srcDir,
    env: { ...process.env, ...databaseEnv(db) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const tail = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`OS2MO's migrations failed on database ${db.name} (exit ${result.status ?? result.signal}):\n${tail}`);
  }
}
