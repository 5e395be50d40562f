// A municipality's worth of addresses: 20,000 resolved on a first night (every one asked of the local DAR
// server, 8 at a time) and again the next night with 100 of them changed. The figures go to the test output;
// the assertions are about work done (requests, cache hits), not time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DarCache } from '../../src/dar/cache.js';
import { createDarClient } from '../../src/dar/client.js';
import { createDarResolver, hitRate, type DarStats } from '../../src/dar/resolver.js';
import { createTestDatabase, dropTestDatabase, postgresSkip } from '../support/postgres.js';
import { dar, DarServer } from '../support/darServer.js';

const skip = await postgresSkip();
const ADDRESSES = 20_000;
const CHANGED = 100;
const STREETS = ['Skovvej', 'Bøgevej', 'Østergade', 'Vestergade', 'Kirkevej', 'Møllevej', 'Åboulevarden', 'Strandvejen', 'Engvej', 'Græsvænget'];

/** Address n: a street, a house number and one of 100 postal codes; every 50th is one DAR cannot place. */
const address = (n: number) => ({ street: `${STREETS[n % STREETS.length]} ${Math.floor(n / STREETS.length) + 1}`, postalCode: String(8000 + (n % 100)) });
const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe(`resolving ${ADDRESSES.toLocaleString('en')} addresses on two nights`, { skip }, () => {
  let server: DarServer;
  let dbUrl: string;
  let cache: DarCache;

  before(async () => {
    // Every 50th address is uncertain (a miss); every 20th is only an access address (the fallback).
    server = await DarServer.start({
      fallback: (resource, betegnelse) => {
        const n = Number(betegnelse.replace(/\D+/g, '')) % 1000;
        if (n % 50 === 0) return dar.uncertain(2);
        if (n % 20 === 0 && resource === 'adresser') return dar.notFound();
        return dar.found(uuidOf(n), 'A');
      },
    });
    dbUrl = await createTestDatabase('moflow_dar_scale');
    cache = await DarCache.open({ databaseUrl: dbUrl, dataDir: '/nonexistent' });
  });
  after(async () => {
    await cache?.close();
    await server?.stop();
    if (dbUrl) await dropTestDatabase(dbUrl);
  });

  const night = async (addresses: { street: string; postalCode: string }[]) => {
    const resolver = createDarResolver({ client: createDarClient({ baseUrl: server.url }), cache, concurrency: 8 });
    server.resetCounts();
    const started = process.hrtime.bigint();
    const wishes = await resolver(addresses);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { wishes, stats: resolver.stats as DarStats, ms, requests: server.count(), maxInFlight: server.maxInFlight };
  };

  it('the second night is answered from the cache but for the changed addresses', async (t) => {
    const first = await night(Array.from({ length: ADDRESSES }, (_, n) => address(n)));
    assert.equal(first.wishes.size, ADDRESSES);
    assert.equal(first.stats.lookups, ADDRESSES);
    assert.equal(first.stats.unavailable, 0);
    assert.ok(first.maxInFlight <= 8);
    assert.equal(await cache.size(), ADDRESSES, 'hits and misses cached');

    const second = await night(Array.from({ length: ADDRESSES }, (_, n) => (n < CHANGED ? { street: `Nyvej ${n + 1}`, postalCode: '8000' } : address(n))));
    assert.equal(second.stats.cacheHits, ADDRESSES - CHANGED);
    assert.equal(second.stats.lookups, CHANGED);
    assert.ok(second.stats.cacheHits / second.stats.asked > 0.99);
    assert.ok(second.requests <= 2 * CHANGED);

    const rate = (s: { stats: DarStats; ms: number }) => `${Math.round((s.stats.lookups / s.ms) * 1000).toLocaleString('en')} look-ups/s`;
    t.diagnostic(
      `first night: ${first.ms.toFixed(0)} ms, ${first.stats.lookups} look-ups (${first.requests} requests), ${rate(first)}; ` +
        `${first.stats.found} found, ${first.stats.misses} misses`,
    );
    t.diagnostic(
      `second night: ${second.ms.toFixed(0)} ms, cache hit rate ${hitRate(second.stats)} (${second.stats.cacheHits}/${second.stats.asked}), ` +
        `${second.stats.lookups} look-ups, ${second.requests} requests`,
    );
  });
});
