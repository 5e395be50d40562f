// Which writes each step of an import takes from a plan: its own phases, every phase once, and nothing that
// needs an object an earlier step failed to create.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restrictToPhases, STEP_PHASES } from '../../src/opusRuns/importSteps.js';
import { KeptOnWorker, type KeptPlan } from '../../src/opusRuns/keptOnWorker.js';
import { PHASES, type Phase, type Plan, type PlanOp } from '../../src/sync/plan/types.js';

const op = (phase: Phase, action: 'create' | 'update', uuid: string, needs: string[] = []): PlanOp =>
  ({
    op: { kind: phase === 'units' ? 'orgUnit' : 'engagement', action, input: { uuid } },
    phase,
    subject: { kind: phase === 'units' ? 'unit' : 'employment', opusId: uuid, label: uuid },
    reason: 'test',
    needs,
  }) as unknown as PlanOp;

const plan = (ops: PlanOp[]): Plan => ({
  dump: 'ZLPE20240101223000_delta.xml',
  effective: '2024-01-01',
  ops,
  unchanged: {},
  issues: [],
  massChange: { activeEngagements: 0, endingEngagements: 0, activeUnits: 0, endingUnits: 0 },
});

describe('the import steps', () => {
  it('cover every phase exactly once, units first', () => {
    assert.deepEqual([...STEP_PHASES.units, ...STEP_PHASES.employees], [...PHASES]);
  });

  it("take their own phases' writes and skip the ones that need a create an earlier step still owes", () => {
    const replanned = plan([
      op('units', 'create', 'unit-that-failed'),
      op('units', 'update', 'unit-ok'),
      op('engagements', 'create', 'e1', ['unit-ok']),
      op('engagements', 'create', 'e2', ['unit-that-failed', 'unit-ok']),
      op('unitEndings', 'update', 'unit-ending'),
    ]);
    const units = restrictToPhases(replanned, STEP_PHASES.units);
    assert.deepEqual(units.ops.map((o) => o.subject.label), ['unit-that-failed', 'unit-ok']);
    assert.deepEqual(units.skipped, []);

    const employees = restrictToPhases(replanned, STEP_PHASES.employees);
    assert.deepEqual(employees.ops.map((o) => o.subject.label), ['e1', 'unit-ending']);
    assert.deepEqual(employees.skipped.map((o) => o.subject.label), ['e2']);
    assert.deepEqual([...employees.missing], ['unit-that-failed']);
  });

  it("from the units step's kept plan, the employees step takes every write of its phases: the units step wrote all of its part", () => {
    const kept = plan([op('units', 'create', 'new-unit'), op('engagements', 'create', 'e1', ['new-unit']), op('unitEndings', 'update', 'unit-ending')]);
    const employees = restrictToPhases(kept, STEP_PHASES.employees, 'written');
    assert.deepEqual(employees.ops.map((o) => o.subject.label), ['e1', 'unit-ending']);
    assert.deepEqual(employees.skipped, []);
    // The same plan made again after the units step would still owe the unit only if its create failed.
    assert.deepEqual(restrictToPhases(kept, STEP_PHASES.employees).skipped.map((o) => o.subject.label), ['e1']);
  });

  it('a kept plan is taken once (a retry plans again), and only the newest few are kept', () => {
    const plans = new KeptOnWorker<KeptPlan>(2);
    const kept = { plan: plan([]), comparedAll: false, comparedUnits: [] };
    const first = plans.keep(kept);
    assert.equal(plans.take(first), kept);
    assert.equal(plans.take(first), null, 'taken already');
    const [a, b, c] = [plans.keep(kept), plans.keep(kept), plans.keep(kept)];
    assert.equal(plans.take(a), null, 'the oldest was dropped');
    assert.equal(plans.take(b), kept);
    assert.equal(plans.take(c), kept);
    assert.equal(plans.take(undefined), null);
  });
});
