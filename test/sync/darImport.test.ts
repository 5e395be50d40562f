// DAR through real imports of generated dumps, against each MO: the first night asks DAR about every postal
// address; the second night is answered from the PostgreSQL cache but for the addresses that changed (issue:
// > 99 % hit rate). 300 employees: OS2MO writes some 30–50 objects a second, so a bigger municipality would
// cost minutes without proving more (test/dar/scale.test.ts has the 20,000 addresses). The MO under test has the same DAR stand-in as its own DAR: OS2MO looks every DAR uuid
// up there when an address is created (and refuses one DAR does not have), and both MOs name DAR
// addresses from it when asked for `name`, as in production.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DarCache } from '../../src/dar/cache.js';
import { createDarClient } from '../../src/dar/client.js';
import { createDarResolver, hitRate } from '../../src/dar/resolver.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { MUNICIPALITIES, OTHER_TOWNS } from '../../src/opus/generate/names.js';
import { betegnelse, dar, DarServer, type DarAddressFields } from '../support/darServer.js';
import { useImportEnv } from '../support/importEnv.js';
import { moKinds, moSkip } from '../support/moTargets.js';
import { createTestDatabase, dropTestDatabase } from '../support/postgres.js';

/** DAR knows every address; its uuid follows from the text. */
const uuidFor = (text: string) => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The towns of the generated dumps: DAR names a postcode's town. */
const TOWNS = new Map<string, string>([...MUNICIPALITIES.flatMap((m) => m.towns), ...OTHER_TOWNS]);

/** The address DAR has for a cleansed text as OPUS writes it ("Bøgevej 12A, 3. tv, 8660"). */
function darAddressOf(text: string): DarAddressFields | null {
  const m = /^(.+) (\d+[A-Z]?)(?:, (\d+)\. (tv|th|mf))?, (\d{4})$/.exec(text);
  const town = m && TOWNS.get(m[5]!);
  if (!m || !town) return null;
  return { vejnavn: m[1]!, husnr: m[2]!, etage: m[3] ?? null, dør: m[4] ?? null, postnr: m[5]!, postnrnavn: town };
}

const DAR_TYPES = ['Adresse', 'AdressePostEmployee', 'AddressMailUnit'];

for (const kind of moKinds()) {
  describe(`DAR look-ups in nightly imports of generated dumps (${kind})`, { skip: await moSkip(kind) }, () => {
    // Started before the MO: it is the MO's own DAR too.
    let server: DarServer;
    before(async () => {
      server = await DarServer.start({
        fallback: (_resource, text) => {
          const fields = darAddressOf(text);
          return fields ? dar.found(uuidFor(text), 'A', fields) : dar.notFound();
        },
      });
    });
    const env = useImportEnv(kind, { darBaseUrl: () => server.url });
    let dbUrl: string;
    let cache: DarCache;
    let names: string[] = [];
    /** What the first night asked DAR to cleanse. */
    let firstNight = new Set<string>();
    before(async () => {
      dbUrl = await createTestDatabase('moflow_dar_import');
      cache = await DarCache.open({ databaseUrl: dbUrl, dataDir: '/nonexistent' });
      const { files } = await generateDumps({ outDir: env.dir, units: 30, employees: 300, days: 1, seed: 99 });
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
      const started = Date.now();
      const { report } = await env.run(names[0]!, null, { postal });
      assert.deepEqual(report.failures, []);
      assert.equal(postal.stats.cacheHits, 0);
      assert.ok(postal.stats.found > 250, `${postal.stats.found} addresses found`);
      assert.equal(postal.stats.lookups, postal.stats.asked);
      firstNight = new Set(server.requests.map((r) => r.betegnelse));
      const stored = await env.client.addresses.read({ addressTypeUserKeys: DAR_TYPES });
      const values = new Set(stored.map((a) => a.validities[0]!.value));
      assert.ok([...values].some((v) => /^[0-9a-f]{8}-[0-9a-f]{4}-4/.test(v)), 'DAR uuids stored as address values');
      assert.ok([...values].every((v) => server.knows(v) !== null), 'every stored value is an address DAR has');
      if (kind === 'os2mo') {
        // OS2MO checked each DAR value with DAR before storing it (mora's DARAddressHandler.validate_value).
        const asked = new Set(server.lookups.flatMap((l) => l.ids));
        assert.deepEqual([...values].filter((v) => !asked.has(v)), [], 'OS2MO looked every stored DAR uuid up');
      }
      t.diagnostic(`first night (${kind}): ${postal.stats.asked} addresses, ${postal.stats.lookups} asked DAR, ${values.size} DAR values in MO, ${server.lookups.length} look-ups by uuid, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    it('the MO names every DAR address as DAR writes it, looked up in DAR by its uuid', async () => {
      server.resetCounts();
      const named = await env.client.addresses.readWithName({ addressTypeUserKeys: DAR_TYPES });
      assert.ok(named.length > 250, `${named.length} DAR addresses`);
      const wrong = named.flatMap((a) =>
        a.validities.flatMap((v) => {
          const known = server.knows(v.value);
          const expected = known ? betegnelse(known, known.kind) : '(not in DAR)';
          return v.name === expected ? [] : [`${v.value}: ${v.name} ≠ ${expected}`];
        }),
      );
      assert.deepEqual(wrong.slice(0, 5), []);
      assert.ok(server.lookupCount() > 0, 'the names came from DAR');
      assert.deepEqual(server.strays, [], 'every look-up was one DAR answers');
    });

    it('the second night, compared record by record, is answered from the cache above 99 %', async (t) => {
      const postal = resolver();
      server.resetCounts();
      const started = Date.now();
      const { report } = await env.run(names[1]!, names[0]!, { postal, full: true });
      assert.deepEqual(report.failures, []);
      const rate = postal.stats.cacheHits / postal.stats.asked;
      t.diagnostic(`second night (full, ${kind}): ${postal.stats.asked} addresses, hit rate ${hitRate(postal.stats)}, ${postal.stats.lookups} asked DAR (${server.count()} requests), ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.ok(rate > 0.99, `hit rate ${hitRate(postal.stats)}`);
      assert.equal(postal.stats.lookups, postal.stats.asked - postal.stats.cacheHits);
      const asked = new Set(server.requests.map((r) => r.betegnelse));
      assert.equal(asked.size, postal.stats.lookups, 'one cleansing per address not in the cache');
      assert.deepEqual([...asked].filter((b) => firstNight.has(b)), [], 'DAR is asked only about addresses the first night did not have');
    });

    it('a nightly run of the changes alone asks about even fewer addresses, all but the new ones cached', async (t) => {
      const postal = resolver();
      const { plan } = await env.plan(names[1]!, names[0]!, { postal });
      t.diagnostic(`second night (changes only): ${postal.stats.asked} addresses, hit rate ${hitRate(postal.stats)}, ${postal.stats.lookups} asked DAR`);
      assert.equal(postal.stats.lookups, 0, 'everything the second night needs was cached by its full run');
      assert.ok(postal.stats.asked < 100, `${postal.stats.asked} addresses asked`);
      assert.deepEqual(plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}: ${o.reason}`), []);
    });
  });
}
