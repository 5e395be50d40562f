// One employment again (spec §7.1) on generated dumps imported day by day into each MO (local and OS2MO): an employment
// whose engagement, manager role, addresses, IT user and rolebindings were deleted or ended by hand is restored
// exactly as the full import had it (MO compared object by object); so is a terminated one and a tampered one.
// A second re-import writes nothing, the next full comparison plans nothing, and a dry run writes nothing.
import assert from 'node:assert/strict';
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { generateDumps } from '../../src/opus/generate/index.js';
import { readWholeDump } from '../../src/opus/reader.js';
import type { Employment } from '../../src/opus/records.js';
import { reimportEmployment, ReimportNotPossible } from '../../src/sync/reimport.js';
import { useImportEnv } from '../support/importEnv.js';
import { moSnapshot } from '../support/moSnapshot.js';
import { moKinds, moSkip } from '../support/moTargets.js';

const TODAY = '2024-01-10';

// Small enough for the real OS2MO (~30–50 writes a second; every replayed dump reads MO's state), and the same
// on both MOs. Seed 31 has a manager, an employment with functions and leave stubs; and the unit of the
// employment with functions moves under a younger parent on day 3, so MO's unit starts later than the first
// dump says: the re-import must keep the engagement within the unit as MO has it (OS2MO refuses otherwise).
const SIZE = { units: 10, employees: 80 } as const;

for (const kind of moKinds()) {
  describe(`re-importing one employment (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);
    let names: string[] = [];
    let full: Awaited<ReturnType<typeof moSnapshot>>;
    let dumps: { employments: Employment[]; leaves: { id: string }[] }[] = [];
    const reimport = (id: string, options: { dryRun?: boolean; days?: number } = {}) => reimportEmployment(env.client, env.source, id, { today: TODAY, ...options }, env.settings());

    before(async () => {
      await generateDumps({ outDir: env.dir, ...SIZE, days: 4, seed: 31 });
      names = readdirSync(env.dir).filter((n) => n.startsWith('ZLPE')).sort();
      for (const [i, name] of names.entries()) {
        const { report } = await env.run(name, i === 0 ? null : names[i - 1]!, { approveMassChange: true });
        assert.deepEqual(report.failures, [], name);
        dumps.push(await readWholeDump(createReadStream(join(env.dir, name)), { file: name }));
      }
      full = await moSnapshot(env.client, { contentOnly: true });
    });

    /** Employments of every dump that speak for their person alone, with e-mail and user name. */
    const speakers = () => {
      const everywhere = dumps[0]!.employments.filter((e) => dumps.every((d) => d.employments.some((x) => x.id === e.id)));
      const alone = (e: Employment) => dumps.every((d) => d.employments.filter((x) => x.cpr === e.cpr).length === 1);
      return everywhere.filter((e) => e.entryDate !== null && e.userId && e.email && alone(e));
    };
    const chooseManager = () => {
      const manager = speakers().find((e) => e.isManager);
      assert.ok(manager, 'the generated municipality has a manager to re-import');
      return manager;
    };
    const chooseWithFunctions = () => {
      const found = speakers().find((e) => e.functions.length > 0 && !e.isManager);
      assert.ok(found, 'the generated municipality has an employment with functions to re-import');
      return found;
    };

    /** Deletes (or, where MO v30 cannot delete, ends from its start) the employment's and its person's MO data. */
    const deleteByHand = async (e: Employment) => {
      const c = env.client;
      const [person] = await c.persons.byCprs([e.cpr], 'all');
      const engagements = await c.engagements.read({ userKeys: [e.id] }, 'all');
      const managers = await c.managers.read({ userKeys: [e.id] }, 'all');
      const addresses = await c.addresses.read({ personUuids: [person!.uuid] }, 'all');
      const itUsers = await c.itUsers.read({ personUuids: [person!.uuid] }, 'all');
      const roles = await c.roleBindings.read({ userKeys: [e.id] }, 'all');
      assert.ok(engagements.length === 1 && addresses.length > 0 && itUsers.length > 0, 'the full import gave the employment all of them');
      assert.equal(managers.length, e.isManager ? 1 : 0);
      assert.equal(roles.length > 0, e.functions.length > 0);
      for (const x of engagements) await c.engagements.delete({ uuid: x.uuid });
      for (const m of managers) await c.managers.terminate({ uuid: m.uuid, to: m.validities[0]!.from! });
      for (const r of roles) await c.roleBindings.terminate({ uuid: r.uuid, to: r.validities[0]!.from! });
      for (const a of addresses) await c.addresses.delete({ uuid: a.uuid });
      for (const u of itUsers) await c.itUsers.delete({ uuid: u.uuid });
      return { roles: roles.length, addresses: addresses.length };
    };

    it('restores an employment whose MO data was deleted by hand, exactly as the full import had it', async () => {
      for (const e of [chooseManager(), chooseWithFunctions()]) {
        const deleted = await deleteByHand(e);
        assert.notDeepEqual(await moSnapshot(env.client, { contentOnly: true }), full, 'deleted');
        const report = await reimport(e.id);
        console.log(`re-import of ${e.id} (manager: ${e.isManager}, ${deleted.roles} rolebindings, ${deleted.addresses} addresses): ${JSON.stringify(report.imported)} ${JSON.stringify(report.counts)}`);
        assert.deepEqual(report.failures, []);
        assert.equal(report.imported[0]!.dump, names[0], 'replayed from the first dump on');
        assert.ok(report.counts.engagement?.created && report.counts.itUser?.created && report.counts.address?.created, JSON.stringify(report.counts));
        assert.deepEqual(await moSnapshot(env.client, { contentOnly: true }), full, `employment ${e.id}: MO holds what the full import sequence gave it`);

        const again = await reimport(e.id);
        assert.deepEqual(again.imported.map((s) => s.writes), again.imported.map(() => 0), 'a second re-import writes nothing');
      }
      const { plan } = await env.plan(names.at(-1)!, names.at(-2)!, { full: true });
      assert.deepEqual(plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}: ${o.reason}`).slice(0, 5), [], 'and the nightly import finds nothing to do');
    });

    it('restores a terminated employment (ended by a leave stub) and a wrongly imported one', async () => {
      // An employment of the first dump that a later one ends with a leave stub, and that MO holds (one lying
      // wholly in a part of its unit that a later dump took away has no engagement left to delete).
      const leftIds = dumps.flatMap((d) => d.leaves.map((l) => l.id)).filter((id) => dumps[0]!.employments.some((x) => x.id === id));
      const byKey = (a: { validities: { userKey: string }[] }, b: { validities: { userKey: string }[] }) => a.validities[0]!.userKey.localeCompare(b.validities[0]!.userKey);
      const [left] = (await env.client.engagements.read({ userKeys: [...new Set(leftIds)] }, 'all')).sort(byKey);
      assert.ok(left, 'the generated dumps have an employment that ends with a leave stub');
      const leftId = left.validities[0]!.userKey;
      await env.client.engagements.delete({ uuid: left.uuid });
      // One still open in the last dump, moved by hand from 2024-01-02 into the unit of another one (both
      // units valid from then on: MO refuses an engagement outside its unit).
      const open = (await env.client.engagements.read({ userKeys: dumps.at(-1)!.employments.map((x) => x.id) }))
        .filter((e) => e.validities.at(-1)!.to === null && e.validities.at(-1)!.from! <= '2024-01-02')
        .sort(byKey);
      const unitOf = (e: (typeof open)[number]) => e.validities.at(-1)!.orgUnitUuid;
      const wrong = open.find((e) => open.some((o) => unitOf(o) !== unitOf(e)));
      assert.ok(wrong, 'the last dump has open employments in two units');
      const moved = { id: wrong.validities[0]!.userKey };
      await env.client.engagements.update({ uuid: wrong.uuid, orgUnitUuid: unitOf(open.find((o) => unitOf(o) !== unitOf(wrong))!), from: '2024-01-02', to: null });
      assert.notDeepEqual(await moSnapshot(env.client, { contentOnly: true }), full);

      const ended = await reimport(leftId);
      assert.deepEqual(ended.failures, []);
      assert.deepEqual(ended.imported.map((s) => s.why), ['the record is new in the window', 'leave stub'], 'replayed where the record changed: first seen, then the leave stub');
      assert.deepEqual((await reimport(moved.id)).failures, []);
      assert.deepEqual(await moSnapshot(env.client, { contentOnly: true }), full);
    });

    it('a dry run returns the plans and writes nothing', async () => {
      const e = chooseManager();
      const [engagement] = await env.client.engagements.read({ userKeys: [e.id] }, 'all');
      await env.client.engagements.terminate({ uuid: engagement!.uuid, to: '2024-01-03' });
      const before = await moSnapshot(env.client, { contentOnly: true });
      const report = await reimport(e.id, { dryRun: true });
      assert.equal(report.dryRun, true);
      assert.deepEqual(await moSnapshot(env.client, { contentOnly: true }), before, 'nothing written');
      const ops = report.plans.flatMap((p) => p.ops.map((o) => `${o.op.kind} ${o.op.action}`));
      assert.ok(ops.includes('engagement update'), JSON.stringify(ops));
      await reimport(e.id);
      assert.deepEqual(await moSnapshot(env.client, { contentOnly: true }), full);
    });

    it('an employment in none of the dumps of the window is not possible', async () => {
      await assert.rejects(reimport('999999'), (error: Error) => error instanceof ReimportNotPossible && /employment 999999 is in none of the 5 dump\(s\) from the last 1000 days/.test(error.message));
      await assert.rejects(reimport(chooseManager().id, { days: 2 }), /holds no dumps from the last 2 days \(since 2024-01-08\)/);
    });
  });
}
