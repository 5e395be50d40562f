// DAR addresses against the MO's own DAR (the DAR stand-in, test/support/darServer.ts, which both MOs are
// pointed at): a DAR value is checked in DAR on create and on an update of the value, a read names the address
// by DAR's text, "Ukendt" when DAR does not have it, and fails when DAR cannot be reached. And the order of
// the uuid lists inside an object (a manager's responsibilities, an IT user's engagements) and of a
// collection's objects. Expected answers are OS2MO 66.1.2's, measured.
import assert from 'node:assert/strict';
import { readAddressesWithName } from '../../../src/mo/documents/addresses.js';
import { readItUsers } from '../../../src/mo/documents/itUsers.js';
import { readManagers } from '../../../src/mo/documents/managers.js';
import type { DarServer } from '../../support/darServer.js';
import { accepted, refused, type Contract, type ContractCase } from '../support/contract.js';
import { addressType, ALL, engagement, EVERYTHING, itSystem, managerInput, person, unit } from './common.js';

/** An address DAR has, under the case's uuid for the label; returns its uuid and DAR's text. */
function known(c: Contract, dar: DarServer, label: string, husnr: string): { id: string; text: string } {
  const id = c.id(label);
  const text = dar.know({ id, vejnavn: 'Kontraktvej', husnr, postnr: '8880', postnrnavn: 'Andeby' });
  return { id, text };
}

/** OS2MO's refusal of a DAR value DAR does not have (or that is no uuid). */
const invalidDar = (value: string) => ({ key: 'V_INVALID_ADDRESS_DAR', status: 400, description: 'Invalid address', extras: { value } });

const names = (data: Record<string, any>) =>
  (data.addresses.objects as { uuid: string; validities: { value: string; name: string | null }[] }[]).flatMap((o) => o.validities.map((v) => [v.value, v.name]));

export function darCases(dar: () => DarServer): ContractCase[] {
  return [
    {
      name: 'a DAR value is checked in DAR on create and update; an address DAR does not have is named Ukendt',
      async run(c) {
        const p = await person(c, 'person');
        const type = await addressType(c, 'DAR');
        const home = known(c, dar(), 'home', '1');
        const moved = known(c, dar(), 'moved', '2');
        const nowhere = c.id('an address DAR does not have');
        const address = c.id('address');
        const create = (label: string, value: string, uuid = address) =>
          c.mutate(label, 'address', 'create', { uuid, person: p, address_type: type, value, validity: { from: '2021-01-01' } });
        refused(await create('an address DAR does not have', nowhere), invalidDar(nowhere));
        refused(await create('no uuid', 'Kontraktvej 1, 8880 Andeby'), invalidDar('Kontraktvej 1, 8880 Andeby'));
        refused(await c.bulk('one of a list DAR does not have', 'address', 'create', [
          { uuid: c.id('first'), person: p, address_type: type, value: home.id, validity: { from: '2021-01-01' } },
          { uuid: c.id('second'), person: p, address_type: type, value: nowhere, validity: { from: '2021-01-01' } },
        ]), invalidDar(nowhere));
        accepted(await create('an address DAR has', home.id));
        const update = (label: string, value: string) => c.mutate(label, 'address', 'update', { uuid: address, address_type: type, value, validity: { from: '2023-01-01' } });
        refused(await update('moved to an address DAR does not have', nowhere), invalidDar(nowhere));
        accepted(await c.mutate('an update without a value is not checked', 'address', 'update', { uuid: address, user_key: 'hjem', validity: { from: '2022-01-01' } }));
        accepted(await update('moved to an address DAR has', moved.id));
        const read = async (label: string) => names(accepted(await c.read(label, readAddressesWithName, { filter: { uuids: [address], ...EVERYTHING }, ...ALL }), label));
        assert.deepEqual(await read('named by DAR'), [
          [home.id, home.text],
          [home.id, home.text],
          [moved.id, moved.text],
        ]);
        dar().forget(moved.id);
        assert.deepEqual(await read('withdrawn from DAR after it was stored'), [
          [home.id, home.text],
          [home.id, home.text],
          [moved.id, 'Ukendt'],
        ]);
      },
    },
    {
      name: 'a read of a DAR address’s name fails while DAR cannot be reached',
      async run(c) {
        const u = await unit(c, 'unit', { from: '2020-01-01' });
        const type = await addressType(c, 'DAR');
        const place = known(c, dar(), 'place', '3');
        const address = c.id('address');
        accepted(await c.mutate('address', 'address', 'create', { uuid: address, org_unit: u, address_type: type, value: place.id, validity: { from: '2021-01-01' } }));
        const read = () => c.read('name while DAR is down', readAddressesWithName, { filter: { uuids: [address] } });
        const back = await dar().unreachable();
        let answer;
        try {
          answer = await read();
        } finally {
          await back();
        }
        assert.equal(answer.errors.length, 1, JSON.stringify(answer.errors));
        const port = new URL(dar().url).port;
        // After ~30 s on OS2MO: its DAR client retries a failed look-up for 30 s before it gives up.
        assert.equal(answer.errors[0]!.message, `Cannot connect to host 127.0.0.1:${port} ssl:default [Connect call failed ('127.0.0.1', ${port})]`);
        assert.deepEqual(answer.errors[0]!.path, ['addresses', 'objects', 0, 'validities', 0, 'name']);
        assert.equal(answer.data?.addresses.objects[0].validities[0].name, null);
        assert.equal(answer.data?.addresses.objects[0].validities[0].value, place.id);
        assert.deepEqual(names(accepted(await c.read('DAR is back', readAddressesWithName, { filter: { uuids: [address] } }))), [[place.id, place.text]]);
      },
    },
    {
      name: 'uuid lists in an object hold what was written (in no fixed order); a collection’s objects come in uuid order',
      async run(c) {
        const u = await unit(c, 'unit', { from: '2020-01-01' });
        const p = await person(c, 'person');
        const responsibilities = ['r1', 'r2', 'r3', 'r4'].map((l) => c.id(`responsibility ${l}`));
        const written = [...responsibilities].sort().reverse();
        accepted(await c.mutate('manager', 'manager', 'create', { ...managerInput(c, 'manager', p, u, { from: '2021-01-01' }), responsibility: written }));
        const managers = accepted(await c.read('the manager', readManagers, { filter: { uuids: [c.id('manager')] } }));
        // OS2MO answers these lists in no fixed order (seen: neither written nor uuid order): compare as sets.
        assert.deepEqual([...managers.managers.objects[0].validities[0].responsibility_uuids].sort(), [...responsibilities].sort());
        const engagements = [];
        for (const l of ['e1', 'e2', 'e3']) engagements.push(await engagement(c, l, p, u, { from: '2021-01-01' }));
        const system = await itSystem(c, 'system');
        const account = c.id('account');
        accepted(await c.mutate('IT user', 'itUser', 'create', { uuid: account, itsystem: system, user_key: `konto-${account.slice(0, 8)}`, person: p, engagements: [...engagements].sort().reverse(), validity: { from: '2021-01-01' } }));
        const users = accepted(await c.read('the IT user', readItUsers, { filter: { uuids: [account] } }));
        assert.deepEqual([...users.itusers.objects[0].validities[0].engagement_uuids].sort(), [...engagements].sort());
        // A collection: the objects of a filter, written in reverse uuid order.
        const email = await addressType(c, 'EMAIL');
        const addresses = ['a1', 'a2', 'a3', 'a4', 'a5'].map((l) => c.id(`address ${l}`)).sort().reverse();
        for (const [i, uuid] of addresses.entries()) {
          accepted(await c.mutate(`address ${i}`, 'address', 'create', { uuid, person: p, address_type: email, value: `a${i}@andeby.dk`, validity: { from: '2021-01-01' } }));
        }
        const answer = accepted(await c.read('the person’s addresses', readAddressesWithName, { filter: { employee: { uuids: [p] } } }));
        assert.deepEqual(answer.addresses.objects.map((o: any) => o.uuid), [...addresses].sort());
      },
    },
  ];
}
