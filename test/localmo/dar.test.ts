// DAR addresses through a DAR service, as OS2MO 66.1.2 handles them: a name is DAR's text, asked on every read
// ("Ukendt" when DAR has no such address, a failed read when DAR cannot be reached), and a DAR value is
// looked up on create; without a DAR service the name is the stored value and a value need only be a uuid.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DarServer } from '../support/darServer.js';
import { postgresSkip } from '../support/postgres.js';
import { useLocalMo, type LocalMoTestEnv } from '../support/localmo.js';

const skip = await postgresSkip();
const KNOWN = '0a3f50a0-23a5-32b8-e044-0003ba298018';
const ACCESS_ONLY = '0a3f507a-4f7e-32b8-e044-0003ba298018';
const UNKNOWN = '99999999-9999-4999-8999-999999999999';

async function addDarAddresses(env: LocalMoTestEnv, values: string[]): Promise<string> {
  const types = await env.ok(`{ classes(filter: {user_keys: ["AdressePostEmployee"]}) { objects { uuid } } }`);
  const person = await env.ok(`mutation { employee_create(input: {given_name: "Dar", surname: "Dawa"}) { uuid } }`);
  const personUuid = person.employee_create.uuid as string;
  await env.ok(`mutation($input: [AddressCreateInput!]!) { addresses_create(input: $input) { uuid } }`, {
    input: values.map((value) => ({ person: personUuid, address_type: types.classes.objects[0].uuid, value, validity: { from: '2024-01-01' } })),
  });
  return personUuid;
}

const namesQuery = `query($p: UUID!) { addresses(filter: {employee: {uuids: [$p]}}) { objects { current { value name } } } }`;

describe('local MO DAR names through a DAR service', { skip }, () => {
  let dar: DarServer;
  before(async () => {
    dar = await DarServer.start();
    dar.know({ id: KNOWN, vejnavn: 'Rentemestervej', husnr: '8', postnr: '2400', postnrnavn: 'København NV' });
    dar.know({ id: ACCESS_ONLY, vejnavn: 'Hovedgaden', husnr: '1', postnr: '8000', postnrnavn: 'Aarhus C' }, 'adgangsadresse');
  });
  after(() => dar.stop());
  const env = useLocalMo(() => ({ darBaseUrl: dar.url }));

  it('names a DAR address by its DAR text, asking DAR on every read (in one request per resource), Ukendt once DAR has withdrawn it', async () => {
    const person = await addDarAddresses(env, [KNOWN, ACCESS_ONLY]);
    dar.resetCounts();
    const first = await env.ok(namesQuery, { p: person });
    const names = Object.fromEntries(first.addresses.objects.map((a: any) => [a.current.value, a.current.name]));
    assert.deepEqual(names, { [KNOWN]: 'Rentemestervej 8, 2400 København NV', [ACCESS_ONLY]: 'Hovedgaden 1, 8000 Aarhus C' });
    assert.deepEqual(
      dar.lookups.map((l) => [l.resource, [...l.ids].sort(), l.list]),
      [
        ['adresser', [ACCESS_ONLY, KNOWN], true],
        ['adgangsadresser', [ACCESS_ONLY], true],
      ],
      'a list look-up in adresser, then the rest in adgangsadresser',
    );
    const second = await env.ok(namesQuery, { p: person });
    assert.deepEqual(second, first);
    assert.equal(dar.lookups.length, 4, 'the second read asked DAR again (nothing is kept between requests)');
    dar.forget(ACCESS_ONLY);
    const third = await env.ok(namesQuery, { p: person });
    assert.deepEqual(Object.fromEntries(third.addresses.objects.map((a: any) => [a.current.value, a.current.name]))[ACCESS_ONLY], 'Ukendt');
    dar.know({ id: ACCESS_ONLY, vejnavn: 'Hovedgaden', husnr: '1', postnr: '8000', postnrnavn: 'Aarhus C' }, 'adgangsadresse');
  });

  it('refuses a DAR value DAR does not have, as OS2MO does', async () => {
    const answer = await env.gql(`mutation($p: UUID!, $t: UUID!, $v: String!) { address_create(input: {person: $p, address_type: $t, value: $v, validity: {from: "2024-01-01"}}) { uuid } }`, {
      p: (await env.ok(`mutation { employee_create(input: {given_name: "Dar", surname: "Ukendt"}) { uuid } }`)).employee_create.uuid,
      t: (await env.ok(`{ classes(filter: {user_keys: ["AdressePostEmployee"]}) { objects { uuid } } }`)).classes.objects[0].uuid,
      v: UNKNOWN,
    });
    assert.equal(answer.errors[0]?.message, 'ErrorCodes.V_INVALID_ADDRESS_DAR');
    assert.deepEqual(answer.errors[0]?.extensions?.error_context, { error: true, error_key: 'V_INVALID_ADDRESS_DAR', description: 'Invalid address', status: 400, value: UNKNOWN });
  });

  it('fails the read of a name while DAR cannot be reached, never showing an old name', async () => {
    const person = await addDarAddresses(env, [KNOWN]);
    const back = await dar.unreachable();
    try {
      const answer = await env.gql(namesQuery, { p: person });
      assert.match(answer.errors[0]?.message ?? '', /^Cannot connect to host 127\.0\.0\.1:\d+ ssl:default/);
      assert.equal(answer.data?.addresses.objects[0].current.name, null);
      assert.equal(answer.data?.addresses.objects[0].current.value, KNOWN);
    } finally {
      await back();
    }
  });

  it('leaves other scopes alone: the name of an e-mail address is its value', async () => {
    const types = await env.ok(`{ classes(filter: {user_keys: ["EmailEmployee"]}) { objects { uuid } } }`);
    const person = await env.ok(`mutation { employee_create(input: {given_name: "E", surname: "Mail"}) { uuid } }`);
    await env.ok(`mutation($p: UUID!, $t: UUID!) { address_create(input: {person: $p, address_type: $t, value: "e@andeby.dk", validity: {from: "2024-01-01"}}) { uuid } }`, {
      p: person.employee_create.uuid,
      t: types.classes.objects[0].uuid,
    });
    const asked = dar.lookups.length;
    const read = await env.ok(namesQuery, { p: person.employee_create.uuid });
    assert.equal(read.addresses.objects[0].current.name, 'e@andeby.dk');
    assert.equal(dar.lookups.length, asked);
  });
});

describe('local MO DAR names without a DAR service', { skip }, () => {
  const env = useLocalMo();

  it('takes any uuid as a DAR value (nothing to look it up in) and names it by its stored value', async () => {
    const person = await addDarAddresses(env, [UNKNOWN]);
    const read = await env.ok(namesQuery, { p: person });
    assert.deepEqual(read.addresses.objects[0].current, { value: UNKNOWN, name: UNKNOWN });
  });
});
