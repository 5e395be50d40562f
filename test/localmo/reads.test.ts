// The local MO's reads over HTTP, with OS2MO's documents: bootstrap, look-ups by uuid / user_key / CPR, the
// date windows of filters and validities, keyset paging, and the clear error outside the subset.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresSkip } from '../support/postgres.js';
import { errorKey, useLocalMo } from '../support/localmo.js';

const skip = await postgresSkip();
const ANY_CLASS = '11111111-1111-4111-8111-111111111111';

describe('local MO reads', { skip }, () => {
  const env = useLocalMo();

  async function createUnit(from: string, extra: Record<string, unknown> = {}): Promise<string> {
    const data = await env.ok<{ org_unit_create: { uuid: string } }>(
      `mutation($input: OrganisationUnitCreateInput!) { org_unit_create(input: $input) { uuid } }`,
      { input: { name: 'Enhed', org_unit_type: ANY_CLASS, validity: { from }, ...extra } },
    );
    return data.org_unit_create.uuid;
  }

  it('has the root organisation, the facets OS2MO expects and OS2MO-Init default classes', async () => {
    const data = await env.ok(`{
      org { uuid user_key }
      facets { objects { uuid current { user_key } } }
      classes(filter: {facet: {user_keys: ["primary_type", "visibility"]}}) { objects { current { user_key scope facet_uuid } } }
    }`);
    assert.ok(data.org.uuid);
    const facets = data.facets.objects.map((f: any) => f.current.user_key).sort();
    for (const facet of ['org_unit_address_type', 'employee_address_type', 'visibility', 'engagement_type', 'primary_type', 'role', 'manager_level']) {
      assert.ok(facets.includes(facet), `facet ${facet}`);
    }
    const scopes = Object.fromEntries(data.classes.objects.map((c: any) => [c.current.user_key, c.current.scope]));
    assert.deepEqual(scopes, { primary: '3000', 'non-primary': '0', 'explicitly-primary': '5000', Intern: 'INTERNAL', Public: 'PUBLIC', Secret: 'SECRET' });
    // The deprecated facet_user_keys filter finds the same classes as facet: {user_keys}.
    const legacy = await env.ok(`{ classes(filter: {facet_user_keys: ["employee_address_type"]}) { objects { current { user_key scope } } } }`);
    assert.deepEqual(legacy.classes.objects.map((c: any) => c.current.scope).sort(), ['DAR', 'EMAIL', 'PHONE']);
  });

  it('creates and reads a unit by uuid and user_key, with DateTimes at Copenhagen midnight', async () => {
    const uuid = await createUnit('2024-07-01', { user_key: 'U-READ', name: 'Læsning' });
    const byKey = await env.ok(`{ org_units(filter: {user_keys: ["U-READ"]}) { objects { uuid current { name user_key parent_uuid unit_type_uuid validity { from to } } } } }`);
    assert.equal(byKey.org_units.objects.length, 1);
    assert.equal(byKey.org_units.objects[0].uuid, uuid);
    // Summer time: +02:00; a date-only input meant midnight in Copenhagen.
    assert.deepEqual(byKey.org_units.objects[0].current, {
      name: 'Læsning',
      user_key: 'U-READ',
      parent_uuid: null,
      unit_type_uuid: ANY_CLASS,
      validity: { from: '2024-07-01T00:00:00+02:00', to: null },
    });
    const byUuid = await env.ok(`query($u: UUID!) { org_units(filter: {uuids: [$u]}) { objects { current { user_key } } } }`, { u: uuid });
    assert.equal(byUuid.org_units.objects[0].current.user_key, 'U-READ');
  });

  it('finds a person by CPR, valid from the birth date the CPR encodes', async () => {
    const created = await env.ok(`mutation { employee_create(input: {given_name: "Anna", surname: "Hansen", cpr_number: "0101901234", user_key: "HR-4711"}) { uuid } }`);
    const found = await env.ok(`query($cpr: CPR!) { persons(filter: {cpr_numbers: [$cpr]}) { objects { uuid current { user_key given_name surname name cpr_number validity { from to } } } } }`, {
      cpr: '0101901234',
    });
    assert.equal(found.persons.objects.length, 1);
    assert.equal(found.persons.objects[0].uuid, created.employee_create.uuid);
    assert.deepEqual(found.persons.objects[0].current, {
      user_key: 'HR-4711',
      given_name: 'Anna',
      surname: 'Hansen',
      name: 'Anna Hansen',
      cpr_number: '0101901234',
      validity: { from: '1990-01-01T00:00:00+01:00', to: null },
    });
  });

  it('hides a future-dated object from a default query and shows it with from_date: null, to_date: null', async () => {
    await createUnit('2999-01-01', { user_key: 'U-FUTURE' });
    const current = await env.ok(`{ org_units(filter: {user_keys: ["U-FUTURE"]}) { objects { uuid } } }`);
    assert.equal(current.org_units.objects.length, 0);
    const all = await env.ok(`{ org_units(filter: {user_keys: ["U-FUTURE"], from_date: null, to_date: null}) { objects { uuid current { name } validities(start: null, end: null) { validity { from } } } } }`);
    assert.equal(all.org_units.objects.length, 1);
    assert.equal(all.org_units.objects[0].current, null, 'current is today, when it is not valid yet');
    assert.deepEqual(all.org_units.objects[0].validities, [{ validity: { from: '2999-01-01T00:00:00+01:00' } }]);
    const atDate = await env.ok(`{ org_units(filter: {user_keys: ["U-FUTURE"], from_date: "2999-06-01"}) { objects { uuid } } }`);
    assert.equal(atDate.org_units.objects.length, 1, 'from_date alone is "at that date"');
    const future = await env.ok(`{ org_units(filter: {user_keys: ["U-FUTURE"], from_date: "2030-01-01", to_date: null}) { objects { uuid } } }`);
    assert.equal(future.org_units.objects.length, 1);
    const past = await env.ok(`{ org_units(filter: {user_keys: ["U-FUTURE"], from_date: null, to_date: "2030-01-01"}) { objects { uuid } } }`);
    assert.equal(past.org_units.objects.length, 0);
  });

  it('answers validities with only the current slice by default and the whole history with start: null, end: null', async () => {
    const uuid = await createUnit('2020-01-01', { user_key: 'U-HIST', name: 'Før' });
    await env.ok(`mutation($u: UUID!) { org_unit_update(input: {uuid: $u, name: "Efter", validity: {from: "2022-01-01"}}) { uuid } }`, { u: uuid });
    const read = await env.ok(`query($u: UUID!) { org_units(filter: {uuids: [$u]}) { objects {
      now: validities { name }
      all: validities(start: null, end: null) { name validity { from to } }
      then: current(at: "2021-06-01") { name }
    } } }`, { u: uuid });
    const unit = read.org_units.objects[0];
    assert.deepEqual(unit.now, [{ name: 'Efter' }]);
    assert.deepEqual(unit.all, [
      { name: 'Før', validity: { from: '2020-01-01T00:00:00+01:00', to: '2022-01-01T00:00:00+01:00' } },
      { name: 'Efter', validity: { from: '2022-01-01T00:00:00+01:00', to: null } },
    ]);
    assert.deepEqual(unit.then, { name: 'Før' });
  });

  it('pages with limit and an opaque cursor until next_cursor is null, each object once', async () => {
    const parent = await createUnit('2020-01-01', { user_key: 'U-PAGE-PARENT' });
    const children = new Set<string>();
    for (let i = 0; i < 7; i++) children.add(await createUnit('2020-01-01', { user_key: `U-PAGE-${i}`, parent }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const data: any = await env.ok(`query($p: UUID!, $cursor: Cursor) { org_units(filter: {parent: {uuids: [$p]}}, limit: 3, cursor: $cursor) { objects { uuid } page_info { next_cursor } } }`, {
        p: parent,
        cursor,
      });
      seen.push(...data.org_units.objects.map((o: any) => o.uuid));
      cursor = data.org_units.page_info.next_cursor;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(new Set(seen), children);
    assert.equal(seen.length, 7);
    assert.deepEqual(seen, [...seen].sort(), 'keyset order is by uuid');
    const ancestors = await env.ok(`query($p: UUID!) { org_units(filter: {ancestor: {uuids: [$p]}}) { objects { uuid } } }`, { p: parent });
    assert.equal(ancestors.org_units.objects.length, 8, 'ancestor includes the unit itself');
    const bad = await env.gql(`{ org_units(cursor: "nonsense") { objects { uuid } } }`);
    assert.match(bad.errors[0]!.message, /Invalid cursor/);
  });

  it('refuses a field outside the subset by name instead of answering null', async () => {
    const answer = await env.gql(`{ org_units { objects { current { name kles { uuid } } } } }`);
    assert.equal(answer.status, 200);
    assert.match(answer.errors[0]!.message, /OrganisationUnit\.kles is not supported by the local MO/);
    const query = await env.gql(`{ version { mo_version } }`);
    assert.match(query.errors[0]!.message, /Query\.version is not supported/);
    const filter = await env.gql(`{ org_units(filter: {query: "IT"}) { objects { uuid } } }`);
    assert.match(filter.errors[0]!.message, /OrganisationUnitFilter\.query is not supported/);
    const mutation = await env.gql(`mutation { facet_delete(uuid: "${ANY_CLASS}") { uuid } }`);
    assert.match(mutation.errors[0]!.message, /Mutation\.facet_delete is not supported/);
    // Not an MO business error: no error_context.
    assert.equal(errorKey(mutation), undefined);
  });

  it('validates documents against the real schema', async () => {
    const answer = await env.gql(`{ org_units { objects { current { no_such_field } } } }`);
    assert.equal(answer.status, 200);
    assert.match(answer.errors[0]!.message, /Cannot query field "no_such_field" on type "OrganisationUnit"/);
    const badLimit = await env.gql(`{ org_units(limit: 0) { objects { uuid } } }`);
    assert.match(badLimit.errors[0]!.message, /positive integer/);
  });
});
