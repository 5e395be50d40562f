// The mass-change guard beyond endings (issue 14 §5): a dump whose names are garbled (a file in the wrong
// encoding) renames nearly everyone and brings a class per garbled job title; it waits for approval like a
// dump that ends too much. And a unit the reader rejects is left alone in MO, never ended as gone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MassChangeRefused } from '../../src/sync/importDump.js';
import { massChangeRefusal, type GuardOptions } from '../../src/sync/plan/guard.js';
import { planSummary } from '../../src/sync/planText.js';
import { BASE_OPTIONS, UUIDS, useImportEnv } from '../support/importEnv.js';
import { moKinds, moSkip } from '../support/moTargets.js';
import { dumpXml, type EmployeeSpec, type UnitSpec } from '../support/opusXml.js';

const GUARD: GuardOptions = { maxShare: 0.1, minCount: 10, maxNameShare: 0.1, maxNewClasses: 25 };
const QUIET = { activeEngagements: 100, endingEngagements: 0, activeUnits: 10, endingUnits: 0 };

describe('massChangeRefusal: renames and new classes', () => {
  it('holds a plan renaming more than the share of people, at least min_count of them', () => {
    assert.match(massChangeRefusal({ ...QUIET, people: 100, renamedPeople: 11 }, GUARD) ?? '', /it would rename 11 of 100 people \(11 %, more than 10 %\)/);
    assert.equal(massChangeRefusal({ ...QUIET, people: 100, renamedPeople: 10 }, GUARD), null, '10 % is allowed');
    assert.equal(massChangeRefusal({ ...QUIET, people: 20, renamedPeople: 9 }, GUARD), null, 'fewer than min_count');
    assert.match(massChangeRefusal({ ...QUIET, people: 100, renamedPeople: 30 }, { ...GUARD, maxNameShare: 0.2 }) ?? '', /rename 30 of 100/);
  });

  it('holds a plan creating more than max_new_classes classes, but not the first import', () => {
    assert.match(massChangeRefusal({ ...QUIET, newClasses: 26 }, GUARD) ?? '', /it would create 26 new classes \(more than 25\)/);
    assert.equal(massChangeRefusal({ ...QUIET, newClasses: 25 }, GUARD), null);
    assert.equal(massChangeRefusal({ ...QUIET, activeUnits: 0, newClasses: 400 }, GUARD), null, 'MO holds no OPUS unit yet: a first import');
  });

  it('a plan measured before renames and classes were counted passes as before', () => {
    assert.equal(massChangeRefusal(QUIET, GUARD), null);
  });
});

/** A name as a UTF-8 file read as ISO-8859-1 shows it: Ø → Ã˜ (written into a correct UTF-8 file, which reads without an error). */
const garble = (text: string) => Buffer.from(text, 'utf8').toString('latin1').replace(/[\u0080-\u009f]/g, '˜');
const TREE: UnitSpec[] = [{ id: '1', name: 'Andeby Kommune' }, { id: '2', parent: '1', name: 'Åby Skole' }, { id: '3', parent: '1', name: 'Ørby Børnehave' }];
const cpr = (n: number) => `0101${String(70 + (n % 30)).padStart(2, '0')}${String(2000 + n).slice(-4)}`;
const staff = (mangle: (s: string) => string = (s) => s): EmployeeSpec[] =>
  Array.from({ length: 30 }, (_, i) => ({
    id: String(20_000 + i),
    cpr: cpr(i),
    orgUnit: i % 2 ? '3' : '2',
    firstName: mangle(`Søren ${i}`),
    lastName: mangle('Ørsted'),
    position: mangle(`Pædagog ${i % 6}`),
  }));

for (const kind of moKinds()) {
  describe(`the guard holds a dump with garbled names and job titles (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);

    it('renaming 30 of 30 people and creating 6 job functions needs approval; approved, it applies', async () => {
      const d1 = env.dump('2024-07-01', dumpXml(TREE, staff()));
      assert.deepEqual((await env.run(d1, null)).report.failures, []);
      const d2 = env.dump('2024-07-02', dumpXml(TREE, staff(garble)));
      const guard = { ...BASE_OPTIONS.massChange, maxNewClasses: 5 };
      const { plan } = await env.plan(d2, d1, { massChange: guard });
      assert.equal(plan.massChange.renamedPeople, 30);
      assert.equal(plan.massChange.people, 30);
      assert.equal(plan.massChange.newClasses, 6);
      assert.match(planSummary(plan, guard, d1), /renames 30 of 30 people, creates 6 classes — NEEDS APPROVAL/);
      await assert.rejects(env.run(d2, d1, { massChange: guard }), (error: unknown) => {
        assert.ok(error instanceof MassChangeRefused);
        assert.match(error.message, /it would rename 30 of 30 people \(100 %, more than 10 %\) and it would create 6 new classes \(more than 5\)/);
        return true;
      });
      const { report } = await env.run(d2, d1, { massChange: guard, approveMassChange: true });
      assert.deepEqual(report.failures, []);
      assert.equal(report.counts.person?.updated, 30);
    });

    it('a unit the reader rejects (a 201-character name) is left alone, not ended as gone', async () => {
      const d3 = env.dump('2024-07-03', dumpXml(TREE, staff(garble)));
      await env.run(d3, env.dump('2024-07-02', dumpXml(TREE, staff(garble))));
      const d4 = env.dump('2024-07-04', dumpXml([TREE[0]!, TREE[1]!, { ...TREE[2]!, name: 'x'.repeat(201) }], staff(garble)));
      const { plan } = await env.plan(d4, d3);
      const unit3 = UUIDS.unit('3');
      assert.deepEqual(plan.ops.filter((o) => o.op.kind === 'orgUnit' && 'uuid' in o.op.input && o.op.input.uuid === unit3).map((o) => o.op.action), []);
      assert.ok(plan.issues.some((i) => i.opusId === '3' && /TOO_LONG: <longName> has 201 characters/.test(i.message)), JSON.stringify(plan.issues));
    });
  });
}
