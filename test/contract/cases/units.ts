// Units: within their parent on create and move, a move below itself, what a terminate (end or later
// start) refuses, and terminate with and without `from`. Expected answers are OS2MO 66.1.2's, measured.
import assert from 'node:assert/strict';
import { accepted, outsideUnit, refused, type ContractCase } from '../support/contract.js';
import { addressType, engagement, engagementHistory, itSystem, managerInput, periods, person, unit, unitHistory } from './common.js';

const NOT_FOUND_UNIT = (uuid: string) => ({ key: 'E_ORG_UNIT_NOT_FOUND', status: 404, description: 'Org unit not found.', extras: { org_unit_uuid: uuid } });
const WITH_ROLES = (roles: string) => ({ key: 'V_TERMINATE_UNIT_WITH_ROLES', status: 400, description: 'Cannot terminate unit with active roles.', extras: { roles } });
const WITH_CHILDREN = (count: number) => ({ key: 'V_TERMINATE_UNIT_WITH_CHILDREN', status: 400, description: 'Cannot terminate unit with active children.', extras: { child_count: count } });

export const UNIT_CASES: ContractCase[] = [
  {
    name: 'a unit is created within its parent’s validity, else refused',
    async run(c) {
      const parent = await unit(c, 'parent', { from: '2020-01-01', to: '2030-01-01' });
      const child = (label: string, validity: object, parentUuid = parent) =>
        c.mutate(label, 'orgUnit', 'create', { uuid: c.id('child'), name: 'child', org_unit_type: c.id('any-class'), parent: parentUuid, validity });
      refused(await child('starts before the parent', { from: '2019-01-01', to: '2025-01-01' }), outsideUnit(parent, '2020-01-01', '2030-01-01'));
      refused(await child('open past the parent’s end', { from: '2021-01-01' }), outsideUnit(parent, '2020-01-01', '2030-01-01'));
      const unknown = c.id('no such unit');
      refused(await child('under an unknown parent', { from: '2021-01-01' }, unknown), NOT_FOUND_UNIT(unknown));
      accepted(await child('inside the parent', { from: '2021-01-01', to: '2029-01-01' }));
      const read = accepted(await unitHistory(c, 'both units', [parent, c.id('child')]));
      assert.equal(read.org_units.objects.length, 2);
    },
  },
  {
    name: 'a unit may name a parent created earlier in the same request (aliased mutations run in order)',
    async run(c) {
      const parent = c.id('same-request parent');
      const child = c.id('same-request child');
      const input = (uuid: string, parentUuid: string | null) => ({ uuid, name: uuid, org_unit_type: c.id('any-class'), parent: parentUuid, validity: { from: '2020-01-01' } });
      accepted(
        await c.batch('parent, then its child, in one request', [
          { kind: 'orgUnit', action: 'create', value: input(parent, null) },
          { kind: 'orgUnit', action: 'create', value: input(child, parent) },
        ]),
      );
      const read = accepted(await unitHistory(c, 'both units', [parent, child]));
      assert.deepEqual(read.org_units.objects.map((o: any) => o.validities[0].parent_uuid).sort(), [null, parent].sort());
    },
  },
  {
    name: 'the root organisation as parent: a top-level unit on create, an unknown unit on update',
    async run(c) {
      const root = accepted(await c.send('the root organisation', { operationName: 'ContractRoot', text: 'query ContractRoot { org { uuid } }', mutation: false }, {})).org.uuid as string;
      const top = c.id('top');
      accepted(await c.mutate('under the root', 'orgUnit', 'create', { uuid: top, name: 'top', org_unit_type: c.id('any-class'), parent: root, validity: { from: '1900-01-01' } }));
      const other = await unit(c, 'other', { from: '2020-01-01' });
      refused(await c.mutate('moved under the root', 'orgUnit', 'update', { uuid: other, parent: root, validity: { from: '2021-01-01' } }), NOT_FOUND_UNIT(root));
      accepted(await c.mutate('moved to the top level', 'orgUnit', 'update', { uuid: other, parent: null, validity: { from: '2021-01-01' } }));
      const read = accepted(await unitHistory(c, 'both', [top, other]));
      assert.deepEqual(read.org_units.objects.flatMap((o: any) => o.validities.map((v: any) => v.parent_uuid)), [null, null]);
    },
  },
  {
    name: 'a unit moved under a parent must lie within the new parent for the moved period',
    async run(c) {
      const old = await unit(c, 'old parent', { from: '2020-01-01' });
      const young = await unit(c, 'young parent', { from: '2022-01-01' });
      const child = await unit(c, 'child', { from: '2021-01-01', to: '2029-01-01' }, old);
      const move = (label: string, from: string) => c.mutate(label, 'orgUnit', 'update', { uuid: child, parent: young, validity: { from } });
      refused(await move('from before the new parent starts', '2021-06-01'), outsideUnit(young, '2022-01-01', null));
      accepted(await move('from when the new parent exists (to null: open from then on)', '2023-01-01'));
      const read = accepted(await unitHistory(c, 'the moved unit', [child]));
      assert.deepEqual(periods(read, 'org_units'), [['2021-01-01', '2023-01-01'], ['2023-01-01', null]]);
      assert.deepEqual(read.org_units.objects[0].validities.map((v: any) => v.parent_uuid), [old, young]);
    },
  },
  {
    name: 'a unit cannot be moved below itself',
    async run(c) {
      const top = await unit(c, 'top', { from: '2020-01-01' });
      const below = await unit(c, 'below', { from: '2020-01-01' }, top);
      const toChild = { key: 'V_ORG_UNIT_MOVE_TO_CHILD', status: 400, description: 'Org unit cannot be moved to one of its own child units', extras: { org_unit_uuid: top } };
      refused(await c.mutate('under its child', 'orgUnit', 'update', { uuid: top, parent: below, validity: { from: '2021-01-01', to: '2022-01-01' } }), toChild);
      refused(await c.mutate('under itself', 'orgUnit', 'update', { uuid: top, parent: top, validity: { from: '2021-01-01', to: '2022-01-01' } }), toChild);
    },
  },
  {
    name: 'a unit update naming no parent is not checked against the parent',
    async run(c) {
      const parent = await unit(c, 'parent', { from: '2020-01-01', to: '2030-01-01' });
      const child = await unit(c, 'child', { from: '2021-01-01', to: '2025-01-01' }, parent);
      accepted(await c.mutate('rename beyond the parent', 'orgUnit', 'update', { uuid: child, name: 'renamed', validity: { from: '2019-01-01', to: '2031-01-01' } }));
      const read = accepted(await unitHistory(c, 'the renamed unit', [child]));
      assert.deepEqual(periods(read, 'org_units'), [['2019-01-01', '2031-01-01']]);
    },
  },
  {
    name: 'terminating a unit with active child units is refused',
    async run(c) {
      const parent = await unit(c, 'parent', { from: '2020-01-01' });
      await unit(c, 'child', { from: '2020-01-01' }, parent);
      refused(await c.mutate('end it', 'orgUnit', 'terminate', { uuid: parent, to: '2025-01-01' }), WITH_CHILDREN(1));
      refused(await c.mutate('start it later', 'orgUnit', 'terminate', { uuid: parent, from: '2020-01-01', to: '2021-01-01' }), WITH_CHILDREN(1));
    },
  },
  {
    name: 'terminating a unit with active details (and children) is refused, and allowed once they end',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01' });
      const child = await unit(c, 'child', { from: '2020-01-01' }, u);
      const p = await person(c, 'person');
      const e = await engagement(c, 'engagement', p, u, { from: '2020-01-01' });
      const email = await addressType(c, 'EMAIL');
      const a = c.id('address');
      accepted(await c.mutate('unit address', 'address', 'create', { uuid: a, org_unit: u, address_type: email, value: 'enhed@andeby.dk', validity: { from: '2020-01-01' } }));
      const m = c.id('manager');
      accepted(await c.mutate('manager', 'manager', 'create', managerInput(c, 'manager', p, u, { from: '2020-01-01' })));
      const system = await itSystem(c, 'system');
      const account = c.id('unit account');
      accepted(await c.mutate('unit IT account', 'itUser', 'create', { uuid: account, itsystem: system, user_key: `konto-${account.slice(0, 8)}`, org_unit: u, validity: { from: '2020-01-01' } }));
      const roles = 'Adresse, Engagement, IT-system, Leder';
      refused(await c.mutate('with children and roles', 'orgUnit', 'terminate', { uuid: u, to: '2025-01-01' }), {
        key: 'V_TERMINATE_UNIT_WITH_CHILDREN_AND_ROLES',
        status: 400,
        description: 'Cannot terminate unit with active children and roles.',
        extras: { child_count: 1, roles },
      });
      accepted(await c.mutate('end the child', 'orgUnit', 'terminate', { uuid: child, to: '2025-01-01' }));
      refused(await c.mutate('with roles', 'orgUnit', 'terminate', { uuid: u, to: '2025-01-01' }), WITH_ROLES(roles));
      accepted(
        await c.batch('end every detail at the same date', [
          { kind: 'engagement', action: 'terminate', value: { uuid: e, to: '2025-01-01' } },
          { kind: 'address', action: 'terminate', value: { uuid: a, to: '2025-01-01' } },
          { kind: 'manager', action: 'terminate', value: { uuid: m, to: '2025-01-01' } },
          { kind: 'itUser', action: 'terminate', value: { uuid: account, to: '2025-01-01' } },
        ]),
      );
      accepted(await c.mutate('then the unit', 'orgUnit', 'terminate', { uuid: u, to: '2025-01-01' }));
      assert.deepEqual(periods(accepted(await unitHistory(c, 'the ended unit', [u])), 'org_units'), [['2020-01-01', '2025-01-01']]);
    },
  },
  {
    name: 'terminate with and without from',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01' });
      accepted(await c.mutate('from and to: a later start', 'orgUnit', 'terminate', { uuid: u, from: '2020-01-01', to: '2021-01-01' }));
      accepted(await c.mutate('to only: an end', 'orgUnit', 'terminate', { uuid: u, to: '2025-01-01' }));
      assert.deepEqual(periods(accepted(await unitHistory(c, 'the unit', [u])), 'org_units'), [['2021-01-01', '2025-01-01']]);
      refused(await c.mutate('at a date the unit does not exist', 'orgUnit', 'terminate', { uuid: u, to: '2026-01-01' }), outsideUnit(u, '2021-01-01', '2025-01-01'));
      refused(await c.mutate('from a date the unit does not exist', 'orgUnit', 'terminate', { uuid: u, from: '2020-01-01', to: '2022-01-01' }), outsideUnit(u, '2021-01-01', '2025-01-01'));
      const unknown = c.id('unknown unit');
      refused(await c.mutate('an unknown unit', 'orgUnit', 'terminate', { uuid: unknown, to: '2025-01-01' }), NOT_FOUND_UNIT(unknown));
      const home = await unit(c, 'home', { from: '2020-01-01' });
      const p = await person(c, 'person');
      const e = await engagement(c, 'engagement', p, home, { from: '2020-01-01' });
      accepted(await c.mutate('engagement: a gap', 'engagement', 'terminate', { uuid: e, from: '2022-01-01', to: '2023-01-01' }));
      accepted(await c.mutate('engagement: an end', 'engagement', 'terminate', { uuid: e, to: '2024-01-01' }));
      assert.deepEqual(periods(accepted(await engagementHistory(c, 'the engagement', [e])), 'engagements'), [['2020-01-01', '2022-01-01'], ['2023-01-01', '2024-01-01']]);
      const gone = await engagement(c, 'ended before it starts', p, home, { from: '2021-01-01' });
      accepted(await c.mutate('an end before the start', 'engagement', 'terminate', { uuid: gone, to: '2020-06-01' }));
      assert.deepEqual(accepted(await engagementHistory(c, 'nothing is left', [gone])).engagements.objects, []);
    },
  },
  {
    name: 'a unit shrink that would leave an engagement outside it is refused (checked at one instant only)',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01' });
      const p = await person(c, 'person');
      await engagement(c, 'from the unit’s start', p, u, { from: '2020-01-01' });
      refused(await c.mutate('a later start', 'orgUnit', 'terminate', { uuid: u, from: '2020-01-01', to: '2021-01-01' }), WITH_ROLES('Engagement'));
      refused(await c.mutate('an earlier end', 'orgUnit', 'terminate', { uuid: u, to: '2025-01-01' }), WITH_ROLES('Engagement'));
      // OS2MO looks only at the first day that goes (`from`, else `to`): an engagement starting after it is
      // left outside the unit.
      const v = await unit(c, 'second unit', { from: '2020-01-01' });
      const later = await engagement(c, 'starts half a year in', p, v, { from: '2020-06-01' });
      accepted(await c.mutate('a later start past an engagement that starts after it', 'orgUnit', 'terminate', { uuid: v, from: '2020-01-01', to: '2021-01-01' }));
      assert.deepEqual(periods(accepted(await unitHistory(c, 'the shrunk unit', [v])), 'org_units'), [['2021-01-01', null]]);
      assert.deepEqual(periods(accepted(await engagementHistory(c, 'its engagement, now outside it', [later])), 'engagements'), [['2020-06-01', null]]);
    },
  },
];
