// The local MO's writes, bitemporal like OS2MO: updates split slices and keep history (registration_time
// shows the earlier state), terminate with and without from, delete, bulk mutators, is_primary, and
// all-or-nothing requests.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { postgresSkip } from '../support/postgres.js';
import { errorKey, useLocalMo } from '../support/localmo.js';

const skip = await postgresSkip();
const ANY_CLASS = '11111111-1111-4111-8111-111111111111';

describe('local MO writes', { skip }, () => {
  const env = useLocalMo();
  let unit: string;
  let person: string;
  let primaryClasses: Record<string, string>;

  async function engagement(extra: Record<string, unknown> = {}): Promise<string> {
    const data = await env.ok(`mutation($input: EngagementCreateInput!) { engagement_create(input: $input) { uuid } }`, {
      input: { person, org_unit: unit, job_function: ANY_CLASS, engagement_type: ANY_CLASS, validity: { from: '2024-01-01' }, ...extra },
    });
    return data.engagement_create.uuid;
  }

  async function history(uuid: string, registrationTime?: string) {
    const data = await env.ok(
      `query($u: UUID!, $t: DateTime) { engagements(filter: {uuids: [$u], from_date: null, to_date: null}) { objects {
        validities(start: null, end: null, registration_time: $t) { user_key fraction org_unit_uuid validity { from to } } } } }`,
      { u: uuid, t: registrationTime ?? null },
    );
    return data.engagements.objects[0]?.validities ?? [];
  }

  it('sets up a unit, a person and the primary classes', async () => {
    const data = await env.ok(`mutation {
      u: org_unit_create(input: {name: "Skrivning", user_key: "W", org_unit_type: "${ANY_CLASS}", validity: {from: "2020-01-01"}}) { uuid }
      p: employee_create(input: {given_name: "Bo", surname: "Skriver"}) { uuid }
    }`);
    unit = data.u.uuid;
    person = data.p.uuid;
    const classes = await env.ok(`{ classes(filter: {facet: {user_keys: ["primary_type"]}}) { objects { uuid current { user_key } } } }`);
    primaryClasses = Object.fromEntries(classes.classes.objects.map((c: any) => [c.current.user_key, c.uuid]));
    assert.equal(Object.keys(primaryClasses).length, 3);
  });

  it('updates from a date: the slice splits, omitted fields keep their value, and registration_time shows the old state', async () => {
    const uuid = await engagement({ user_key: 'E-SPLIT', fraction: 100 });
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await env.ok(`mutation($u: UUID!) { engagement_update(input: {uuid: $u, fraction: 50, validity: {from: "2024-06-01"}}) { uuid } }`, { u: uuid });
    assert.deepEqual(await history(uuid), [
      { user_key: 'E-SPLIT', fraction: 100, org_unit_uuid: unit, validity: { from: '2024-01-01T00:00:00+01:00', to: '2024-06-01T00:00:00+02:00' } },
      { user_key: 'E-SPLIT', fraction: 50, org_unit_uuid: unit, validity: { from: '2024-06-01T00:00:00+02:00', to: null } },
    ]);
    assert.deepEqual(await history(uuid, before), [
      { user_key: 'E-SPLIT', fraction: 100, org_unit_uuid: unit, validity: { from: '2024-01-01T00:00:00+01:00', to: null } },
    ]);
    // A bounded update changes only [from, to).
    await env.ok(`mutation($u: UUID!) { engagement_update(input: {uuid: $u, user_key: "E-MID", validity: {from: "2024-03-01", to: "2024-04-01"}}) { uuid } }`, { u: uuid });
    const keys = (await history(uuid)).map((s: any) => [s.user_key, s.fraction, s.validity.from.slice(0, 10), s.validity.to?.slice(0, 10) ?? null]);
    assert.deepEqual(keys, [
      ['E-SPLIT', 100, '2024-01-01', '2024-03-01'],
      ['E-MID', 100, '2024-03-01', '2024-04-01'],
      ['E-SPLIT', 100, '2024-04-01', '2024-06-01'],
      ['E-SPLIT', 50, '2024-06-01', null],
    ]);
    // Nothing was overwritten: every write left a registration.
    const db = new pg.Client({ connectionString: env.databaseUrl });
    await db.connect();
    try {
      const regs = await db.query(`SELECT action FROM mo_registration WHERE uuid = $1 ORDER BY id`, [uuid]);
      assert.deepEqual(regs.rows.map((r) => r.action), ['create', 'update', 'update']);
    } finally {
      await db.end();
    }
  });

  it('terminates with only to (inactive from to on) and with from and to (a gap)', async () => {
    const ended = await engagement({ user_key: 'E-END' });
    await env.ok(`mutation($u: UUID!) { engagement_terminate(input: {uuid: $u, to: "2024-07-01"}) { uuid } }`, { u: ended });
    assert.deepEqual((await history(ended)).map((s: any) => s.validity), [{ from: '2024-01-01T00:00:00+01:00', to: '2024-07-01T00:00:00+02:00' }]);
    const current = await env.ok(`{ engagements(filter: {user_keys: ["E-END"]}) { objects { uuid } } }`);
    assert.equal(current.engagements.objects.length, 0, 'ended in the past: not current');

    const gap = await engagement({ user_key: 'E-GAP' });
    await env.ok(`mutation($u: UUID!) { engagement_terminate(input: {uuid: $u, from: "2024-03-01", to: "2024-05-01"}) { uuid } }`, { u: gap });
    assert.deepEqual((await history(gap)).map((s: any) => s.validity), [
      { from: '2024-01-01T00:00:00+01:00', to: '2024-03-01T00:00:00+01:00' },
      { from: '2024-05-01T00:00:00+02:00', to: null },
    ]);
    // An update over the terminated period re-activates it with the attributes it had (MO marks edits active).
    await env.ok(`mutation($u: UUID!) { engagement_update(input: {uuid: $u, fraction: 7, validity: {from: "2024-04-01", to: "2024-05-01"}}) { uuid } }`, { u: gap });
    assert.deepEqual((await history(gap)).map((s: any) => [s.user_key, s.fraction, s.validity.from.slice(0, 10)]), [
      ['E-GAP', null, '2024-01-01'],
      ['E-GAP', 7, '2024-04-01'],
      ['E-GAP', null, '2024-05-01'],
    ]);
  });

  it('deletes: the object leaves every temporal view', async () => {
    const uuid = await engagement({ user_key: 'E-DEL' });
    await env.ok(`mutation($u: UUID!) { engagement_delete(uuid: $u) { uuid } }`, { u: uuid });
    const all = await env.ok(`{ engagements(filter: {user_keys: ["E-DEL"], from_date: null, to_date: null}) { objects { uuid } } }`);
    assert.equal(all.engagements.objects.length, 0);
    const again = await env.gql(`mutation($u: UUID!) { engagement_delete(uuid: $u) { uuid } }`, { u: uuid });
    assert.equal(errorKey(again), 'E_NOT_FOUND');
    assert.equal(again.errors[0]!.extensions!.error_context!.description, `No OrganisationFunktion with ID ${uuid} found.`);
  });

  it('answers unknown uuids as OS2MO does, and a create with an existing uuid replaces the object', async () => {
    const unknown = randomUUID();
    const update = await env.gql(`mutation { engagement_update(input: {uuid: "${unknown}", fraction: 1, validity: {from: "2024-01-01"}}) { uuid } }`);
    assert.equal(errorKey(update), 'E_INVALID_INPUT', 'OS2MO 66.1.2 answers an unknown engagement so');
    const terminate = await env.gql(`mutation { engagement_terminate(input: {uuid: "${unknown}", to: "2024-01-01"}) { uuid } }`);
    assert.deepEqual(terminate.errors[0]!.extensions!.error_context, { error: true, error_key: 'E_NOT_FOUND', description: 'Not found.', status: 404, uuid: unknown, original: null });
    const unitAnswer = await env.gql(`mutation { org_unit_update(input: {uuid: "${unknown}", name: "x", validity: {from: "2024-01-01"}}) { uuid } }`);
    assert.equal(errorKey(unitAnswer), 'E_ORG_UNIT_NOT_FOUND');
    const existing = await engagement({ user_key: 'E-FIRST' });
    const again = await env.gql(`mutation($input: EngagementCreateInput!) { engagement_create(input: $input) { uuid } }`, {
      input: { uuid: existing, user_key: 'E-AGAIN', person, org_unit: unit, job_function: ANY_CLASS, engagement_type: ANY_CLASS, validity: { from: '2025-01-01' } },
    });
    assert.deepEqual(again.errors, []);
    assert.deepEqual((await history(existing)).map((s: any) => [s.user_key, s.validity.from.slice(0, 10)]), [['E-AGAIN', '2025-01-01']]);
  });

  it('is all-or-nothing: a failing mutation in a request leaves nothing of the request written', async () => {
    const answer = await env.gql(`mutation {
      a: org_unit_create(input: {name: "Atomar", user_key: "ATOMIC-1", org_unit_type: "${ANY_CLASS}", validity: {from: "2020-01-01"}}) { uuid }
      b: employee_create(input: {given_name: "Ny", surname: "Person", user_key: "ATOMIC-2"}) { uuid }
      c: engagement_update(input: {uuid: "${randomUUID()}", fraction: 1, validity: {from: "2024-01-01"}}) { uuid }
    }`);
    assert.equal(errorKey(answer), 'E_INVALID_INPUT');
    assert.deepEqual(answer.errors[0]!.path, ['c']);
    assert.equal(answer.data, null);
    const left = await env.ok(`{
      org_units(filter: {user_keys: ["ATOMIC-1"], from_date: null, to_date: null}) { objects { uuid } }
      persons(filter: {user_keys: ["ATOMIC-2"], from_date: null, to_date: null}) { objects { uuid } }
    }`);
    assert.equal(left.org_units.objects.length, 0);
    assert.equal(left.persons.objects.length, 0);
  });

  it('writes lists with the bulk mutators and names the failing mutation of a batch', async () => {
    const people = await env.ok(`mutation { ${Array.from({ length: 5 }, (_, i) => `p${i}: employee_create(input: {given_name: "B${i}", surname: "Bulk"}) { uuid }`).join(' ')} }`);
    const uuids = Object.values(people).map((p: any) => p.uuid as string);
    const created = await env.ok(`mutation($input: [EngagementCreateInput!]!) { engagements_create(input: $input) { uuid } }`, {
      input: uuids.map((p, i) => ({ person: p, org_unit: unit, job_function: ANY_CLASS, engagement_type: ANY_CLASS, user_key: `BULK-${i}`, validity: { from: '2024-01-01' } })),
    });
    assert.equal(created.engagements_create.length, 5);
    const updated = await env.ok(`mutation($input: [EngagementUpdateInput!]!) { engagements_update(input: $input) { uuid } }`, {
      input: created.engagements_create.map((e: any) => ({ uuid: e.uuid, fraction: 42, validity: { from: '2024-02-01' } })),
    });
    assert.equal(updated.engagements_update.length, 5);
    const read = await env.ok(`query($p: [UUID!]) { engagements(filter: {employee: {uuids: $p}}) { objects { current { fraction person_response { uuid } } } } }`, { p: uuids });
    assert.equal(read.engagements.objects.length, 5);
    assert.ok(read.engagements.objects.every((e: any) => e.current.fraction === 42 && uuids.includes(e.current.person_response.uuid)));
    // Aliased creates are written together; a bad one is reported at its own alias.
    const failing = await env.gql(`mutation {
      ok1: employee_create(input: {given_name: "A", surname: "A", cpr_number: "0202801111"}) { uuid }
      bad: employee_create(input: {given_name: "B", surname: "B", cpr_number: "0202801111"}) { uuid }
      ok2: employee_create(input: {given_name: "C", surname: "C"}) { uuid }
    }`);
    assert.equal(errorKey(failing), 'V_EXISTING_CPR');
    assert.deepEqual(failing.errors[0]!.path, ['bad']);
  });

  it('derives is_primary from the primary class scope (>= 3000)', async () => {
    const primary = await engagement({ primary: primaryClasses.primary });
    const explicit = await engagement({ primary: primaryClasses['explicitly-primary'] });
    const non = await engagement({ primary: primaryClasses['non-primary'] });
    const none = await engagement();
    const data = await env.ok(`query($u: [UUID!]) { engagements(filter: {uuids: $u}) { objects { uuid current { is_primary primary_uuid } } } }`, { u: [primary, explicit, non, none] });
    const byUuid = Object.fromEntries(data.engagements.objects.map((e: any) => [e.uuid, e.current.is_primary]));
    assert.deepEqual(byUuid, { [primary]: true, [explicit]: true, [non]: false, [none]: false });
  });

  it('updates a unit with PATCH semantics and terminates it', async () => {
    const data = await env.ok(`mutation { org_unit_create(input: {name: "Patch", user_key: "PATCH", org_unit_type: "${ANY_CLASS}", org_unit_level: "${ANY_CLASS}", validity: {from: "2020-01-01"}}) { uuid } }`);
    const uuid = data.org_unit_create.uuid;
    await env.ok(`mutation($u: UUID!) { org_unit_update(input: {uuid: $u, name: "Patched", org_unit_level: null, validity: {from: "2021-01-01"}}) { uuid } }`, { u: uuid });
    const read = await env.ok(`query($u: UUID!) { org_units(filter: {uuids: [$u]}) { objects { validities(start: null, end: null) { name user_key org_unit_level_uuid } } } }`, { u: uuid });
    assert.deepEqual(read.org_units.objects[0].validities, [
      { name: 'Patch', user_key: 'PATCH', org_unit_level_uuid: ANY_CLASS },
      { name: 'Patched', user_key: 'PATCH', org_unit_level_uuid: null },
    ]);
    await env.ok(`mutation($u: UUID!) { org_unit_terminate(input: {uuid: $u, to: "2022-01-01"}) { uuid } }`, { u: uuid });
    const after = await env.ok(`query($u: UUID!) { org_units(filter: {uuids: [$u], from_date: null, to_date: null}) { objects { validities(start: null, end: null) { validity { to } } } } }`, { u: uuid });
    assert.equal(after.org_units.objects[0].validities.at(-1).validity.to, '2022-01-01T00:00:00+01:00');
  });

  it('refuses a `to` that is not a Copenhagen midnight, as MO does', async () => {
    const uuid = await engagement();
    const answer = await env.gql(`mutation($u: UUID!) { engagement_terminate(input: {uuid: $u, to: "2024-07-01T00:00:00Z"}) { uuid } }`, { u: uuid });
    assert.match(answer.errors[0]!.message, /is not at midnight/);
  });
});
