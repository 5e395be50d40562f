// DAR through real imports of generated dumps: the first night asks DAR about every postal address; the second
// night is answered from the PostgreSQL cache but for the addresses that changed (issue: > 99 % hit rate).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DarCache } from '../../src/dar/cache.js';
import { createDarClient } from '../../src/dar/client.js';
import { createDarResolver, hitRate } from '../../src/dar/resolver.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { dar, DarServer } from '../support/darServer.js';
import { useImportEnv } from '../support/importEnv.js';
import { createTestDatabase, dropTestDatabase, postgresSkip } from '../support/postgres.js';

/** DAR knows every address; its uuid follows from the text. */
const uuidFor = (betegnelse: string) => {
  const h = createHash('sha256').update(betegnelse).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

describe('DAR look-ups in nightly imports of generated dumps', { skip: await postgresSkip() }, () => {
  const env = useImportEnv();
  let server: DarServer;
  let dbUrl: string;
  let cache: DarCache;
  let names: string[] = [];
  before(async () => {
    server = await DarServer.start({ fallback: (_resource, betegnelse) => dar.found(uuidFor(betegnelse), 'A') });
    dbUrl = await createTestDatabase('moflow_dar_import');
    cache = await DarCache.open({ databaseUrl: dbUrl, dataDir: '/nonexistent' });
    const { files } = await generateDumps({ outDir: env.dir, units: 40, employees: 800, days: 1, seed: 99 });
    names = files.map((f) => f.name);
  });
  after(async () => {
    await cache?.close();
    await server?.stop();
    if (dbUrl) await dropTestDatabase(dbUrl);
  });
  const resolver = () => createDarResolver({ client: createDarClient({ baseUrl: server.url }), cache, concurrency: 8 });

  it('the first night asks DAR about every address and stores the DAR uuids', async (t) => {
    const postal = resolver();
    const { report } = await env.run(names[0]!, null, { postal });
    assert.deepEqual(report.failures, []);
    assert.equal(postal.stats.cacheHits, 0);
    assert.ok(postal.stats.found > 500, `${postal.stats.found} addresses found`);
    assert.equal(postal.stats.lookups, postal.stats.asked);
    const stored = await env.client.addresses.read({ addressTypeUserKeys: ['Adresse', 'AdressePostEmployee', 'AddressMailUnit'] });
    assert.ok(stored.some((a) => /^[0-9a-f]{8}-[0-9a-f]{4}-4/.test(a.validities[0]!.value)), 'DAR uuids stored as address values');
    t.diagnostic(`first night: ${postal.stats.asked} addresses, ${postal.stats.lookups} asked DAR`);
  });

  it('the second night, compared record by record, is answered from the cache above 99 %', async (t) => {
    const postal = resolver();
    server.resetCounts();
    await env.run(names[1]!, names[0]!, { postal, full: true });
    const rate = postal.stats.cacheHits / postal.stats.asked;
    t.diagnostic(`second night (full): ${postal.stats.asked} addresses, hit rate ${hitRate(postal.stats)}, ${postal.stats.lookups} asked DAR (${server.count()} requests)`);
    assert.ok(rate > 0.99, `hit rate ${hitRate(postal.stats)}`);
    assert.equal(postal.stats.lookups, postal.stats.asked - postal.stats.cacheHits);
  });

  it('a nightly run of the changes alone asks about even fewer addresses, all but the new ones cached', async (t) => {
    const postal = resolver();
    const { plan } = await env.plan(names[1]!, names[0]!, { postal });
    t.diagnostic(`second night (changes only): ${postal.stats.asked} addresses, hit rate ${hitRate(postal.stats)}, ${postal.stats.lookups} asked DAR`);
    assert.equal(postal.stats.lookups, 0, 'everything the second night needs was cached by its full run');
    assert.ok(postal.stats.asked < 200, `${postal.stats.asked} addresses asked`);
    assert.deepEqual(plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}: ${o.reason}`), []);
  });
});
