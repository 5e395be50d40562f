// No error is swallowed: data the export cannot trust fails it with a SnapshotError naming the object; gaps
// that are normal in MO (no job function, no engagement type, no CPR) never crash it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotError } from '../../src/plan2learn/errors.js';
import { exportPlan2Learn } from '../../src/plan2learn/export.js';
import type { MoSnapshot } from '../../src/plan2learn/snapshot.js';
import {
  AT_DAR,
  E_ANNA_2,
  E_BO,
  ET_MAANED,
  goldenOptions,
  goldenSnapshot,
  LVL_DEPT,
  M_ROOT_2,
  P_ANNA,
  R_ARBEJDSMILJO,
  U_BH,
  U_ROOT,
  U_SKOLE,
} from './fixture.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

function mutated(change: (s: Mutable<MoSnapshot>) => void): MoSnapshot {
  const snapshot = structuredClone(goldenSnapshot()) as Mutable<MoSnapshot>;
  change(snapshot);
  return snapshot;
}

function assertSnapshotError(snapshot: MoSnapshot, kind: string, uuid: string, problem: RegExp): void {
  for (const variant of ['Viborg', 'RSD'] as const) {
    assert.throws(
      () => exportPlan2Learn(snapshot, goldenOptions(variant)),
      (err: unknown) => {
        assert.ok(err instanceof SnapshotError, `a SnapshotError, not ${String(err)}`);
        assert.equal(err.objectKind, kind);
        assert.equal(err.uuid, uuid);
        assert.match(err.message, problem);
        return true;
      },
    );
  }
}

const withoutClass = (uuid: string) => (s: Mutable<MoSnapshot>) => {
  s.classes = s.classes.filter((c) => c.uuid !== uuid);
};

describe('an inconsistent snapshot fails with the object named', () => {
  it('a class that is referred to but missing: address type, engagement type, level, responsibility', () => {
    assertSnapshotError(mutated(withoutClass(AT_DAR)), 'address', 'dddddddd-0000-4000-8000-000000000020', new RegExp(`class ${AT_DAR} \\(address_type_uuid\\)`));
    assertSnapshotError(mutated(withoutClass(ET_MAANED)), 'engagement', 'eeeeeeee-0000-4000-8000-000000000001', /engagement_type_uuid/);
    assertSnapshotError(mutated(withoutClass(LVL_DEPT)), 'org_unit', U_SKOLE, /org_unit_level_uuid/);
    assertSnapshotError(mutated(withoutClass(R_ARBEJDSMILJO)), 'manager', M_ROOT_2, /responsibility_uuids/);
  });

  it('an object listed twice', () => {
    assertSnapshotError(mutated((s) => s.persons.push(s.persons[0]!)), 'person', P_ANNA, /appears twice/);
  });

  it('overlapping, empty or malformed validities', () => {
    const overlap = mutated((s) => {
      const e = s.engagements.find((x) => x.uuid === E_BO)!;
      e.validities = [e.validities[0]!, { ...e.validities[0]!, from: '2020-01-01', to: null }];
    });
    assertSnapshotError(overlap, 'engagement', E_BO, /overlapping validities \[2015-03-01, ∞\) and \[2020-01-01, ∞\)/);
    const empty = mutated((s) => {
      s.engagements.find((x) => x.uuid === E_BO)!.validities = [{ ...s.engagements.find((x) => x.uuid === E_BO)!.validities[0]!, from: '2020-01-01', to: '2020-01-01' }];
    });
    assertSnapshotError(empty, 'engagement', E_BO, /empty validity \[2020-01-01, 2020-01-01\)/);
    const datetime = mutated((s) => {
      const u = s.orgUnits.find((x) => x.uuid === U_BH)!;
      u.validities = [{ ...u.validities[0]!, from: '2000-01-01T00:00:00+01:00' }];
    });
    assertSnapshotError(datetime, 'org_unit', U_BH, /not dates YYYY-MM-DD/);
  });

  it('a root unit that is not valid today, or a cycle of parents', () => {
    assertSnapshotError(mutated((s) => (s.orgUnits = s.orgUnits.filter((u) => u.uuid !== U_ROOT))), 'org_unit', U_ROOT, /configured root unit .* not an org unit valid on 2024-05-15/);
    const cycle = mutated((s) => {
      const root = s.orgUnits.find((u) => u.uuid === U_ROOT)!;
      root.validities = [{ ...root.validities[0]!, parentUuid: U_SKOLE }];
    });
    assertSnapshotError(cycle, 'org_unit', U_ROOT, /cycle/);
  });
});

describe('gaps that are normal in MO never crash the export', () => {
  it('an engagement without engagement type is not exported (DIPEX: UUID(None) crashed)', () => {
    const snapshot = mutated((s) => {
      const e = s.engagements.find((x) => x.uuid === E_ANNA_2)!;
      e.validities = [{ ...e.validities[0]!, engagementTypeUuid: null }];
    });
    for (const variant of ['Viborg', 'RSD'] as const) {
      const exp = exportPlan2Learn(snapshot, goldenOptions(variant));
      assert.ok(!exp.files.find((f) => f.name === 'engagement.csv')!.content.toString().includes(E_ANNA_2));
    }
  });

  it('a DAR address without a looked-up name counts as unresolved (empty fields), not as a crash', () => {
    const snapshot = mutated((s) => {
      const a = s.addresses.find((x) => x.validities[0]!.orgUnitUuid === U_BH)!;
      a.validities = [{ ...a.validities[0]!, name: null }];
    });
    const exp = exportPlan2Learn(snapshot, goldenOptions('Viborg'));
    assert.ok(exp.files.find((f) => f.name === 'organisation.csv')!.content.toString().includes(`"${U_BH}";"Børnehuset";"${U_ROOT}";"";"";""\r\n`));
    assert.ok(exp.notes.some((n) => n.startsWith(`unit ${U_BH}: the DAR address "0a3f50a0-`)));
  });
});
