// The DAR cache in a real PostgreSQL: hits and misses kept with their look-up time, misses expiring,
// hits refreshed, unused entries forgotten, and many keys read and written in one statement each.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { DarCache } from '../../src/dar/cache.js';
import { createTestDatabase, dropTestDatabase, postgresSkip } from '../support/postgres.js';

const skip = await postgresSkip();
const DAY = 24 * 60 * 60 * 1000;
const HIT = '0a3f50a0-4660-32b8-e044-0003ba298018';

describe('DAR cache', { skip }, () => {
  let dbUrl: string;
  let pool: pg.Pool;
  let clock = new Date('2025-03-01T02:00:00Z');
  const now = () => clock;
  let queries = 0;

  before(async () => {
    dbUrl = await createTestDatabase('moflow_dar_cache');
    pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      queries++;
      return query(...args);
    };
  });
  after(async () => {
    await pool?.end();
    if (dbUrl) await dropTestDatabase(dbUrl);
  });

  it('migrates once, into its own migrations table (it may share a database)', async () => {
    await DarCache.onPool(pool, { now });
    await DarCache.onPool(pool, { now });
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM dar_schema_migrations');
    assert.deepEqual(rows.map((r) => r.id), ['001_dar_postal_lookup']);
    const other = await pool.query(`SELECT to_regclass('schema_migrations') AS t`);
    assert.equal(other.rows[0].t, null);
  });

  it('keeps hits and misses; a miss expires after 7 days, a hit is refreshed after 90', async () => {
    const cache = await DarCache.onPool(pool, { now });
    await cache.write([
      { key: 'paradisæblevej 1|8880', uuid: HIT, detail: 'adresser A' },
      { key: 'ingenvej 9|8880', uuid: null, detail: 'adresser: category C (no certain match)' },
    ]);
    let read = await cache.read(['paradisæblevej 1|8880', 'ingenvej 9|8880', 'unknown|0000']);
    assert.equal(read.size, 2);
    assert.deepEqual(read.get('paradisæblevej 1|8880'), { uuid: HIT, detail: 'adresser A', lookedUpAt: clock, fresh: true });
    assert.equal(read.get('ingenvej 9|8880')?.uuid, null);
    assert.equal(read.get('ingenvej 9|8880')?.fresh, true);

    clock = new Date(clock.getTime() + 7 * DAY + 1000);
    read = await cache.read(['paradisæblevej 1|8880', 'ingenvej 9|8880']);
    assert.equal(read.get('ingenvej 9|8880')?.fresh, false, 'miss expired');
    assert.equal(read.get('paradisæblevej 1|8880')?.fresh, true, 'hit kept');

    clock = new Date(clock.getTime() + 84 * DAY);
    read = await cache.read(['paradisæblevej 1|8880']);
    assert.equal(read.get('paradisæblevej 1|8880')?.fresh, false, 'hit due for refresh after 90 days');
    const forever = await DarCache.onPool(pool, { now, refreshAfterDays: null, missTtlDays: 1000 });
    const kept = await forever.read(['paradisæblevej 1|8880', 'ingenvej 9|8880']);
    assert.equal(kept.get('paradisæblevej 1|8880')?.fresh, true);
    assert.equal(kept.get('ingenvej 9|8880')?.fresh, true, 'the miss TTL is configurable');
  });

  it('a new answer replaces the old one and restarts its clock', async () => {
    const cache = await DarCache.onPool(pool, { now });
    await cache.write([{ key: 'ingenvej 9|8880', uuid: HIT, detail: 'adgangsadresser B' }]);
    const read = await cache.read(['ingenvej 9|8880']);
    assert.deepEqual(read.get('ingenvej 9|8880'), { uuid: HIT, detail: 'adgangsadresser B', lookedUpAt: clock, fresh: true });
  });

  it('forgets entries no run has used for 180 days (addresses are personal data), keeps used ones', async () => {
    await pool.query('DELETE FROM dar_postal_lookup');
    const cache = await DarCache.onPool(pool, { now });
    await cache.write([
      { key: 'gammelvej 1|1000', uuid: HIT, detail: 'adresser A' },
      { key: 'fraflyttet 2|1000', uuid: HIT, detail: 'adresser A' },
    ]);
    const start = clock;
    clock = new Date(start.getTime() + 100 * DAY);
    await cache.read(['gammelvej 1|1000']);
    clock = new Date(start.getTime() + 200 * DAY);
    assert.equal(await cache.forgetUnused(), 1, 'unused for 200 days');
    assert.equal(await cache.size(), 1, 'read 100 days ago: kept');
    clock = new Date(start.getTime() + 281 * DAY);
    // Opening the cache forgets what has gone unused.
    const reopened = await DarCache.onPool(pool, { now });
    assert.equal(await reopened.size(), 0);
  });

  it('reads and writes 5,000 keys in one statement each (plus one marking them used)', async () => {
    const cache = await DarCache.onPool(pool, { now });
    const entries = Array.from({ length: 5000 }, (_, i) => ({ key: `vej ${i}|${1000 + (i % 8000)}`, uuid: i % 10 === 0 ? null : HIT, detail: 'x' }));
    queries = 0;
    await cache.write([...entries, entries[0]!]);
    assert.equal(queries, 1, 'one INSERT, duplicates folded');
    queries = 0;
    const read = await cache.read(entries.map((e) => e.key));
    assert.equal(read.size, 5000);
    assert.equal(queries, 2, 'one SELECT and one UPDATE');
    queries = 0;
    await cache.read(entries.map((e) => e.key));
    assert.equal(queries, 2);
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM dar_postal_lookup WHERE last_used = $1`, [clock]);
    assert.equal(Number(rows[0]!.n), 5000);
    assert.equal([...read.values()].filter((a) => a.uuid === null).length, 500);
  });
});
