// Inputs the local MO answers as OS2MO 66.1.2 does, or refuses where OS2MO would corrupt data: a bulk list
// naming one object twice (OS2MO runs its inputs concurrently), an address update with a value but no
// address_type (OS2MO's exact answer), a type or visibility without a value (ignored), and a manager update
// without a person (vacates the role).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { postgresSkip } from '../support/postgres.js';
import { errorKey, useLocalMo } from '../support/localmo.js';

const skip = await postgresSkip();
const ANY_CLASS = '11111111-1111-4111-8111-111111111111';

describe('local MO: inputs as OS2MO 66 takes them', { skip }, () => {
  const env = useLocalMo();
  let unit: string;
  let person: string;
  let classes: Record<string, string>;

  const engagement = async () =>
    (
      await env.ok(`mutation($i: EngagementCreateInput!) { engagement_create(input: $i) { uuid } }`, {
        i: { person, org_unit: unit, job_function: ANY_CLASS, engagement_type: ANY_CLASS, validity: { from: '2024-01-01' } },
      })
    ).engagement_create.uuid as string;

  const addressSlices = async (uuid: string) =>
    (
      await env.ok(`query($u: [UUID!]) { addresses(filter: {uuids: $u, from_date: null, to_date: null}) { objects { validities(start: null, end: null) { value address_type_uuid visibility_uuid validity { from } } } } }`, {
        u: [uuid],
      })
    ).addresses.objects[0].validities;

  it('sets up a unit, a person and the classes', async () => {
    const data = await env.ok(`mutation {
      u: org_unit_create(input: {name: "Input", user_key: "INPUT", org_unit_type: "${ANY_CLASS}", validity: {from: "2020-01-01"}}) { uuid }
      p: employee_create(input: {given_name: "Ida", surname: "Input"}) { uuid }
    }`);
    unit = data.u.uuid;
    person = data.p.uuid;
    const read = await env.ok(`{ classes(filter: {facet: {user_keys: ["employee_address_type", "visibility"]}}) { objects { uuid current { user_key } } } }`);
    classes = Object.fromEntries(read.classes.objects.map((c: any) => [c.current.user_key, c.uuid]));
    assert.ok(classes.EmailEmployee && classes.Public && classes.Secret);
  });

  it('refuses a bulk update naming one engagement twice, at the repeated input, and writes nothing', async () => {
    const [a, b] = [await engagement(), await engagement()];
    const answer = await env.gql(`mutation($i: [EngagementUpdateInput!]!) { engagements_update(input: $i) { uuid } }`, {
      i: [
        { uuid: a, fraction: 1, validity: { from: '2024-02-01' } },
        { uuid: b, fraction: 2, validity: { from: '2024-02-01' } },
        { uuid: a, org_unit: unit, fraction: 3, validity: { from: '2024-03-01' } },
      ],
    });
    assert.equal(errorKey(answer), 'E_INVALID_INPUT');
    assert.deepEqual(answer.errors[0]!.path, ['engagements_update', 2]);
    assert.match(answer.errors[0]!.message, new RegExp(`^engagements_update names ${a} twice \\(inputs 0 and 2\\): OS2MO runs the inputs of a bulk mutation concurrently`));
    const read = await env.ok(`query($u: [UUID!]) { engagements(filter: {uuids: $u, from_date: null, to_date: null}) { objects { validities(start: null, end: null) { fraction } } } }`, { u: [a, b] });
    assert.deepEqual(read.engagements.objects.map((o: any) => o.validities.map((v: any) => v.fraction)), [[null], [null]]);
    // The same writes as aliased single mutations run in order.
    await env.ok(`mutation($a: UUID!) {
      m0: engagement_update(input: {uuid: $a, fraction: 1, validity: {from: "2024-02-01"}}) { uuid }
      m1: engagement_update(input: {uuid: $a, fraction: 3, validity: {from: "2024-03-01"}}) { uuid }
    }`, { a });
    const after = await env.ok(`query($u: [UUID!]) { engagements(filter: {uuids: $u, from_date: null, to_date: null}) { objects { validities(start: null, end: null) { fraction } } } }`, { u: [a] });
    assert.deepEqual(after.engagements.objects[0].validities.map((v: any) => v.fraction), [null, 1, 3]);
  });

  it('refuses a bulk create naming one uuid twice; creates without a uuid are distinct', async () => {
    const uuid = randomUUID();
    const input = (u?: string) => ({ ...(u ? { uuid: u } : {}), value: `${randomUUID()}@andeby.dk`, address_type: classes.EmailEmployee, person, validity: { from: '2024-01-01' } });
    const answer = await env.gql(`mutation($i: [AddressCreateInput!]!) { addresses_create(input: $i) { uuid } }`, { i: [input(uuid), input(), input(uuid)] });
    assert.equal(errorKey(answer), 'E_INVALID_INPUT');
    assert.deepEqual(answer.errors[0]!.path, ['addresses_create', 2]);
    const fine = await env.ok(`mutation($i: [AddressCreateInput!]!) { addresses_create(input: $i) { uuid } }`, { i: [input(), input()] });
    assert.equal(new Set(fine.addresses_create.map((a: any) => a.uuid)).size, 2);
  });

  it('answers an address update with a value but no address_type exactly as OS2MO does', async () => {
    const created = await env.ok(`mutation($i: AddressCreateInput!) { address_create(input: $i) { uuid } }`, {
      i: { value: 'a@andeby.dk', address_type: classes.EmailEmployee, visibility: classes.Public, person, validity: { from: '2021-01-01' } },
    });
    const uuid = created.address_create.uuid;
    const answer = await env.gql(`mutation($i: AddressUpdateInput!) { address_update(input: $i) { uuid } }`, {
      i: { uuid, value: 'b@andeby.dk', visibility: classes.Public, validity: { from: '2024-01-01', to: null } },
    });
    assert.equal(answer.data, null);
    assert.equal(answer.errors.length, 1);
    assert.equal(answer.errors[0]!.message, 'ErrorCodes.V_MISSING_REQUIRED_VALUE');
    assert.deepEqual(answer.errors[0]!.path, ['address_update']);
    assert.deepEqual(answer.errors[0]!.extensions, {
      error_context: {
        error: true,
        description: 'Missing address_type',
        status: 400,
        error_key: 'V_MISSING_REQUIRED_VALUE',
        key: 'address_type',
        obj: { uuid, visibility: { uuid: classes.Public }, validity: { from: '2024-01-01', to: null }, value: 'b@andeby.dk' },
      },
    });
    // With the type it is written.
    await env.ok(`mutation($i: AddressUpdateInput!) { address_update(input: $i) { uuid } }`, {
      i: { uuid, value: 'b@andeby.dk', address_type: classes.EmailEmployee, validity: { from: '2024-01-01', to: null } },
    });
    assert.deepEqual(
      (await addressSlices(uuid)).map((s: any) => s.value),
      ['a@andeby.dk', 'b@andeby.dk'],
    );
  });

  it('ignores an address type or visibility sent without a value, and a null visibility', async () => {
    const created = await env.ok(`mutation($i: AddressCreateInput!) { address_create(input: $i) { uuid } }`, {
      i: { value: 'c@andeby.dk', address_type: classes.EmailEmployee, visibility: classes.Public, person, validity: { from: '2021-01-01' } },
    });
    const uuid = created.address_create.uuid;
    const update = (i: Record<string, unknown>) => env.ok(`mutation($i: AddressUpdateInput!) { address_update(input: $i) { uuid } }`, { i: { uuid, ...i } });
    await update({ visibility: classes.Secret, address_type: ANY_CLASS, validity: { from: '2024-02-01', to: null } });
    await update({ value: 'd@andeby.dk', address_type: classes.EmailEmployee, visibility: null, validity: { from: '2024-04-01', to: null } });
    assert.deepEqual(
      (await addressSlices(uuid)).map((s: any) => [s.value, s.address_type_uuid, s.visibility_uuid]),
      [
        ['c@andeby.dk', classes.EmailEmployee, classes.Public],
        ['d@andeby.dk', classes.EmailEmployee, classes.Public],
      ],
    );
  });

  it('vacates a manager role whose update does not name the person', async () => {
    const created = await env.ok(`mutation($i: ManagerCreateInput!) { manager_create(input: $i) { uuid } }`, {
      i: { person, org_unit: unit, manager_type: ANY_CLASS, manager_level: ANY_CLASS, responsibility: [ANY_CLASS], validity: { from: '2021-01-01' } },
    });
    const uuid = created.manager_create.uuid;
    await env.ok(`mutation($u: UUID!) { manager_update(input: {uuid: $u, user_key: "renamed", validity: {from: "2024-01-01"}}) { uuid } }`, { u: uuid });
    const read = await env.ok(`query($u: [UUID!]) { managers(filter: {uuids: $u, from_date: null, to_date: null}) { objects { validities(start: null, end: null) { user_key person_response { uuid } } } } }`, { u: [uuid] });
    assert.deepEqual(
      read.managers.objects[0].validities.map((v: any) => [v.user_key, v.person_response?.uuid ?? null]),
      [
        [uuid, person],
        ['renamed', null],
      ],
    );
  });
});
