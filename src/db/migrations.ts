// A tiny migrations runner: ordered migrations, each applied once in its own transaction and recorded in
// `schema_migrations`. An advisory lock makes concurrent starts (two processes on one database) safe.
import type pg from 'pg';

export interface Migration {
  /** Unique and ordered, e.g. '001_tables'. Never rename or change an applied migration: add a new one. */
  id: string;
  up: string | ((client: pg.PoolClient) => Promise<void>);
}

export interface MigrationOptions {
  /** Table recording applied migrations (default schema_migrations). */
  table?: string;
  log?: (message: string) => void;
}

/** Applies the migrations not yet applied, in order; returns their ids. */
export async function runMigrations(pool: pg.Pool, migrations: readonly Migration[], options: MigrationOptions = {}): Promise<string[]> {
  const table = options.table ?? 'schema_migrations';
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad migrations table name ${table}`);
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new Error(`duplicate migration ids in ${ids.join(', ')}`);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext($1))`, [`moflow-migrations:${table}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ id: string }>(`SELECT id FROM ${table}`)).rows.map((r) => r.id));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await client.query('BEGIN');
      try {
        if (typeof migration.up === 'string') await client.query(migration.up);
        else await migration.up(client);
        await client.query(`INSERT INTO ${table} (id) VALUES ($1)`, [migration.id]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(migration.id);
      options.log?.(`applied migration ${migration.id}`);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`moflow-migrations:${table}`]).catch(() => {});
    client.release();
  }
  return applied;
}
