// The import's PostalResolver over the DAR client and the PostgreSQL cache: the wishes it gives, that a
// second run asks DAR nothing, that misses expire and outages are asked again next run, that an outage
// never fails the run nor stalls it, and that no more than `concurrency` requests are ever in flight.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { DarCache } from '../../src/dar/cache.js';
import { createDarClient } from '../../src/dar/client.js';
import { createDarResolver, hitRate, type DarResolverOptions } from '../../src/dar/resolver.js';
import { postalKey } from '../../src/sync/prepare.js';
import { createTestDatabase, dropTestDatabase, postgresSkip } from '../support/postgres.js';
import { dar, DarServer } from '../support/darServer.js';

const skip = await postgresSkip();
const DAY = 24 * 60 * 60 * 1000;
const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const addr = (street: string, postalCode = '8880') => ({ street, postalCode });

describe('DAR resolver', { skip }, () => {
  let server: DarServer;
  let dbUrl: string;
  let pool: pg.Pool;
  let clock: Date;
  let logged: string[];

  const resolver = async (options: Partial<DarResolverOptions> = {}) => {
    const cache = await DarCache.onPool(pool, { now: () => clock });
    const client = createDarClient({ baseUrl: server.url, timeoutMs: 500, retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 10 } });
    return createDarResolver({ client, cache, log: (m) => logged.push(m), ...options });
  };

  before(async () => {
    server = await DarServer.start();
    dbUrl = await createTestDatabase('moflow_dar_resolver');
    pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  });
  after(async () => {
    await server?.stop();
    await pool?.end();
    if (dbUrl) await dropTestDatabase(dbUrl);
  });
  beforeEach(async () => {
    server.resetCounts();
    clock = new Date('2025-03-01T02:00:00Z');
    logged = [];
    await pool.query('DROP TABLE IF EXISTS dar_postal_lookup, dar_schema_migrations');
  });

  it('found → the DAR uuid; miss → kept and reported; outage → kept, not reported, not cached', async () => {
    server.answer('Paradisæblevej 1, 8880', { adresser: dar.found(uuidOf(1)) });
    server.answer('Paradisæblevej 2, 8880', { adresser: dar.uncertain(), adgangsadresser: dar.found(uuidOf(2), 'B') });
    server.answer('Ingenvej 3, 8880', { adresser: dar.uncertain(), adgangsadresser: dar.several([uuidOf(3), uuidOf(4)]) });
    server.answer('Nedevej 4, 8880', { adresser: dar.status(503) });
    const resolve = await resolver();
    const addresses = [addr('Paradisæblevej 1'), addr('Paradisæblevej 2'), addr('Ingenvej 3'), addr('Nedevej 4')];
    const wishes = await resolve(addresses);

    assert.deepEqual(wishes.get(postalKey('Paradisæblevej 1', '8880')), { kind: 'value', value: uuidOf(1), visibility: null });
    assert.deepEqual(wishes.get(postalKey('Paradisæblevej 2', '8880')), { kind: 'value', value: uuidOf(2), visibility: null });
    const miss = wishes.get(postalKey('Ingenvej 3', '8880'));
    assert.equal(miss?.kind, 'keep');
    assert.equal(miss?.kind === 'keep' && miss.problem, true);
    assert.match(miss?.kind === 'keep' ? miss.why : '', /^DAR found no unique address for "Ingenvej 3, 8880" \(adresser: category C.*2 results\)$/);
    assert.deepEqual(wishes.get(postalKey('Nedevej 4', '8880')), { kind: 'keep', why: 'DAR did not answer; retried next run', retry: true }, 'an outage is marked to be compared again next run');
    assert.deepEqual(
      { ...resolve.stats, ms: 0 },
      { asked: 4, cacheHits: 0, lookups: 4, requests: 1 + 2 + 2 + 2, found: 2, misses: 1, unavailable: 1, staleUsed: 0, notAsked: 0, ms: 0 },
    );
    const { rows } = await pool.query<{ key: string }>('SELECT key FROM dar_postal_lookup ORDER BY key');
    assert.deepEqual(rows.map((r) => r.key), ['ingenvej 3|8880', 'paradisæblevej 1|8880', 'paradisæblevej 2|8880'], 'the outage is not cached');
    for (const line of logged) assert.doesNotMatch(line, /Paradis|Ingenvej|Nedevej/, 'the log has counts, not addresses');
  });

  it('a second run asks DAR nothing for the same addresses, hits and misses alike', async () => {
    const addresses = Array.from({ length: 30 }, (_, i) => addr(`Skovvej ${i + 1}`));
    for (let i = 0; i < 30; i++) server.answer(`Skovvej ${i + 1}, 8880`, i % 5 === 0 ? { adresser: dar.uncertain(), adgangsadresser: dar.notFound() } : { adresser: dar.found(uuidOf(i)) });
    const first = await resolver();
    const before = await first(addresses);
    assert.equal(first.stats.lookups, 30);
    const requests = server.count();

    const second = await resolver();
    const again = await second(addresses);
    assert.equal(server.count(), requests, 'zero DAR requests');
    assert.deepEqual(again, before);
    assert.equal(second.stats.cacheHits, 30);
    assert.equal(second.stats.misses, 6);
    assert.equal(hitRate(second.stats), '100.0 %');
    assert.match(logged.at(-1)!, /30 address\(es\), 30 from the cache \(100\.0 %\), 0 asked DAR/);
  });

  it('the same address spelled differently (case, spaces) is asked once', async () => {
    server.answer('Paradisæblevej 1, 8880', { adresser: dar.found(uuidOf(1)) });
    const resolve = await resolver();
    const wishes = await resolve([addr('Paradisæblevej 1'), addr('PARADISÆBLEVEJ 1 ', ' 8880')]);
    assert.equal(server.count(), 1);
    assert.equal(wishes.size, 1);
    assert.equal(resolve.stats.asked, 1);
  });

  it('a miss is asked again once it is 7 days old; hits are not', async () => {
    server.answer('Nybyg 1, 8880', { adresser: dar.notFound(), adgangsadresser: dar.notFound() });
    server.answer('Gammel 1, 8880', { adresser: dar.found(uuidOf(7)) });
    const addresses = [addr('Nybyg 1'), addr('Gammel 1')];
    await (await resolver())(addresses);
    clock = new Date(clock.getTime() + 6 * DAY);
    const early = await resolver();
    await early(addresses);
    assert.equal(early.stats.lookups, 0);

    // DAR has learnt the new address meanwhile.
    server.answer('Nybyg 1, 8880', { adresser: dar.found(uuidOf(8)) });
    clock = new Date(clock.getTime() + 1 * DAY + 1000);
    const later = await resolver();
    const wishes = await later(addresses);
    assert.equal(later.stats.lookups, 1);
    assert.equal(later.stats.cacheHits, 1);
    assert.deepEqual(wishes.get(postalKey('Nybyg 1', '8880')), { kind: 'value', value: uuidOf(8), visibility: null });
  });

  it('an outage is asked again next run and found once DAR is back', async () => {
    server.answer('Nedevej 4, 8880', { adresser: dar.status(500) });
    const first = await resolver();
    await first([addr('Nedevej 4')]);
    assert.equal(first.stats.unavailable, 1);
    server.answer('Nedevej 4, 8880', { adresser: dar.found(uuidOf(4)) });
    const second = await resolver();
    const wishes = await second([addr('Nedevej 4')]);
    assert.equal(second.stats.lookups, 1);
    assert.equal(second.stats.found, 1);
    assert.equal(wishes.get(postalKey('Nedevej 4', '8880'))?.kind, 'value');
  });

  it('a hit due for refresh keeps its uuid when DAR does not answer', async () => {
    server.answer('Paradisæblevej 1, 8880', { adresser: dar.found(uuidOf(1)) });
    await (await resolver())([addr('Paradisæblevej 1')]);
    clock = new Date(clock.getTime() + 91 * DAY);
    server.answer('Paradisæblevej 1, 8880', { adresser: dar.status(502) });
    const stale = await resolver();
    const wishes = await stale([addr('Paradisæblevej 1')]);
    assert.equal(stale.stats.lookups, 1, 'it was due: DAR was asked');
    assert.equal(stale.stats.staleUsed, 1);
    assert.deepEqual(wishes.get(postalKey('Paradisæblevej 1', '8880')), { kind: 'value', value: uuidOf(1), visibility: null });
  });

  it('ignoreCachedAnswers asks DAR again and stores the new answer', async () => {
    server.answer('Paradisæblevej 1, 8880', { adresser: dar.found(uuidOf(1)) });
    await (await resolver())([addr('Paradisæblevej 1')]);
    server.answer('Paradisæblevej 1, 8880', { adresser: dar.found(uuidOf(11)) });
    const fresh = await resolver({ ignoreCachedAnswers: true });
    assert.equal((await fresh([addr('Paradisæblevej 1')])).get(postalKey('Paradisæblevej 1', '8880'))?.kind, 'value');
    const after = await resolver();
    const wishes = await after([addr('Paradisæblevej 1')]);
    assert.equal(after.stats.cacheHits, 1);
    assert.deepEqual(wishes.get(postalKey('Paradisæblevej 1', '8880')), { kind: 'value', value: uuidOf(11), visibility: null });
  });

  it('never has more than `concurrency` requests in flight at DAR, and does use them', async () => {
    server.fallback = (_resource, betegnelse) => dar.slow(dar.found(uuidOf(Number(/\d+/.exec(betegnelse)![0]))), 20);
    try {
      const resolve = await resolver({ concurrency: 4 });
      const started = Date.now();
      const wishes = await resolve(Array.from({ length: 40 }, (_, i) => addr(`Langgade ${i}`)));
      assert.equal(wishes.size, 40);
      assert.equal(server.maxInFlight, 4);
      assert.ok(Date.now() - started < 40 * 20, 'in parallel, not one by one');
      server.resetCounts();
      await (await resolver({ concurrency: 8, ignoreCachedAnswers: true }))(Array.from({ length: 40 }, (_, i) => addr(`Langgade ${i}`)));
      assert.equal(server.maxInFlight, 8, 'default-sized pool');
    } finally {
      server.fallback = () => dar.notFound();
    }
  });

  it('a DAR outage neither fails the run nor costs a retry budget per address', async () => {
    server.fallback = () => dar.status(503);
    try {
      const resolve = await resolver({ concurrency: 2, outageAfter: 3 });
      const wishes = await resolve(Array.from({ length: 50 }, (_, i) => addr(`Strejkevej ${i}`)));
      assert.equal(wishes.size, 50);
      assert.ok([...wishes.values()].every((w) => w.kind === 'keep' && !w.problem));
      assert.equal(resolve.stats.unavailable, 50);
      // At most outageAfter + (concurrency - 1) addresses are asked, each with 1 retry.
      assert.ok(resolve.stats.lookups <= 4, `asked ${resolve.stats.lookups}`);
      assert.equal(server.count(), resolve.stats.lookups * 2);
      assert.equal(resolve.stats.notAsked, 50 - resolve.stats.lookups);
      assert.ok(logged.some((l) => /DAR counted as down: \d+ not asked/.test(l)), logged.join('\n'));
      assert.ok(logged.some((l) => /DAR did not answer \d look-up\(s\); the last: DAR datavask\/adresser answered HTTP 503/.test(l)), logged.join('\n'));
      assert.equal(await (await DarCache.onPool(pool)).size(), 0);
    } finally {
      server.fallback = () => dar.notFound();
    }
  });

  it('an unavailable answer between good ones does not stop the run', async () => {
    server.fallback = (_r, betegnelse) => (betegnelse.startsWith('Hul') ? dar.status(500) : dar.found(uuidOf(1)));
    try {
      const resolve = await resolver({ concurrency: 1, outageAfter: 2 });
      await resolve(['Vej 1', 'Hul 1', 'Vej 2', 'Hul 2', 'Vej 3'].map((s) => addr(s)));
      assert.equal(resolve.stats.lookups, 5);
      assert.equal(resolve.stats.notAsked, 0);
      assert.equal(resolve.stats.unavailable, 2);
    } finally {
      server.fallback = () => dar.notFound();
    }
  });

  it('works without a cache', async () => {
    server.answer('Paradisæblevej 1, 8880', { adresser: dar.found(uuidOf(1)) });
    const client = createDarClient({ baseUrl: server.url, retry: { retries: 0 } });
    const resolve = createDarResolver({ client, cache: null });
    await resolve([addr('Paradisæblevej 1')]);
    await resolve([addr('Paradisæblevej 1')]);
    assert.equal(server.count(), 2);
    assert.deepEqual({ asked: resolve.stats.asked, found: resolve.stats.found }, { asked: 2, found: 2 });
  });
});
