// The primary engagement calculation (seed "Primær ansættelse", spec §4.7) on hand-made timelines, and the
// simulation of a plan's engagement writes it runs on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calculatePrimary, UNKNOWN_PRIMARY, type PrimaryEngagement, type PrimaryPeriod } from '../../src/sync/primary/calculate.js';
import { simulateEngagementWrites, type SimPeriod } from '../../src/sync/primary/simulate.js';

const CLASSES = { primary: 'P', nonPrimary: 'N', explicit: 'X' };
const TYPES = ['månedsløn', 'timeløn'];
const options = { classes: CLASSES, typeRank: (t: string) => (TYPES.includes(t) ? TYPES.indexOf(t) : Infinity) };

const period = (from: string, to: string | null, type = 'månedsløn', primary: PrimaryPeriod['primaryUuid'] = null): PrimaryPeriod => ({ from, to, engagementTypeUuid: type, primaryUuid: primary });
const eng = (uuid: string, userKey: string, ...periods: PrimaryPeriod[]): PrimaryEngagement => ({ uuid, userKey, periods });
const writes = (engagements: PrimaryEngagement[]) => calculatePrimary(engagements, options).writes.map((w) => `${w.uuid} ${w.from}..${w.to ?? ''} ${w.primaryUuid}`);

describe('the primary engagement', () => {
  it('one engagement is primary over its whole life', () => {
    assert.deepEqual(writes([eng('a', '1000', period('2020-01-01', null))]), ['a 2020-01-01.. P']);
  });

  it('the engagement type listed first wins, whatever the employment number', () => {
    assert.deepEqual(writes([eng('a', '1000', period('2020-01-01', null, 'timeløn')), eng('b', '2000', period('2020-01-01', null, 'månedsløn'))]), [
      'a 2020-01-01.. N',
      'b 2020-01-01.. P',
    ]);
  });

  it('a listed type beats an unlisted one; among equal types the lowest employment number wins, numerically', () => {
    assert.deepEqual(writes([eng('a', '1000', period('2020-01-01', null, 'vikar')), eng('b', '2000', period('2020-01-01', null, 'timeløn'))]), ['a 2020-01-01.. N', 'b 2020-01-01.. P']);
    // "900" < "1000" numerically, not as text.
    assert.deepEqual(writes([eng('a', '1000', period('2020-01-01', null)), eng('b', '900', period('2020-01-01', null))]), ['a 2020-01-01.. N', 'b 2020-01-01.. P']);
    // A user_key that is no number ranks after every number.
    assert.deepEqual(writes([eng('a', 'manuel', period('2020-01-01', null)), eng('b', '5', period('2020-01-01', null))]), ['a 2020-01-01.. N', 'b 2020-01-01.. P']);
  });

  it('an explicitly primary engagement stays primary and is never written; the others become non-primary', () => {
    assert.deepEqual(writes([eng('a', '1', period('2020-01-01', null, 'månedsløn', 'P')), eng('b', '2', period('2020-01-01', null, 'timeløn', 'X'))]), ['a 2020-01-01.. N']);
  });

  it('two explicitly primary engagements at once are reported and left alone', () => {
    const result = calculatePrimary(
      [eng('a', '1', period('2020-01-01', '2021-01-01', 'månedsløn', 'X'), period('2021-01-01', null, 'månedsløn', 'N')), eng('b', '2', period('2020-01-01', null, 'månedsløn', 'X'))],
      options,
    );
    assert.deepEqual(result.conflicts, [{ from: '2020-01-01', to: '2021-01-01', uuids: ['a', 'b'] }]);
    assert.deepEqual(result.writes, [], 'from 2021 b is the one explicit primary and a already non-primary');
  });

  it('writes only where the class changes, per interval in which the set of engagements is constant', () => {
    // a: 2020 → open; b: 2021 → 2022 (lower number, so primary while it runs); c: from 2023, a better type.
    const engagements = [
      eng('a', '500', period('2020-01-01', '2023-01-01', 'timeløn', 'P'), period('2023-01-01', null, 'timeløn', 'P')),
      eng('b', '100', period('2021-01-01', '2022-01-01', 'timeløn', 'N')),
      eng('c', '900', period('2023-01-01', null, 'månedsløn')),
    ];
    assert.deepEqual(writes(engagements), ['a 2021-01-01..2022-01-01 N', 'a 2023-01-01.. N', 'b 2021-01-01..2022-01-01 P', 'c 2023-01-01.. P']);
    const { wanted } = calculatePrimary(engagements, options);
    assert.deepEqual(wanted.get('a'), [
      { from: '2020-01-01', to: '2021-01-01', primaryUuid: 'P' },
      { from: '2021-01-01', to: '2022-01-01', primaryUuid: 'N' },
      { from: '2022-01-01', to: '2023-01-01', primaryUuid: 'P' },
      { from: '2023-01-01', to: null, primaryUuid: 'N' },
    ]);
    // Once written, the same engagements need nothing.
    const settled = engagements.map((e) => eng(e.uuid, e.userKey, ...wanted.get(e.uuid)!.map((w) => period(w.from, w.to, e.periods[0]!.engagementTypeUuid, w.primaryUuid))));
    assert.deepEqual(writes(settled), []);
  });

  it('the type of the period counts: a change of engagement type moves the primary from that day', () => {
    const engagements = [eng('a', '1', period('2020-01-01', '2022-01-01', 'månedsløn', 'P'), period('2022-01-01', null, 'timeløn', 'P')), eng('b', '2', period('2020-01-01', null, 'månedsløn', 'N'))];
    assert.deepEqual(writes(engagements), ['a 2022-01-01.. N', 'b 2022-01-01.. P']);
  });

  it('a period whose class is unknown is always written', () => {
    assert.deepEqual(writes([eng('a', '1', period('2020-01-01', '2021-01-01', 'månedsløn', 'P'), period('2021-01-01', null, 'månedsløn', UNKNOWN_PRIMARY))]), ['a 2021-01-01.. P']);
  });
});

describe("simulating a plan's engagement writes", () => {
  const base = (): SimPeriod => ({ from: '2020-01-01', to: null, personUuid: 'p', userKey: '1', engagementTypeUuid: 't', primaryUuid: 'P' });
  const show = (timelines: Map<string, SimPeriod[]>) => (timelines.get('e') ?? []).map((p) => `${p.from}..${p.to ?? ''} ${p.engagementTypeUuid} ${String(p.primaryUuid)}`);

  it('create, update (keeping the class), terminate and delete', () => {
    const timelines = new Map<string, SimPeriod[]>();
    simulateEngagementWrites(timelines, [
      { kind: 'engagement', action: 'create', input: { uuid: 'e', userKey: '1', personUuid: 'p', orgUnitUuid: 'u', jobFunctionUuid: 'j', engagementTypeUuid: 't', primaryUuid: 'P', from: '2020-01-01', to: null } },
      { kind: 'engagement', action: 'update', input: { uuid: 'e', engagementTypeUuid: 't2', from: '2022-01-01', to: null } },
      { kind: 'engagement', action: 'terminate', input: { uuid: 'e', to: '2025-01-01' } },
    ]);
    assert.deepEqual(show(timelines), ['2020-01-01..2022-01-01 t P', '2022-01-01..2025-01-01 t2 P']);
    simulateEngagementWrites(timelines, [{ kind: 'engagement', action: 'terminate', input: { uuid: 'e', from: '2021-01-01', to: '2021-06-01' } }]);
    assert.deepEqual(show(timelines), ['2020-01-01..2021-01-01 t P', '2021-06-01..2022-01-01 t P', '2022-01-01..2025-01-01 t2 P']);
    simulateEngagementWrites(timelines, [{ kind: 'engagement', action: 'delete', input: { uuid: 'e' } }]);
    assert.deepEqual(show(timelines), []);
  });

  it('an update that re-opens a period leaves its class unknown, unless it writes one', () => {
    const timelines = new Map([['e', [{ ...base(), to: '2021-01-01' }]]]);
    simulateEngagementWrites(timelines, [{ kind: 'engagement', action: 'update', input: { uuid: 'e', engagementTypeUuid: 't', from: '2019-01-01', to: '2022-01-01' } }]);
    const unknown = String(UNKNOWN_PRIMARY);
    assert.deepEqual(show(timelines), [`2019-01-01..2020-01-01 t ${unknown}`, '2020-01-01..2021-01-01 t P', `2021-01-01..2022-01-01 t ${unknown}`]);
    simulateEngagementWrites(timelines, [{ kind: 'engagement', action: 'update', input: { uuid: 'e', primaryUuid: 'N', from: '2019-01-01', to: null } }]);
    assert.deepEqual(show(timelines), ['2019-01-01..2020-01-01 t N', '2020-01-01..2021-01-01 t N', '2021-01-01..2022-01-01 t N', '2022-01-01.. t N']);
  });
});
