// Reads: `validities` with and without arguments, and `current`. OS2MO primes its loader with what the
// collection's filter loaded, so `validities` and `current` without dates answer from the filter's window,
// not from the present. Expected answers are OS2MO 66.1.2's, measured.
import assert from 'node:assert/strict';
import { readOrgUnits } from '../../../src/mo/documents/orgUnits.js';
import { addDays, copenhagenToday } from '../../../src/mo/time.js';
import { accepted, failed, type Contract, type ContractCase } from '../support/contract.js';
import { EVERYTHING, engagement, person, unit } from './common.js';

/** [parent, from day] of each validity the one unit read has. */
const parents = (data: Record<string, any>) =>
  (data.org_units.objects[0]?.validities ?? []).map((v: any) => [v.parent_uuid, v.validity.from.slice(0, 10)] as [string, string]);

/** A unit under `old` from 2021, moved under `young` from 2023 (two validities, the second current). */
async function movedUnit(c: Contract): Promise<{ moved: string; old: string; young: string }> {
  const old = await unit(c, 'old', { from: '2020-01-01' });
  const young = await unit(c, 'young', { from: '2022-01-01' });
  const moved = await unit(c, 'moved', { from: '2021-01-01' }, old);
  accepted(await c.mutate('move it', 'orgUnit', 'update', { uuid: moved, parent: young, validity: { from: '2023-01-01' } }));
  return { moved, old, young };
}

const CURRENT_AND_VALIDITIES = `query ContractCurrent($filter: OrganisationUnitFilter) {
  org_units(filter: $filter) { objects { uuid current { parent_uuid } validities { parent_uuid validity { from to } } } }
}`;

export const READ_CASES: ContractCase[] = [
  {
    name: 'validities with and without arguments',
    async run(c) {
      const { moved, old, young } = await movedUnit(c);
      const read = async (label: string, filter: Record<string, unknown>, window: Record<string, unknown>) =>
        parents(accepted(await c.read(label, readOrgUnits, { filter: { uuids: [moved], ...filter }, ...window }), label));
      const both: [string, string][] = [[old, '2021-01-01'], [young, '2023-01-01']];
      assert.deepEqual(await read('no dates anywhere: the present', {}, {}), [[young, '2023-01-01']]);
      assert.deepEqual(await read('the whole history', EVERYTHING, { start: null, end: null }), both);
      assert.deepEqual(await read('filter everything, validities without arguments: the filter’s window', EVERYTHING, {}), both);
      assert.deepEqual(await read('filter at a date, validities without arguments', { from_date: '2022-01-01' }, {}), [[old, '2021-01-01']]);
      assert.deepEqual(await read('validities at a date', EVERYTHING, { start: '2022-01-01' }), [[old, '2021-01-01']]);
      assert.deepEqual(await read('validities from a date on', EVERYTHING, { start: '2022-01-01', end: null }), both);
      assert.deepEqual(await read('validities up to a date', EVERYTHING, { start: null, end: '2022-01-01' }), [[old, '2021-01-01']]);
      assert.deepEqual(await read('validities from now on', EVERYTHING, { end: null }), [[young, '2023-01-01']]);
      assert.deepEqual(await read('filter from a date, validities without arguments', { from_date: '2022-06-01', to_date: null }, {}), both);
      const cannotInfer = 'Cannot infer UNSET to_date from interval starting at -infinity';
      failed(await c.read('validities from the beginning of time without an end', readOrgUnits, { filter: { uuids: [moved], ...EVERYTHING }, start: null }), cannotInfer);
      failed(await c.read('a filter from the beginning of time without an end', readOrgUnits, { filter: { uuids: [moved], from_date: null } }), cannotInfer);
      failed(
        await c.read('validities ending before they start', readOrgUnits, { filter: { uuids: [moved], ...EVERYTHING }, start: '2023-06-01', end: '2022-01-01' }),
        'from_date 2023-06-01 00:00:00+02:00 must be less than or equal to to_date 2022-01-01 00:00:00+01:00',
      );
      failed(
        await c.read('a filter ending before it starts', readOrgUnits, { filter: { uuids: [moved], from_date: '2023-06-01', to_date: '2022-01-01' } }),
        'from_date 2023-06-01 00:00:00+02:00 must be less than or equal to to_date 2022-01-01 00:00:00+01:00',
      );
    },
  },
  {
    name: 'current follows the filter’s window too, and counts the end date as today',
    async run(c) {
      const { moved, young } = await movedUnit(c);
      const current = async (label: string, filter: Record<string, unknown>) => {
        const data = accepted(await c.send(label, { operationName: 'ContractCurrent', text: CURRENT_AND_VALIDITIES, mutation: false }, { filter: { uuids: [moved], ...filter } }), label);
        return data.org_units.objects[0]?.current?.parent_uuid ?? null;
      };
      assert.equal(await current('the present', {}), young);
      assert.equal(await current('the whole history', EVERYTHING), young);
      assert.equal(await current('a filter at a past date: nothing current', { from_date: '2022-01-01' }), null);
      const today = copenhagenToday();
      const p = await person(c, 'person');
      const home = await unit(c, 'home', { from: '2020-01-01' });
      const ending = await engagement(c, 'ends today', p, home, { from: '2020-01-01', to: today });
      const read = async (label: string, filter: Record<string, unknown>) =>
        accepted(
          await c.send(label, { operationName: 'ContractCurrentEngagement', text: 'query ContractCurrentEngagement($filter: EngagementFilter) { engagements(filter: $filter) { objects { uuid current { user_key } } } }', mutation: false }, { filter: { uuids: [ending], ...filter } }),
          label,
        ).engagements.objects as { current: { user_key: string } | null }[];
      assert.deepEqual(await read('ended today, read now', {}), []);
      assert.deepEqual(await read('ended today, read with the whole history', EVERYTHING), [{ uuid: ending, current: { user_key: 'ends today' } }]);
      assert.deepEqual(await read('ended today, read from yesterday on', { from_date: addDays(today, -1), to_date: null }), [{ uuid: ending, current: { user_key: 'ends today' } }]);
    },
  },
];
