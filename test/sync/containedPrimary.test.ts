// A unit whose start moves later ends the part of an engagement that lay in it before (plan/containment.ts),
// even when the dump does not change the employment. The person's primary engagement is then decided anew for
// that part: their other engagement becomes primary there, in the same run, so that a full comparison
// afterwards finds nothing to write. (Found by the generated week against the real OS2MO: the ended part's
// person was not among the people the primary engagement was planned for.) Against each MO.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useImportEnv } from '../support/importEnv.js';
import { moKinds, moSkip } from '../support/moTargets.js';
import { dumpXml, type EmployeeSpec, type UnitSpec } from '../support/opusXml.js';

const CPR = '0101701234';
const units = (start2: string): UnitSpec[] => [
  { id: '1', name: 'Andeby Kommune', startDate: '1990-01-01' },
  { id: '2', parent: '1', startDate: start2 },
  { id: '3', parent: '1', startDate: '1990-01-01' },
];
// The lower employment number is primary while both run.
const staff: EmployeeSpec[] = [
  { id: '100', cpr: CPR, orgUnit: '2', entryDate: '2010-01-01' },
  { id: '200', cpr: CPR, orgUnit: '3', entryDate: '2015-01-01' },
];

for (const kind of moKinds()) {
  describe(`a unit narrowed under an engagement decides the person's primary engagement anew (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);
    const primaryOf = async (id: string) =>
      (await env.client.engagements.read({ userKeys: [id] }, 'all'))[0]?.validities.map((v) => `${v.from}..${v.to ?? ''} ${v.isPrimary ? 'primary' : 'non-primary'}`);

    it('the other engagement is primary where the narrowed unit no longer holds the first one; a full plan then writes nothing', async () => {
      const d1 = env.dump('2024-03-01', dumpXml(units('1990-01-01'), staff));
      assert.deepEqual((await env.run(d1, null)).report.failures, []);
      assert.deepEqual(await primaryOf('100'), ['2010-01-01.. primary']);
      assert.deepEqual(await primaryOf('200'), ['2015-01-01.. non-primary']);

      // Unit 2 starts in 2020 now; the employments are as they were.
      const d2 = env.dump('2024-03-02', dumpXml(units('2020-01-01'), staff));
      const { plan, report } = await env.run(d2, d1);
      assert.deepEqual(report.failures, []);
      assert.ok(plan.ops.some((o) => o.op.kind === 'engagement' && o.op.action === 'terminate' && o.subject.opusId === '100'), 'the part of employment 100 before 2020 is ended');
      assert.deepEqual(await primaryOf('100'), ['2020-01-01.. primary']);
      assert.deepEqual(await primaryOf('200'), ['2015-01-01..2020-01-01 primary', '2020-01-01.. non-primary']);
      const { plan: full } = await env.plan(d2, d1, { full: true });
      assert.deepEqual(full.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}: ${o.reason}`), []);
    });
  });
}
