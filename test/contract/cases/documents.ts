// The normal case of every document moflow sends (src/mo/documents): each mutation alone and in bulk, a
// batch, and every read, with the data read back compared between the MOs through the transcripts.
import assert from 'node:assert/strict';
import { readAddresses, readAddressesWithName } from '../../../src/mo/documents/addresses.js';
import { readClasses } from '../../../src/mo/documents/classes.js';
import { readEngagements } from '../../../src/mo/documents/engagements.js';
import { readFacets } from '../../../src/mo/documents/facets.js';
import { readItSystems } from '../../../src/mo/documents/itSystems.js';
import { readItUsers } from '../../../src/mo/documents/itUsers.js';
import { readManagers } from '../../../src/mo/documents/managers.js';
import { readOrgUnits } from '../../../src/mo/documents/orgUnits.js';
import { readPersons } from '../../../src/mo/documents/persons.js';
import { readRoleBindings } from '../../../src/mo/documents/roleBindings.js';
import { accepted, type ContractCase } from '../support/contract.js';
import { ALL, anyClass, engagementInput, EVERYTHING, managerInput, person, unit } from './common.js';

const history = (uuids: string[]) => ({ filter: { uuids, ...EVERYTHING }, ...ALL });

export const DOCUMENT_CASES: ContractCase[] = [
  {
    name: 'facets, classes and IT systems: create, update and read',
    async run(c) {
      const facet = c.id('facet');
      accepted(await c.mutate('facet', 'facet', 'create', { uuid: facet, user_key: `contract_${facet}`, validity: { from: null } }));
      const primary = c.id('primary');
      const role = c.id('role');
      const system = c.id('system');
      accepted(await c.mutate('IT system', 'itSystem', 'create', { uuid: system, user_key: `system-${system.slice(0, 8)}`, name: 'System', validity: { from: null } }));
      accepted(await c.mutate('class', 'class', 'create', { uuid: primary, facet_uuid: facet, user_key: 'primær', name: 'Primær', scope: '3000', validity: { from: null } }));
      accepted(await c.mutate('role class', 'class', 'create', { uuid: role, facet_uuid: facet, user_key: 'rolle', name: 'Rolle', it_system_uuid: system, validity: { from: null } }));
      accepted(await c.mutate('class update (a full write)', 'class', 'update', { uuid: primary, facet_uuid: facet, user_key: 'primary', name: 'Primær', scope: '3000', validity: { from: null } }));
      const facets = accepted(await c.read('facets', readFacets, { filter: { uuids: [facet] } }));
      assert.deepEqual(facets.facets.objects, [{ uuid: facet, current: { uuid: facet, user_key: `contract_${facet}` } }]);
      const classes = accepted(await c.read('classes', readClasses, { filter: { uuids: [primary, role] } }));
      assert.equal(classes.classes.objects.length, 2);
      accepted(await c.read('classes of the facet', readClasses, { filter: { facet: { uuids: [facet] } } }));
      accepted(await c.read('IT systems', readItSystems, { filter: { uuids: [system] } }));
    },
  },
  {
    name: 'every kind: create (alone, in bulk, in a batch), update, terminate, delete and read back',
    async run(c) {
      const u = await unit(c, 'unit', { from: '2020-01-01' });
      accepted(await c.mutate('unit update', 'orgUnit', 'update', { uuid: u, name: 'omdøbt', validity: { from: '2022-01-01' } }));
      const p = await person(c, 'person');
      const q = await person(c, 'other person');
      accepted(await c.mutate('person update', 'person', 'update', { uuid: p, given_name: 'Ny', validity: { from: '2023-01-01' } }));
      const facet = c.id('facet');
      const primary = c.id('primary');
      const email = c.id('email');
      accepted(
        await c.batch('facet and classes in one batch', [
          { kind: 'facet', action: 'create', value: { uuid: facet, user_key: `contract_${facet}`, validity: { from: null } } },
          { kind: 'class', action: 'create', value: { uuid: primary, facet_uuid: facet, user_key: 'primary', name: 'Primær', scope: '3000', validity: { from: null } } },
          { kind: 'class', action: 'create', value: { uuid: email, facet_uuid: facet, user_key: 'Email', name: 'Email', scope: 'EMAIL', validity: { from: null } } },
        ]),
      );
      const e1 = c.id('e1');
      const e2 = c.id('e2');
      accepted(await c.mutate('engagement', 'engagement', 'create', { ...engagementInput(c, 'e1', p, u, { from: '2021-01-01' }), primary, fraction: 37, extension_1: 'stilling' }));
      accepted(await c.bulk('engagements', 'engagement', 'create', [engagementInput(c, 'e2', q, u, { from: '2021-01-01' }), engagementInput(c, 'e3', q, u, { from: '2021-01-01', to: '2024-01-01' })]));
      accepted(await c.mutate('engagement update', 'engagement', 'update', { uuid: e1, fraction: 30, validity: { from: '2022-01-01' } }));
      accepted(await c.bulk('engagements update', 'engagement', 'update', [{ uuid: e2, extension_2: 'x', validity: { from: '2022-01-01', to: '2023-01-01' } }, { uuid: c.id('e3'), primary, validity: { from: '2022-01-01', to: '2024-01-01' } }]));
      accepted(await c.mutate('engagement terminate', 'engagement', 'terminate', { uuid: e2, to: '2025-01-01' }));
      const a1 = c.id('a1');
      accepted(await c.mutate('address', 'address', 'create', { uuid: a1, person: p, engagement: e1, address_type: email, value: 'p@andeby.dk', validity: { from: '2021-01-01' } }));
      accepted(await c.bulk('addresses', 'address', 'create', [
        { uuid: c.id('a2'), org_unit: u, address_type: email, value: 'u@andeby.dk', user_key: 'enhedsmail', validity: { from: '2021-01-01' } },
        { uuid: c.id('a3'), person: q, address_type: email, value: 'q@andeby.dk', validity: { from: '2021-01-01' } },
      ]));
      accepted(await c.mutate('address update', 'address', 'update', { uuid: a1, address_type: email, value: 'ny@andeby.dk', validity: { from: '2022-01-01' } }));
      accepted(await c.mutate('address terminate', 'address', 'terminate', { uuid: c.id('a3'), to: '2023-01-01' }));
      accepted(await c.mutate('address delete', 'address', 'delete', c.id('a2')));
      const m1 = c.id('m1');
      accepted(await c.mutate('manager', 'manager', 'create', managerInput(c, 'm1', p, u, { from: '2021-01-01' })));
      accepted(await c.bulk('managers', 'manager', 'create', [managerInput(c, 'm2', null, u, { from: '2021-01-01' }), managerInput(c, 'm3', q, u, { from: '2021-01-01' })]));
      accepted(await c.mutate('manager update', 'manager', 'update', { uuid: m1, person: q, validity: { from: '2022-01-01' } }));
      accepted(await c.mutate('manager terminate', 'manager', 'terminate', { uuid: c.id('m3'), from: '2022-01-01', to: '2023-01-01' }));
      const system = c.id('system');
      accepted(await c.mutate('IT system', 'itSystem', 'create', { uuid: system, user_key: `system-${system.slice(0, 8)}`, name: 'System', validity: { from: null } }));
      const i1 = c.id('i1');
      const account = (label: string, owner: string, extra: object = {}) => ({ uuid: c.id(label), itsystem: system, user_key: `${label}-${c.id(label).slice(0, 8)}`, person: owner, validity: { from: '2021-01-01' }, ...extra });
      accepted(await c.mutate('IT user', 'itUser', 'create', account('i1', p, { external_id: 'ext-1', engagements: [e1] })));
      accepted(await c.bulk('IT users', 'itUser', 'create', [account('i2', q), account('i3', q)]));
      accepted(await c.mutate('IT user update', 'itUser', 'update', { uuid: i1, user_key: 'omdøbt', validity: { from: '2022-01-01' } }));
      accepted(await c.mutate('IT user terminate', 'itUser', 'terminate', { uuid: c.id('i2'), to: '2023-01-01' }));
      accepted(await c.mutate('IT user delete', 'itUser', 'delete', c.id('i3')));
      const role = anyClass(c);
      const made = accepted(await c.mutate('rolebinding', 'roleBinding', 'create', { ituser: i1, role, org_unit: u, validity: { from: '2021-01-01' } })).rolebinding_create.uuid as string;
      // rolebinding uuids are MO's own: one per IT user, so that the transcripts can line them up.
      accepted(await c.bulk('rolebindings', 'roleBinding', 'create', [{ ituser: c.id('i2'), role, validity: { from: '2021-01-01', to: '2022-01-01' } }]));
      accepted(await c.mutate('rolebinding update', 'roleBinding', 'update', { uuid: made, ituser: i1, user_key: 'rolle', validity: { from: '2022-01-01' } }));
      accepted(await c.mutate('rolebinding terminate', 'roleBinding', 'terminate', { uuid: made, to: '2024-01-01' }));
      accepted(await c.mutate('engagement delete', 'engagement', 'delete', c.id('e3')));
      accepted(await c.read('units', readOrgUnits, history([u])));
      accepted(await c.read('persons', readPersons, history([p, q])));
      const engagements = accepted(await c.read('engagements', readEngagements, { filter: { org_unit: { uuids: [u] }, ...EVERYTHING }, ...ALL }));
      assert.deepEqual(engagements.engagements.objects.map((o: any) => o.uuid).sort(), [e1, e2].sort());
      accepted(await c.read('addresses', readAddresses, { filter: { employee: { uuids: [p, q] }, ...EVERYTHING }, ...ALL }));
      accepted(await c.read('addresses with names', readAddressesWithName, history([a1, c.id('a2'), c.id('a3')])));
      accepted(await c.read('managers', readManagers, { filter: { org_unit: { uuids: [u] }, ...EVERYTHING }, ...ALL }));
      accepted(await c.read('IT users', readItUsers, { filter: { employee: { uuids: [p, q] }, ...EVERYTHING }, ...ALL }));
      for (const i of [i1, c.id('i2')]) accepted(await c.read('rolebindings', readRoleBindings, { filter: { ituser: { uuids: [i] }, ...EVERYTHING }, ...ALL }));
      accepted(await c.read('the present, a page at a time', readEngagements, { filter: { org_unit: { uuids: [u] } }, limit: 1 }));
    },
  },
];
