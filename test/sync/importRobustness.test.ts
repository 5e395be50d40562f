// What the import promises beyond single cases: a crash half-way and a re-run end where an uninterrupted run
// ends, with no duplicates; the mass-change guard; one bad employment or one refused write among many; the
// unit filter (spec §4.3, computed on the dump's full tree). Against each MO: the local MO and the real OS2MO.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMoClient, type MoClient } from '../../src/mo/index.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { applyPlan } from '../../src/sync/apply.js';
import { MassChangeRefused } from '../../src/sync/importDump.js';
import { UUIDS, useImportEnv } from '../support/importEnv.js';
import { moSnapshot } from '../support/moSnapshot.js';
import { dumpXml, type EmployeeSpec, type UnitSpec } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';

/** A client whose writes fail like a lost connection after `allowed` requests. */
function crashingAfter(client: MoClient, allowed: number): MoClient & { writes: () => number } {
  let requests = 0;
  return Object.assign(Object.create(client) as MoClient, {
    write: async (...args: Parameters<MoClient['write']>) => {
      if (requests >= allowed) throw new Error('socket hang up (simulated crash)');
      requests++;
      return client.write(...args);
    },
    writes: () => requests,
  });
}

const cpr = (n: number) => `0101${String(70 + (n % 30)).padStart(2, '0')}${String(1000 + n).slice(-4)}`;
const staff = (count: number, over: (i: number) => Partial<EmployeeSpec> = () => ({})): EmployeeSpec[] =>
  Array.from({ length: count }, (_, i) => ({ id: String(10_000 + i), cpr: cpr(i), orgUnit: i % 2 ? '3' : '2', ...over(i) }));
const TREE: UnitSpec[] = [{ id: '1', name: 'Andeby Kommune' }, { id: '2', parent: '1' }, { id: '3', parent: '1' }];

// The real OS2MO writes ~30–50 objects a second: a smaller municipality there, whose first day still takes
// several write requests to crash between.
const CRASH_SIZE = { local: { units: 25, employees: 300 }, os2mo: { units: 8, employees: 60 } } as const;

for (const kind of moKinds()) {
  describe(`a crash half-way, then a re-run, ends as an uninterrupted run (${kind})`, { skip: await moSkip(kind) }, () => {
    const straight = useImportEnv(kind);
    const crashed = useImportEnv(kind);
    const parallel = useImportEnv(kind);
    const size = CRASH_SIZE[kind];
    let generated = '';
    let names: string[] = [];
    before(async () => {
      generated = mkdtempSync(join(tmpdir(), 'moflow-crash-'));
      const { files } = await generateDumps({ outDir: generated, ...size, days: 2, seed: 41 });
      names = files.map((f) => f.name);
      for (const name of names) for (const env of [straight, crashed, parallel]) copyFileSync(join(generated, name), join(env.dir, name));
    });
    after(() => rmSync(generated, { recursive: true, force: true }));

    it('day by day, each day crashing after half its write requests', async () => {
      for (const [i, name] of names.entries()) {
        const previous = i === 0 ? null : names[i - 1]!;
        const { plan, report } = await straight.run(name, previous);
        assert.equal(report.failures.length, 0, JSON.stringify(report.failures.slice(0, 3)));
        const requests = Math.ceil(plan.ops.length / 200);
        assert.ok(requests >= 2 || i > 0, `day ${i} should need several write requests (${plan.ops.length} writes)`);

        const half = Math.floor(requests / 2);
        const broken = crashingAfter(crashed.client, half);
        await assert.rejects(crashed.runWith(broken, name, previous), /simulated crash/);
        assert.equal(broken.writes(), half);
        const rerun = await crashed.run(name, previous);
        assert.equal(rerun.report.failures.length, 0, JSON.stringify(rerun.report.failures.slice(0, 3)));
        if (half > 0) assert.ok(rerun.plan.ops.length < plan.ops.length, 'the re-run writes only what the crash left undone');

        const [a, b] = await Promise.all([moSnapshot(straight.client), moSnapshot(crashed.client)]);
        assert.deepEqual(b.counts, a.counts, `day ${i}: the same number of objects of each kind (no duplicates)`);
        assert.deepEqual(b.kinds, a.kinds, `day ${i}: the same objects with the same history`);
      }
      assert.ok((await moSnapshot(straight.client)).counts.engagement! >= size.employees);
    });

    it('many small write requests in flight at once end as the straight run, with no refused write', async () => {
      // Requests of 7 writes, 8 at once: units wait for their parents' requests, the rest overlap.
      const client = createMoClient({ ...parallel.mo.clientOptions(), batchSize: 7, requestsInFlight: 8 });
      let inFlight = 0;
      let most = 0;
      const counting = Object.assign(Object.create(client) as MoClient, {
        write: async (...args: Parameters<MoClient['write']>) => {
          most = Math.max(most, ++inFlight);
          try {
            return await client.write(...args);
          } finally {
            inFlight--;
          }
        },
      });
      for (const [i, name] of names.entries()) {
        const { report } = await parallel.runWith(counting, name, i === 0 ? null : names[i - 1]!);
        assert.equal(report.failures.length, 0, JSON.stringify(report.failures.slice(0, 3)));
      }
      assert.equal(most, 8, 'eight requests were in flight at once');
      const [a, b] = await Promise.all([moSnapshot(straight.client), moSnapshot(parallel.client)]);
      assert.deepEqual(b.counts, a.counts);
      assert.deepEqual(b.kinds, a.kinds);
    });

    it('re-importing the last dump, compared with MO record by record, plans nothing', async () => {
      const { plan } = await crashed.plan(names.at(-1)!, names.at(-2)!, { full: true });
      assert.deepEqual(plan.ops.slice(0, 5).map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}: ${o.reason}`), []);
    });
  });

  describe(`the mass-change guard, and bad data among good (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);

    it('holds back a dump that would end more than the allowed share of engagements; nothing is written until approved', async () => {
      const d1 = env.dump('2024-06-01', dumpXml(TREE, staff(40)));
      assert.deepEqual((await env.run(d1, null)).report.failures, []);
      const d2 = env.dump('2024-06-02', dumpXml(TREE, staff(40).slice(0, 25)));
      const before = await moSnapshot(env.client);
      await assert.rejects(env.run(d2, d1), (error: unknown) => {
        assert.ok(error instanceof MassChangeRefused);
        assert.match(error.message, /15 of 40 active engagements/);
        return true;
      });
      assert.deepEqual(await moSnapshot(env.client), before, 'a refused plan writes nothing');
      const { report } = await env.run(d2, d1, { approveMassChange: true });
      assert.deepEqual(report.failures, []);
      assert.equal(report.counts.engagement?.terminated, 15);
    });

    it('a few endings under the threshold pass without approval', async () => {
      const d3 = env.dump('2024-06-03', dumpXml(TREE, staff(40).slice(0, 24)));
      const { report } = await env.run(d3, 'ZLPE20240602223000_delta.xml');
      assert.deepEqual(report.failures, []);
      assert.equal(report.counts.engagement?.terminated, 1);
    });

    it('one malformed employment among many is reported with file, line and OPUS id; the others are imported', async () => {
      const people = staff(30, (i) => (i === 17 ? { entryDate: '2024-13-45' } : {})).map((e, i) => ({ ...e, id: String(30_000 + i), cpr: cpr(100 + i) }));
      const name = env.dump('2024-07-01', dumpXml(TREE, people));
      const { plan, report } = await env.run(name, null);
      const bad = plan.issues.filter((i) => i.opusId === '30017');
      assert.equal(bad.length, 1, JSON.stringify(plan.issues));
      assert.match(bad[0]!.message, /2024-13-45/);
      assert.deepEqual(bad[0]!.source, { file: name, line: 3 + TREE.length + 17 });
      const imported = await env.client.engagements.read({ userKeys: people.map((p) => p.id) }, 'all');
      assert.equal(imported.length, 29);
      assert.equal(report.failures.length, 0);
    });

    it('a write MO refuses is recorded with its OPUS id and reason; the rest of its request still lands', async () => {
      const people = staff(12).map((e, i) => ({ ...e, id: String(40_000 + i), cpr: cpr(300 + i), email: `p${i}@andeby.dk` }));
      const name = env.dump('2024-08-01', dumpXml(TREE, people));
      const { plan } = await env.plan(name, null);
      // A value the planner lets through but MO refuses, as happens when MO's rules are stricter than moflow's.
      const email = plan.ops.find((o) => o.op.kind === 'address' && o.op.action === 'create' && o.subject.opusId === '40005')!;
      assert.ok(email.op.kind === 'address' && email.op.action === 'create');
      (email.op.input as { value: string }).value = 'not an e-mail address';
      const report = await applyPlan(env.client, plan);
      assert.deepEqual(report.failures.map((f) => [f.opusId, f.write, f.errorKey]), [['40005', 'address create', 'V_INVALID_ADDRESS_EMAIL']]);
      assert.equal((await env.client.engagements.read({ userKeys: people.map((p) => p.id) })).length, 12);
      assert.equal((await env.client.addresses.read({ addressTypeUserKeys: ['EmailEmployee'] })).filter((a) => /^p\d+@/.test(a.validities[0]!.value)).length, 11);
    });
  });

  describe(`the unit filter (integrations.opus.units.filter_ids), on the full tree of the dump (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);
    // DIPEX's doctest tree: 1 ← 2 ← 4, 2 ← 5 ← 7, 1 ← 3 ← 6.
    const tree: UnitSpec[] = [
      { id: '1' },
      { id: '2', parent: '1' },
      { id: '3', parent: '1' },
      { id: '4', parent: '2' },
      { id: '5', parent: '2' },
      { id: '6', parent: '3' },
      { id: '7', parent: '5' },
    ];
    const activeUnits = async () =>
      new Set(
        (await env.client.orgUnits.read({ uuids: tree.map((u) => UUIDS.unit(u.id)) }))
          .map((u) => tree.find((t) => UUIDS.unit(t.id) === u.uuid)!.id),
      );
    const people = ['7', '6'].map((unit, i) => ({ id: String(50_000 + i), cpr: cpr(500 + i), orgUnit: unit }));

    it('filter ["2"] keeps 1, 3, 6; 2, 4, 5, 7 and their employments are not imported', async () => {
      const d1 = env.dump('2024-09-01', dumpXml(tree, people));
      const { plan, report } = await env.run(d1, null, { filterUnitIds: ['2'] });
      assert.deepEqual(report.failures, []);
      assert.deepEqual([...(await activeUnits())].sort(), ['1', '3', '6']);
      assert.deepEqual((await env.client.engagements.read({ userKeys: ['50000', '50001'] })).map((e) => e.validities[0]!.userKey), ['50001']);
      assert.equal(plan.ops.filter((o) => o.subject.opusId === '50000').length, 0);
    });

    it('a changed filter takes effect at the next dump: newly filtered units end with their engagements, unfiltered ones come in with theirs', async () => {
      const tree2 = tree.map((u) => (u.id === '6' ? { ...u, name: 'Omdøbt' } : u)); // only leaf 6 changed in OPUS
      const d2 = env.dump('2024-09-02', dumpXml(tree2, people));
      const { plan, report } = await env.run(d2, 'ZLPE20240901223000_delta.xml', { filterUnitIds: ['3'] });
      assert.deepEqual(report.failures, []);
      assert.deepEqual([...(await activeUnits())].sort(), ['1', '2', '4', '5', '7'], 'leaf 6 changed while its parent did not: still filtered (DIPEX imported it)');
      const [unit3] = await env.client.orgUnits.read({ uuids: [UUIDS.unit('3')] }, 'all');
      assert.equal(unit3!.validities.at(-1)!.to, '2024-09-02');
      const engagements = await env.client.engagements.read({ userKeys: ['50000', '50001'] }, 'all');
      const endOf = (id: string) => engagements.find((e) => e.validities[0]!.userKey === id)?.validities.at(-1)!.to;
      assert.equal(endOf('50001'), '2024-09-02', 'the engagement in the newly filtered unit 6 ends with it');
      assert.equal(endOf('50000'), null, 'the unchanged employment in unit 7 is imported once 7 is no longer filtered');
      assert.ok(plan.ops.some((o) => o.op.kind === 'person' && o.op.action === 'create' && o.subject.opusId === '50000'));
    });

    it('filter ["1"] filters everything: no unit of the tree stays active', async () => {
      const d3 = env.dump('2024-09-03', dumpXml(tree, people));
      assert.deepEqual((await env.run(d3, 'ZLPE20240902223000_delta.xml', { filterUnitIds: ['1'] })).report.failures, []);
      assert.deepEqual([...(await activeUnits())], []);
    });
  });
}
