// The digest of last night's dump stands in for reading it again: the same comparison, the same writes
// (comparing only the units whose addresses changed); a stale, corrupt or missing digest only means the dump is read. Against each MO (local and OS2MO).
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compareDumps } from '../../src/opus/compare.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { readDump } from '../../src/opus/reader.js';
import { DigestCache } from '../../src/sync/digestCache.js';
import { planDump } from '../../src/sync/importDump.js';
import { useImportEnv } from '../support/importEnv.js';
import { moKinds, moSkip } from '../support/moTargets.js';

// The real OS2MO writes ~30–50 objects a second (the local MO thousands): a smaller municipality there, still
// four dumps with writes to plan every day (new, changed, moved and left employments, the generator's faults).
const SIZE = { local: { units: 25, employees: 400 }, os2mo: { units: 8, employees: 60 } } as const;

for (const kind of moKinds()) {
  describe(`dump digests (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);
    const size = SIZE[kind];
    let names: string[] = [];
    let digestDir = '';
    before(async () => {
      const { files } = await generateDumps({ outDir: env.dir, ...size, days: 3, seed: 17, faults: true });
      names = files.map((f) => f.name);
      digestDir = mkdtempSync(join(tmpdir(), 'moflow-digests-'));
    });
    after(() => rmSync(digestDir, { recursive: true, force: true }));

    const open = (name: string) => readDump(createReadStream(join(env.dir, name)), { file: name });

    it('a comparison against the fingerprints kept from a dump equals one against the dump itself', async () => {
      const first = await compareDumps(null, open(names[0]!), undefined, { keepFingerprints: true });
      const fromDump = await compareDumps(open(names[0]!), open(names[1]!));
      const fromPrints = await compareDumps(first.fingerprints!, open(names[1]!));
      assert.deepEqual(fromPrints.orgUnits, fromDump.orgUnits);
      assert.deepEqual(fromPrints.employees, fromDump.employees);
      assert.ok(fromDump.employees.changed.length > 0 && fromDump.employees.unchanged.length > size.employees * 0.75);
    });

    it('day by day, a plan from the digest equals the plan from reading the previous dump', async () => {
      const digests = new DigestCache(digestDir);
      for (const [i, name] of names.entries()) {
        const previous = i === 0 ? null : names[i - 1]!;
        const steps: string[] = [];
        const withDigest = await planDump(env.client, env.source, { name, previous }, { ...env.settings(), digests }, (s) => steps.push(s));
        const reading = await planDump(env.client, env.source, { name, previous }, env.settings());
        assert.ok(reading.plan.ops.length > 0, `${name}: a plan with writes to compare`);
        // The same writes; with the digest, only the units whose addresses changed had them compared.
        const { unchanged: fewer, ...writes } = withDigest.plan;
        const { unchanged: all, ...same } = reading.plan;
        assert.equal(canonical(writes), canonical(same), `${name}: the same plan`);
        if (i > 0) assert.ok((fewer.address ?? 0) < (all.address ?? 0), `${name}: ${fewer.address} addresses compared, not ${all.address}`);
        else assert.deepEqual(fewer, all);
        if (i > 0) assert.ok(steps.some((s) => s.includes(`${previous} (its digest`)), steps.join('\n'));
        assert.deepEqual((await env.run(name, previous)).report.failures, [], name);
      }
      assert.equal(readdirSync(digestDir).filter((f) => f.endsWith('.digest.json')).length, 4);
      // An older dump imported again keeps its digest: the ones written longest ago go first.
      const first = (await env.source.list()).dumps[0]!;
      digests.save(first, { fingerprints: { orgUnits: new Map(), employees: new Map() }, employmentCprs: new Map(), unitAddresses: new Map() });
      assert.ok(digests.load(first), 'the digest just written is kept');
      assert.equal(readdirSync(digestDir).filter((f) => f.endsWith('.digest.json')).length, 4);
    });

    it('ignores a digest of another file of the same name, or a corrupt one, and reads the dump', async () => {
      const digests = new DigestCache(digestDir);
      const last = (await env.source.list()).dumps.at(-1)!;
      assert.ok(digests.load(last));
      assert.equal(digests.load({ name: last.name, size: last.size + 1 }), null, 'another size: another file');
      writeFileSync(join(digestDir, `${last.name}.digest.json`), '{"version": 1, "name": ');
      assert.equal(digests.load(last), null);
      assert.equal(digests.load({ name: 'ZLPE20990101_delta.xml', size: 1 }), null);
    });

    it('keeps digests private without making the data folder above them private', () => {
      const nested = new DigestCache(join(digestDir, 'data', 'digests'));
      nested.save({ name: 'ZLPE20240101_delta.xml', size: 1 }, { fingerprints: { orgUnits: new Map(), employees: new Map() }, employmentCprs: new Map(), unitAddresses: new Map() });
      assert.equal(statSync(join(digestDir, 'data', 'digests')).mode & 0o777, 0o700);
      assert.equal(statSync(join(digestDir, 'data')).mode & 0o011, 0o011, 'others (the postgres user) can still pass through ./data');
    });
  });
}

/** A plan as text with uuids numbered in order of appearance: new people get random uuids in each plan. */
function canonical(plan: unknown): string {
  const seen = new Map<string, string>();
  return JSON.stringify(plan).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (uuid) => {
    if (!seen.has(uuid)) seen.set(uuid, `uuid-${seen.size}`);
    return seen.get(uuid)!;
  });
}
