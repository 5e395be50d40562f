// Which writes each step of an import takes from a plan: its own phases, every phase once, and nothing that
// needs an object an earlier step failed to create.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restrictToPhases, STEP_PHASES } from '../../src/opusRuns/importSteps.js';
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
});
