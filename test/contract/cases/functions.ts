// Engagements, addresses, managers, IT users and rolebindings against their unit's and person's validity;
// CPR numbers; a create with a uuid MO has; rolebinding uuids; unknown uuids; an address update without its
// type. Expected answers are OS2MO 66.1.2's, measured.
import assert from 'node:assert/strict';
import { readOrgUnits } from '../../../src/mo/documents/orgUnits.js';
import { readPersons } from '../../../src/mo/documents/persons.js';
import { readRoleBindings } from '../../../src/mo/documents/roleBindings.js';
import { accepted, failed, outsideUnit, refused, type ContractCase } from '../support/contract.js';
import { addressType, anyClass, ALL, engagement, engagementHistory, engagementInput, EVERYTHING, itSystem, managerHistory, managerInput, periods, person, unit } from './common.js';

export const FUNCTION_CASES: ContractCase[] = [
  {
    name: 'an engagement is created within its unit and person, but an update is not checked against the unit',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01', to: '2030-01-01' });
      const p = await person(c, 'person');
      const create = (label: string, validity: object, over: Record<string, unknown> = {}) =>
        c.mutate(label, 'engagement', 'create', { ...engagementInput(c, 'engagement', p, u, validity as { from: string }), ...over });
      refused(await create('starts before the unit', { from: '2019-01-01', to: '2021-01-01' }), outsideUnit(u, '2020-01-01', '2030-01-01'));
      refused(await create('open past the unit’s end', { from: '2021-01-01' }), outsideUnit(u, '2020-01-01', '2030-01-01'));
      const nowhere = c.id('unknown unit');
      refused(await create('in an unknown unit', { from: '2021-01-01' }, { org_unit: nowhere }), { key: 'E_ORG_UNIT_NOT_FOUND', status: 404, description: 'Org unit not found.', extras: { org_unit_uuid: nowhere } });
      const nobody = c.id('unknown person');
      refused(await create('for an unknown person', { from: '2021-01-01', to: '2022-01-01' }, { person: nobody }), { key: 'E_USER_NOT_FOUND', status: 404, description: 'User not found.', extras: { employee_uuid: nobody } });
      refused(await create('before the person was born (checked before the unit)', { from: '1940-01-01', to: '2022-01-01' }), {
        key: 'V_DATE_OUTSIDE_EMPL_RANGE',
        status: 400,
        description: 'Date range exceeds validity range of associated employee.',
        extras: { uuid: p, valid_from: null, valid_to: null },
      });
      refused(await c.bulk('one of a list outside', 'engagement', 'create', [engagementInput(c, 'inside', p, u, { from: '2021-01-01', to: '2022-01-01' }), engagementInput(c, 'outside', p, u, { from: '2019-01-01', to: '2022-01-01' })]), outsideUnit(u, '2020-01-01', '2030-01-01'));
      accepted(await create('inside', { from: '2021-01-01', to: '2025-01-01' }));
      accepted(await c.mutate('an update reaching outside the unit', 'engagement', 'update', { uuid: c.id('engagement'), extension_1: 'udenfor', validity: { from: '2019-01-01', to: '2035-01-01' } }));
      const read = accepted(await engagementHistory(c, 'the engagement', [c.id('engagement'), c.id('inside')]));
      assert.deepEqual(periods(read, 'engagements'), [['2019-01-01', '2035-01-01']]);
    },
  },
  {
    name: 'an engagement update cannot give the engagement to another person: the person is ignored',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01' });
      const p = await person(c, 'person');
      const q = await person(c, 'other person');
      accepted(await c.mutate('engagement', 'engagement', 'create', engagementInput(c, 'engagement', p, u, { from: '2021-01-01' })));
      accepted(await c.mutate('update with another person', 'engagement', 'update', { uuid: c.id('engagement'), person: q, extension_1: 'flyttet', validity: { from: '2023-01-01' } }));
      const read = accepted(await engagementHistory(c, 'the engagement', [c.id('engagement')]));
      const people = (read.engagements.objects[0].validities as { person_response: { uuid: string }; extension_1: string | null }[]).map((v) => [v.person_response.uuid, v.extension_1]);
      assert.deepEqual(people, [
        [p, null],
        [p, 'flyttet'],
      ]);
    },
  },
  {
    name: 'addresses, IT users and rolebindings are created within their unit; managers are checked on update only',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01', to: '2030-01-01' });
      const other = await unit(c, 'other unit', { from: '2021-01-01' });
      const p = await person(c, 'person');
      const outside = outsideUnit(u, '2020-01-01', '2030-01-01');
      const email = await addressType(c, 'EMAIL');
      const address = (label: string, validity: object) => c.mutate(label, 'address', 'create', { uuid: c.id('address'), org_unit: u, address_type: email, value: 'enhed@andeby.dk', validity });
      refused(await address('address before the unit', { from: '2019-01-01', to: '2021-01-01' }), outside);
      accepted(await address('address inside', { from: '2021-01-01', to: '2025-01-01' }));
      accepted(await c.mutate('address update outside (not checked)', 'address', 'update', { uuid: c.id('address'), address_type: email, value: 'ny@andeby.dk', validity: { from: '2019-01-01', to: '2031-01-01' } }));
      const system = await itSystem(c, 'system');
      const account = (label: string, validity: object) => c.mutate(label, 'itUser', 'create', { uuid: c.id('account'), itsystem: system, user_key: `konto-${c.id('account').slice(0, 8)}`, org_unit: u, validity });
      refused(await account('IT user before the unit', { from: '2019-01-01', to: '2021-01-01' }), outside);
      accepted(await account('IT user inside', { from: '2021-01-01', to: '2025-01-01' }));
      accepted(await c.mutate('IT user update outside (not checked)', 'itUser', 'update', { uuid: c.id('account'), user_key: 'udenfor', validity: { from: '2019-01-01', to: '2031-01-01' } }));
      const binding = (label: string, validity: object) => c.mutate(label, 'roleBinding', 'create', { ituser: c.id('account'), role: anyClass(c), org_unit: u, validity });
      refused(await binding('rolebinding before the unit', { from: '2019-01-01', to: '2021-01-01' }), outside);
      accepted(await c.mutate('manager before the unit (not checked on create)', 'manager', 'create', managerInput(c, 'manager', p, u, { from: '2019-01-01', to: '2021-01-01' })));
      refused(await c.mutate('manager update outside its unit', 'manager', 'update', { uuid: c.id('manager'), user_key: 'udenfor', validity: { from: '2019-06-01', to: '2021-01-01' } }), outside);
      accepted(await c.mutate('manager update inside', 'manager', 'update', { uuid: c.id('manager'), user_key: 'indenfor', validity: { from: '2020-01-01', to: '2021-01-01' } }));
      // A move is checked against the unit the manager is in, not the one it moves to. (Once a manager has
      // been in two units, which of them OS2MO checks varies from object to object: not part of the contract.)
      refused(await c.mutate('manager moved, checked against its unit', 'manager', 'update', { uuid: c.id('manager'), org_unit: other, validity: { from: '2025-01-01' } }), outside);
      accepted(await c.mutate('manager moved within its unit’s validity', 'manager', 'update', { uuid: c.id('manager'), org_unit: other, validity: { from: '2021-01-01', to: '2022-01-01' } }));
      assert.deepEqual(periods(accepted(await managerHistory(c, 'the manager', [c.id('manager')])), 'managers'), [['2019-01-01', '2020-01-01'], ['2020-01-01', '2021-01-01'], ['2021-01-01', '2022-01-01']]);
    },
  },
  {
    name: 'a duplicate CPR number is refused on create only',
    async run(c) {
      const first = await person(c, 'first');
      const duplicate = { key: 'V_EXISTING_CPR', status: 409, description: 'Person with CPR number already exists.' };
      refused(await c.mutate('another person, same CPR', 'person', 'create', { uuid: c.id('second'), given_name: 'Anden', surname: 'Person', cpr_number: c.cpr('first') }), duplicate);
      accepted(await c.mutate('the same person again (replaces it)', 'person', 'create', { uuid: first, given_name: 'Første', surname: 'Person', cpr_number: c.cpr('first') }));
      const second = await person(c, 'second');
      accepted(await c.mutate('an update may give the CPR to another person', 'person', 'update', { uuid: second, cpr_number: c.cpr('first'), validity: { from: '2024-01-01' } }));
      const read = accepted(await c.read('persons with the CPR', readPersons, { filter: { cpr_numbers: [c.cpr('first')], ...EVERYTHING }, ...ALL }));
      assert.deepEqual(read.persons.objects.map((o: any) => o.uuid).sort(), [first, second].sort());
    },
  },
  {
    name: 'a create with a uuid MO already has replaces the object, also after a delete',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01' });
      const p = await person(c, 'person');
      const e = await engagement(c, 'engagement', p, u, { from: '2021-01-01', to: '2022-01-01' });
      accepted(await c.mutate('create again', 'engagement', 'create', { ...engagementInput(c, 'engagement', p, u, { from: '2023-01-01' }), user_key: 'igen' }));
      assert.deepEqual(periods(accepted(await engagementHistory(c, 'replaced', [e])), 'engagements'), [['2023-01-01', null]]);
      accepted(await c.mutate('delete', 'engagement', 'delete', e));
      accepted(await c.mutate('create after the delete', 'engagement', 'create', engagementInput(c, 'engagement', p, u, { from: '2024-01-01' })));
      assert.deepEqual(periods(accepted(await engagementHistory(c, 'back again', [e])), 'engagements'), [['2024-01-01', null]]);
      accepted(await c.mutate('a unit created again', 'orgUnit', 'create', { uuid: u, name: 'igen', org_unit_type: anyClass(c), validity: { from: '2019-01-01' } }));
    },
  },
  {
    name: 'rolebinding_create makes up its own uuid; an IT user with an active rolebinding cannot be terminated',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01' });
      const p = await person(c, 'person');
      const system = await itSystem(c, 'system');
      const account = c.id('account');
      accepted(await c.mutate('IT user', 'itUser', 'create', { uuid: account, itsystem: system, user_key: `konto-${account.slice(0, 8)}`, person: p, validity: { from: '2020-01-01' } }));
      const given = c.id('binding');
      const created = accepted(await c.mutate('rolebinding with a uuid', 'roleBinding', 'create', { uuid: given, ituser: account, role: anyClass(c), org_unit: u, validity: { from: '2020-01-01' } }));
      const made = created.rolebinding_create.uuid as string;
      assert.notEqual(made, given);
      const read = accepted(await c.read('the IT user’s rolebindings', readRoleBindings, { filter: { ituser: { uuids: [account] }, ...EVERYTHING }, ...ALL }));
      assert.deepEqual(read.rolebindings.objects.map((o: any) => o.uuid), [made]);
      refused(await c.mutate('end the IT user', 'itUser', 'terminate', { uuid: account, to: '2025-01-01' }), {
        key: 'V_TERMINATE_ITUSER_WITH_ROLEBINDINGS',
        status: 400,
        description: 'Cannot terminate IT user with active rolebindings.',
        extras: { rolebinding_uuids: [made] },
      });
      accepted(await c.mutate('end the rolebinding', 'roleBinding', 'terminate', { uuid: made, to: '2025-01-01' }));
      accepted(await c.mutate('then the IT user', 'itUser', 'terminate', { uuid: account, to: '2025-01-01' }));
    },
  },
  {
    name: 'an unknown uuid is answered as OS2MO answers it, per kind and action',
    async run(c) {
      const x = c.id('unknown');
      const validity = { from: '2021-01-01' };
      const gone = { key: 'E_NOT_FOUND', status: 404, description: 'Not found.' };
      refused(await c.mutate('update a unit', 'orgUnit', 'update', { uuid: x, name: 'x', validity }), { key: 'E_ORG_UNIT_NOT_FOUND', status: 404, description: 'Org unit not found.', extras: { org_unit_uuid: x } });
      refused(await c.mutate('update an engagement', 'engagement', 'update', { uuid: x, fraction: 1, validity }), { key: 'E_INVALID_INPUT', status: 400, description: 'invalid input syntax for type uuid: "None"' });
      refused(await c.mutate('update an address', 'address', 'update', { uuid: x, user_key: 'x', validity }), gone);
      refused(await c.mutate('update an IT user', 'itUser', 'update', { uuid: x, user_key: 'x', validity }), gone);
      refused(await c.mutate('update a rolebinding', 'roleBinding', 'update', { uuid: x, ituser: x, validity }), { ...gone, extras: { uuid: x } });
      failed(await c.mutate('update a manager', 'manager', 'update', { uuid: x, user_key: 'x', validity }), 'list index out of range');
      failed(await c.mutate('update a person', 'person', 'update', { uuid: x, given_name: 'x', validity }), 'one of the hex, bytes, bytes_le, fields, or int arguments must be given');
      for (const kind of ['engagement', 'address', 'manager', 'itUser', 'roleBinding'] as const) {
        refused(await c.mutate(`terminate ${kind}`, kind, 'terminate', { uuid: x, to: '2021-01-01' }), { ...gone, extras: { uuid: x, original: null } });
      }
      for (const kind of ['engagement', 'address', 'itUser'] as const) {
        refused(await c.mutate(`delete ${kind}`, kind, 'delete', x), { ...gone, description: `No OrganisationFunktion with ID ${x} found.` });
      }
    },
  },
  {
    name: 'a time of day: dropped on create and update, refused in a terminate',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01T10:00:00+01:00', to: '2030-01-01T10:00:00+01:00' });
      accepted(await c.mutate('update', 'orgUnit', 'update', { uuid: u, name: 'ny', validity: { from: '2024-01-01', to: '2024-06-01T10:00:00+02:00' } }));
      assert.deepEqual(periods(accepted(await c.read('the unit', readOrgUnits, { filter: { uuids: [u], ...EVERYTHING }, ...ALL })), 'org_units'), [
        ['2020-01-01', '2024-01-01'],
        ['2024-01-01', '2024-06-01'],
        ['2024-06-01', '2030-01-01'],
      ]);
      const p = await person(c, 'person');
      const e = await engagement(c, 'engagement', p, u, { from: '2021-01-01', to: '2025-01-01' });
      const description = "'2024-07-01T02:00:00+02:00' is not at midnight!";
      refused(await c.mutate('terminate at 00:00 UTC', 'engagement', 'terminate', { uuid: e, to: '2024-07-01T00:00:00Z' }), {
        key: 'E_INVALID_INPUT',
        status: 400,
        description,
        message: `(<ErrorCodes.E_INVALID_INPUT: (400, 'Invalid input.')>, "${description}")`,
      });
    },
  },
  {
    name: 'an engagement needs a person; an address and an IT user exactly one of person and unit',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01' });
      const p = await person(c, 'person');
      const email = await addressType(c, 'EMAIL');
      const system = await itSystem(c, 'system');
      const invalid = (description: string) => ({ key: 'E_INVALID_INPUT', status: 400, description, message: `(<ErrorCodes.E_INVALID_INPUT: (400, 'Invalid input.')>, ${description.includes("'") ? `"${description}"` : `'${description}'`})` });
      const validity = { from: '2021-01-01' };
      refused(await c.mutate('engagement without a person', 'engagement', 'create', { org_unit: u, job_function: anyClass(c), engagement_type: anyClass(c), validity }), invalid("Must set one of 'person' and 'employee'"));
      const address = (label: string, owners: object) => c.mutate(label, 'address', 'create', { ...owners, address_type: email, value: 'a@andeby.dk', validity });
      refused(await address('address without an owner', {}), invalid('Must supply exactly one org_unit or person UUID'));
      refused(await address('address with two owners', { person: p, org_unit: u }), invalid('Must supply exactly one org_unit or person UUID'));
      refused(await c.mutate('IT user without an owner', 'itUser', 'create', { itsystem: system, user_key: 'ingen', validity }), invalid('Exactly 1 of the fields {mapping.ORG_UNIT} or {mapping.PERSON} must be set'));
    },
  },
  {
    name: 'an address update with a value needs its address_type',
    async run(c) {
      const p = await person(c, 'person');
      const email = await addressType(c, 'EMAIL');
      const a = c.id('address');
      accepted(await c.mutate('address', 'address', 'create', { uuid: a, person: p, address_type: email, value: 'a@andeby.dk', validity: { from: '2021-01-01' } }));
      const answer = await c.mutate('update without address_type', 'address', 'update', { uuid: a, value: 'b@andeby.dk', validity: { from: '2022-01-01' } }, { ignoreContext: ['obj'] });
      assert.equal(answer.errors[0]?.extensions?.error_context?.error_key, 'V_MISSING_REQUIRED_VALUE', JSON.stringify(answer.errors));
      assert.equal(answer.errors[0]?.extensions?.error_context?.description, 'Missing address_type');
      assert.equal(answer.errors[0]?.extensions?.error_context?.key, 'address_type');
      assert.equal(answer.errors[0]?.message, 'ErrorCodes.V_MISSING_REQUIRED_VALUE');
      accepted(await c.mutate('update without a value needs none', 'address', 'update', { uuid: a, user_key: 'nøgle', validity: { from: '2022-01-01' } }));
    },
  },
];
