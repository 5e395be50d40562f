// OPUS functions as MO rolebindings through real imports into each MO (local and OS2MO): role class
// "artText - roleText" in facet role, bound to the person's Opus IT user in the employment's unit with the
// function's validity; changed functions follow, vanished ones and those of ended employments end; nothing to
// write the second time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UUIDS, useImportEnv } from '../support/importEnv.js';
import { dumpXml, TREE, type EmployeeSpec } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';

const CPR = '0101901234';
const TR = { artText: 'Tillidsrepræsentant', roleText: 'TR', startDate: '2019-01-01', endDate: '9999-12-31' };
const AMR = { artText: 'Arbejdsmiljørepræsentant', startDate: '2020-03-01', endDate: '9999-12-31' };
const worker = (over: Partial<EmployeeSpec> = {}): EmployeeSpec => ({ id: '1000', cpr: CPR, orgUnit: '2', entryDate: '2015-01-01', userId: 'ab1000', functions: [TR, AMR], ...over });

for (const kind of moKinds()) {
  describe(`importing OPUS into MO: functions as rolebindings (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);
    const unitName = new Map([[UUIDS.unit('2'), 'unit 2'], [UUIDS.unit('3'), 'unit 3']]);
    /** Rolebindings of the employment as "role: from..to unit IT-user" per slice. */
    const roles = async (id = '1000') => {
      const [classes, itUsers] = await Promise.all([env.client.classes.byFacet('role'), env.client.itUsers.read({}, 'all')]);
      const roleName = new Map(classes.map((c) => [c.uuid, c.name]));
      const itUserName = new Map(itUsers.map((u) => [u.uuid, u.validities.at(-1)!.userKey]));
      const out: string[] = [];
      for (const r of await env.client.roleBindings.read({ userKeys: [id] }, 'all')) {
        for (const v of r.validities) out.push(`${roleName.get(v.roleUuid)}: ${v.from}..${v.to ?? ''} ${unitName.get(v.orgUnitUuid!) ?? v.orgUnitUuid} ${itUserName.get(v.itUserUuid)}`);
      }
      return out.sort();
    };

    it("creates one rolebinding per function, on the person's Opus IT user, in the employment's unit", async () => {
      const day1 = env.dump('2024-01-01', dumpXml(TREE, [worker()]));
      const { report } = await env.run(day1, null);
      assert.deepEqual(report.failures, []);
      assert.deepEqual(report.counts.roleBinding, { created: 2 });
      assert.deepEqual(await roles(), ['Arbejdsmiljørepræsentant: 2020-03-01.. unit 2 ab1000', 'Tillidsrepræsentant - TR: 2019-01-01.. unit 2 ab1000']);
      assert.equal((await env.plan(day1, null, { full: true })).plan.ops.length, 0, 'nothing to write the second time');
    });

    it('a changed end date, a move and a vanished function are written from the dump date', async () => {
      const day2 = env.dump('2024-01-02', dumpXml(TREE, [worker({ orgUnit: '3', functions: [{ ...TR, endDate: '2024-06-30' }] })]));
      const { report } = await env.run(day2, 'ZLPE20240101223000_delta.xml');
      assert.deepEqual(report.failures, []);
      assert.deepEqual(await roles(), [
        'Arbejdsmiljørepræsentant: 2020-03-01..2024-01-02 unit 2 ab1000',
        'Tillidsrepræsentant - TR: 2019-01-01..2024-01-02 unit 2 ab1000',
        'Tillidsrepræsentant - TR: 2024-01-02..2024-07-01 unit 3 ab1000',
      ]);
      assert.equal((await env.plan(day2, null, { full: true })).plan.ops.length, 0);
    });

    it('a renamed Opus IT user keeps its rolebindings; a leave stub ends them', async () => {
      const day3 = env.dump('2024-01-03', dumpXml(TREE, [worker({ orgUnit: '3', userId: 'cd1000', functions: [{ ...TR, endDate: '2024-06-30' }] })]));
      assert.deepEqual((await env.run(day3, 'ZLPE20240102223000_delta.xml')).report.failures, []);
      // The IT user is renamed, not replaced: the rolebinding stays on it (its name now shows the new one).
      assert.deepEqual((await roles()).filter((r) => r.includes('unit 3')), ['Tillidsrepræsentant - TR: 2024-01-02..2024-07-01 unit 3 cd1000']);
      const day4 = env.dump('2024-01-04', dumpXml(TREE, [{ leave: '1000' }]));
      assert.deepEqual((await env.run(day4, day3)).report.failures, []);
      assert.deepEqual((await roles()).filter((r) => r.includes('unit 3')), ['Tillidsrepræsentant - TR: 2024-01-02..2024-01-04 unit 3 cd1000']);
    });

    it('functions of a person without an Opus user name are reported, not imported', async () => {
      const day = env.dump('2024-02-01', dumpXml(TREE, [worker({ id: '2000', cpr: '0202902345', userId: undefined })]));
      const { plan, report } = await env.run(day, null);
      assert.deepEqual(report.failures, []);
      assert.equal(plan.ops.filter((o) => o.op.kind === 'roleBinding').length, 0);
      assert.ok(plan.issues.some((i) => i.opusId === '2000' && /2 function\(s\), but its person has no Opus user name/.test(i.message)), JSON.stringify(plan.issues));
      assert.deepEqual(await roles('2000'), []);
    });
  });
}
