// src/db: a database named by URL is created when missing, and migrations run once each, in order, also
// when two runners start at the same time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { runMigrations, type Migration } from '../../src/db/migrations.js';
import { openPostgres, withoutPassword } from '../../src/db/postgres.js';
import { dropTestDatabase, postgresSkip, useTestDatabase, adminUrl } from '../support/postgres.js';

const skip = await postgresSkip();

describe('PostgreSQL plumbing', { skip }, () => {
  const db = useTestDatabase('moflow_test_db');

  it('creates the URL’s database when it does not exist', async () => {
    const url = new URL(adminUrl());
    url.pathname = `/moflow_test_created_${Date.now()}`;
    const handle = await openPostgres({ databaseUrl: url.toString(), dataDir: '/nonexistent', database: 'ignored' });
    try {
      assert.equal(handle.embedded, false);
      const row = await handle.pool.query('SELECT current_database() AS name');
      assert.equal(row.rows[0].name, url.pathname.slice(1));
    } finally {
      await handle.close();
      await dropTestDatabase(url.toString());
    }
  });

  it('applies migrations in order, once, recording them; concurrent runners do not collide', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    try {
      const migrations: Migration[] = [
        { id: '001_a', up: 'CREATE TABLE a (n int)' },
        { id: '002_b', up: async (client) => void (await client.query('INSERT INTO a VALUES (1)')) },
      ];
      const [first, second] = await Promise.all([runMigrations(pool, migrations), runMigrations(pool, migrations)]);
      assert.deepEqual([...first, ...second].sort(), ['001_a', '002_b']);
      assert.deepEqual(await runMigrations(pool, migrations), []);
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM a')).rows[0].n, 1);
      const recorded = await pool.query('SELECT id FROM schema_migrations ORDER BY id');
      assert.deepEqual(recorded.rows.map((r) => r.id), ['001_a', '002_b']);
      // A failing migration rolls back entirely and names itself.
      await assert.rejects(runMigrations(pool, [...migrations, { id: '003_bad', up: 'INSERT INTO a VALUES (2); SELECT nonsense' }]), /migration 003_bad failed/);
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM a')).rows[0].n, 1);
    } finally {
      await pool.end();
    }
  });

  it('never shows a password in where the data lives', () => {
    assert.equal(withoutPassword('postgres://moflow:hemmelig@db:5432/mo'), 'postgres://moflow:***@db:5432/mo');
  });
});
