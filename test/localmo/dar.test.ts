// DAR address names: looked up in a DAWA-style service (a tiny local one here), cached in the database so
// a second read asks DAR nothing; without a DAR service the name is the stored value.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { postgresSkip } from '../support/postgres.js';
import { useLocalMo, type LocalMoTestEnv } from '../support/localmo.js';

const skip = await postgresSkip();
const KNOWN = '0a3f50a0-23a5-32b8-e044-0003ba298018';
const ACCESS_ONLY = '0a3f507a-4f7e-32b8-e044-0003ba298018';
const UNKNOWN = '99999999-9999-4999-8999-999999999999';

/** DAWA's /adresser/{id} and /adgangsadresser/{id} with struktur=mini: `betegnelse` is the address text. */
function fakeDar(): { server: Server; requests: string[]; ready: Promise<string> } {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const [, resource, id] = /^\/(adresser|adgangsadresser)\/([^/?]+)/.exec(req.url ?? '') ?? [];
    const known: Record<string, string> = { [`adresser/${KNOWN}`]: 'Rentemestervej 8, 2400 København NV', [`adgangsadresser/${ACCESS_ONLY}`]: 'Hovedgaden 1, 8000 Aarhus C' };
    const name = known[`${resource}/${id}`];
    res.writeHead(name ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(name ? { id, betegnelse: name } : { type: 'ResourceNotFoundError' }));
  });
  const ready = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  return { server, requests, ready };
}

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
  const dar = fakeDar();
  let darUrl = '';
  before(async () => {
    darUrl = await dar.ready;
  });
  after(() => new Promise<void>((resolve) => dar.server.close(() => resolve())));
  const env = useLocalMo(() => ({ darBaseUrl: darUrl }));

  it('names a DAR address by its DAR text, fetched once and then read from the cache', async () => {
    const person = await addDarAddresses(env, [KNOWN, ACCESS_ONLY, UNKNOWN]);
    const first = await env.ok(namesQuery, { p: person });
    const names = Object.fromEntries(first.addresses.objects.map((a: any) => [a.current.value, a.current.name]));
    assert.deepEqual(names, {
      [KNOWN]: 'Rentemestervej 8, 2400 København NV',
      [ACCESS_ONLY]: 'Hovedgaden 1, 8000 Aarhus C',
      [UNKNOWN]: UNKNOWN,
    });
    assert.ok(dar.requests.some((r) => r.startsWith(`/adresser/${KNOWN}`)));
    assert.ok(dar.requests.some((r) => r.startsWith(`/adgangsadresser/${ACCESS_ONLY}`)), 'falls back to access addresses');
    const asked = dar.requests.filter((r) => !r.includes(UNKNOWN)).length;
    const second = await env.ok(namesQuery, { p: person });
    assert.deepEqual(second, first);
    assert.equal(dar.requests.filter((r) => !r.includes(UNKNOWN)).length, asked, 'the second read asked DAR nothing for known addresses');
  });

  it('leaves other scopes alone: the name of an e-mail address is its value', async () => {
    const types = await env.ok(`{ classes(filter: {user_keys: ["EmailEmployee"]}) { objects { uuid } } }`);
    const person = await env.ok(`mutation { employee_create(input: {given_name: "E", surname: "Mail"}) { uuid } }`);
    await env.ok(`mutation($p: UUID!, $t: UUID!) { address_create(input: {person: $p, address_type: $t, value: "e@andeby.dk", validity: {from: "2024-01-01"}}) { uuid } }`, {
      p: person.employee_create.uuid,
      t: types.classes.objects[0].uuid,
    });
    const before = dar.requests.length;
    const read = await env.ok(namesQuery, { p: person.employee_create.uuid });
    assert.equal(read.addresses.objects[0].current.name, 'e@andeby.dk');
    assert.equal(dar.requests.length, before);
  });
});

describe('local MO DAR names without a DAR service', { skip }, () => {
  const env = useLocalMo();

  it('names a DAR address by its stored value', async () => {
    const person = await addDarAddresses(env, [KNOWN]);
    const read = await env.ok(namesQuery, { p: person });
    assert.deepEqual(read.addresses.objects[0].current, { value: KNOWN, name: KNOWN });
  });
});
