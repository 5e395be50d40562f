// The client's reads and ensureClass against a real HTTP server executing OS2MO's schema with graphql-js:
// paging until next_cursor is null, the time window sent at both levels, mapping to moflow's types.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createMoClient, type MoClient } from '../../src/mo/client.js';
import { MoError } from '../../src/mo/errors.js';
import { CannedMo, execute, type GraphqlRequest } from '../support/cannedMo.js';

const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function rawEngagement(n: number, from: string, to: string | null) {
  return {
    uuid: U(n),
    user_key: String(n),
    person_response: { uuid: U(1) },
    org_unit_uuid: U(2),
    job_function_uuid: U(3),
    engagement_type_uuid: U(4),
    primary_uuid: null,
    is_primary: false,
    fraction: null,
    extension_1: 'Stilling',
    extension_2: null,
    extension_3: null,
    extension_4: null,
    extension_5: null,
    extension_6: null,
    extension_7: null,
    extension_8: null,
    extension_9: null,
    extension_10: 'ti',
    validity: { from, to },
  };
}

/** A paged collection the way MO pages: the cursor is an offset, next_cursor null on the last page. */
function paged<T>(objects: T[], seen: { cursor: unknown; limit: unknown; filter: unknown }[]) {
  return ({ filter, cursor, limit }: { filter: unknown; cursor: string | null; limit: number }) => {
    seen.push({ cursor, limit, filter });
    const start = cursor ? Number(cursor) : 0;
    const end = start + limit;
    return { objects: objects.slice(start, end), page_info: { next_cursor: end < objects.length ? String(end) : null } };
  };
}

describe('MO client reads', () => {
  let mo: CannedMo;
  let client: MoClient;

  before(async () => {
    mo = await CannedMo.start();
    client = createMoClient({ baseUrl: mo.baseUrl, auth: null, timeoutMs: 5000, retry: { retries: 0 }, today: () => '2024-05-01' });
  });
  after(async () => {
    await mo.stop();
  });
  beforeEach(() => mo.reset());

  it('pages with the cursor until next_cursor is null and concatenates in order', async () => {
    const seen: { cursor: unknown; limit: unknown; filter: unknown }[] = [];
    const windows: unknown[] = [];
    const objects = Array.from({ length: 1250 }, (_, i) => ({
      uuid: U(1000 + i),
      // Two slices, given newest first: the client sorts them oldest first.
      validities: (args: unknown) => {
        windows.push(args);
        return [rawEngagement(1000 + i, '2024-01-01T00:00:00+01:00', null), rawEngagement(1000 + i, '2020-06-01T00:00:00+02:00', '2024-01-01T00:00:00+01:00')];
      },
    }));
    mo.graphql = (r) => execute(r, { engagements: paged(objects, seen) });
    const result = await client.engagements.read({ orgUnitUuids: [U(2)] }, 'all', { pageSize: 500 });
    assert.equal(result.length, 1250);
    assert.deepEqual(result.map((e) => e.uuid), objects.map((o) => o.uuid));
    assert.deepEqual(seen.map((s) => [s.cursor, s.limit]), [[null, 500], ['500', 500], ['1000', 500]]);
    const sent = mo.graphqlRequests[0]?.variables;
    assert.deepEqual(sent, { filter: { org_unit: { uuids: [U(2)] }, from_date: null, to_date: null }, start: null, end: null, cursor: null, limit: 500 });
    assert.deepEqual(windows[0], { start: null, end: null, registration_time: null });
    assert.equal(windows.length, 1250);
    assert.deepEqual(result[0]?.validities, [
      {
        from: '2020-06-01',
        to: '2024-01-01',
        userKey: '1000',
        personUuid: U(1),
        orgUnitUuid: U(2),
        jobFunctionUuid: U(3),
        engagementTypeUuid: U(4),
        primaryUuid: null,
        isPrimary: false,
        fraction: null,
        extensions: ['Stilling', null, null, null, null, null, null, null, null, 'ti'],
      },
      { ...result[0]?.validities[0], from: '2024-01-01', to: null },
    ]);
  });

  it('leaves the dates out for current reads, so MO applies its own now', async () => {
    mo.graphql = (r) => execute(r, { persons: paged([], []) });
    await client.persons.read({ uuids: [U(1)] });
    const variables = mo.graphqlRequests[0]?.variables ?? {};
    assert.deepEqual(variables.filter, { uuids: [U(1)] });
    assert.equal('start' in variables || 'end' in variables, false);

    await client.persons.read({ uuids: [U(1)] }, 'future');
    const future = mo.graphqlRequests[1]?.variables ?? {};
    assert.deepEqual(future.filter, { uuids: [U(1)], from_date: '2024-05-01', to_date: null });
    assert.deepEqual([future.start, future.end], ['2024-05-01', null]);
  });

  it('asks nothing for an empty selection', async () => {
    assert.deepEqual(await client.persons.byCprs([]), []);
    assert.deepEqual(await client.engagements.read({ uuids: [] }, 'all'), []);
    assert.equal(mo.graphqlRequests.length, 0);
  });

  it('finds one object by uuid, or null', async () => {
    const person = {
      uuid: U(1),
      validities: [{ uuid: U(1), user_key: 'p', given_name: 'Anna', surname: 'Hansen', cpr_number: '0101901234', validity: { from: '1990-01-01T00:00:00+01:00', to: null } }],
    };
    mo.graphql = (r) => execute(r, { persons: ({ filter }: { filter: { uuids: string[] } }) => ({ objects: filter.uuids.includes(U(1)) ? [person] : [], page_info: { next_cursor: null } }) });
    assert.deepEqual(await client.persons.byUuid(U(1), 'all'), {
      uuid: U(1),
      validities: [{ from: '1990-01-01', to: null, userKey: 'p', givenName: 'Anna', surname: 'Hansen', cprNumber: '0101901234' }],
    });
    assert.equal(await client.persons.byUuid(U(2)), null);
  });

  it('stops asking when the consumer stops reading pages', async () => {
    const objects = Array.from({ length: 50 }, (_, i) => ({ uuid: U(i), validities: [] }));
    mo.graphql = (r) => execute(r, { managers: paged(objects, []) });
    for await (const page of client.managers.pages({}, 'all', { pageSize: 10 })) {
      assert.equal(page.length, 10);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
    // The first page and the one prefetched while it was handed over; nothing after.
    assert.equal(mo.graphqlRequests.length, 2);
  });

  it('refuses to loop when MO repeats a cursor', async () => {
    mo.graphql = () => ({ json: { data: { itusers: { objects: [], page_info: { next_cursor: 'same' } } } } });
    await assert.rejects(client.itUsers.read({}, 'all'), (e: unknown) => e instanceof MoError && /same cursor twice/.test(e.message));
    assert.equal(mo.graphqlRequests.length, 2);
  });

  it('reads address names only when asked', async () => {
    const address = {
      uuid: U(5),
      validities: [
        {
          uuid: U(5),
          user_key: 'a',
          value: U(77),
          name: 'Testvej 10, 9900 Frederikshavn',
          address_type_uuid: U(7),
          visibility_uuid: null,
          person_response: null,
          org_unit_uuid: U(2),
          engagement_uuid: null,
          validity: { from: '2024-01-01T00:00:00+01:00', to: null },
        },
      ],
    };
    mo.graphql = (r) => execute(r, { addresses: paged([address], []) });
    const [plain] = await client.addresses.read({ orgUnitUuids: [U(2)] });
    assert.equal(plain?.validities[0]?.name, undefined);
    assert.equal(plain?.validities[0]?.orgUnitUuid, U(2));
    const [named] = await client.addresses.readWithName({ orgUnitUuids: [U(2)] });
    assert.equal(named?.validities[0]?.name, 'Testvej 10, 9900 Frederikshavn');
    assert.deepEqual(
      mo.graphqlRequests.map((r) => r.operationName),
      ['MoAddresses', 'MoAddressesWithName'],
    );
  });
});

describe('ensureClass', () => {
  let mo: CannedMo;
  let client: MoClient;
  const facet = { uuid: U(100), user_key: 'engagement_job_function' };
  let classes: { uuid: string; user_key: string; name: string; scope: string | null; facet_uuid: string; owner: string | null; it_system_uuid: null; parent_uuid: null }[];

  const root = {
    facets: ({ filter }: { filter: { user_keys?: string[] } }) => ({
      objects: filter.user_keys?.includes(facet.user_key) ? [{ uuid: facet.uuid, current: facet }] : [],
      page_info: { next_cursor: null },
    }),
    classes: ({ filter }: { filter: { facet?: { user_keys?: string[] } } }) => ({
      objects: filter.facet?.user_keys?.includes(facet.user_key) ? classes.map((c) => ({ uuid: c.uuid, current: c })) : [],
      page_info: { next_cursor: null },
    }),
    class_create: async ({ input }: { input: { uuid: string | null; user_key: string; name: string; scope: string | null; owner: string | null } }) => {
      await new Promise((r) => setTimeout(r, 20));
      const uuid = input.uuid ?? U(500 + classes.length);
      classes.push({ uuid, user_key: input.user_key, name: input.name, scope: input.scope, facet_uuid: facet.uuid, owner: input.owner, it_system_uuid: null, parent_uuid: null });
      return { uuid };
    },
  };

  before(async () => {
    mo = await CannedMo.start();
  });
  after(async () => {
    await mo.stop();
  });
  beforeEach(() => {
    mo.reset();
    client = createMoClient({ baseUrl: mo.baseUrl, auth: null, timeoutMs: 5000, retry: { retries: 0 } });
    classes = [
      { uuid: U(201), user_key: 'TESTER', name: 'Softwaretester', scope: 'TEXT', facet_uuid: facet.uuid, owner: null, it_system_uuid: null, parent_uuid: null },
      { uuid: U(202), user_key: 'lærer', name: 'Center', scope: 'TEXT', facet_uuid: facet.uuid, owner: null, it_system_uuid: null, parent_uuid: null },
    ];
    mo.graphql = (r) => execute(r, root);
  });

  const ops = (requests: GraphqlRequest[]) => requests.map((r) => r.operationName);

  it('matches user_key or name, ignoring case, like DIPEX', async () => {
    assert.equal((await client.ensureClass('engagement_job_function', { userKey: 'tester', name: 'Anything' })).uuid, U(201));
    assert.equal((await client.ensureClass('engagement_job_function', { userKey: '00002', name: 'center' })).uuid, U(202));
    assert.equal((await client.ensureClass('engagement_job_function', { userKey: 'LÆRER', name: 'x' })).uuid, U(202));
    // The facet's classes were read once.
    assert.deepEqual(ops(mo.graphqlRequests).sort(), ['MoClasses', 'MoFacets']);
  });

  it('creates a missing class once, however many ask at the same time', async () => {
    const owner = U(900);
    const made = await Promise.all(
      Array.from({ length: 5 }, () => client.ensureClass('engagement_job_function', { userKey: 'Pædagog', name: 'Pædagog', scope: 'TEXT', owner, uuid: U(300) })),
    );
    assert.deepEqual(new Set(made.map((c) => c.uuid)), new Set([U(300)]));
    assert.equal(ops(mo.graphqlRequests).filter((o) => o === 'MoClassCreate').length, 1);
    const sent = mo.graphqlRequests.find((r) => r.operationName === 'MoClassCreate')?.variables.input;
    assert.deepEqual(sent, { uuid: U(300), facet_uuid: facet.uuid, user_key: 'Pædagog', name: 'Pædagog', scope: 'TEXT', owner, validity: { from: null, to: null } });
    // Known from now on without asking MO.
    const before = mo.graphqlRequests.length;
    assert.equal((await client.ensureClass('engagement_job_function', { userKey: 'pædagog', name: 'x' })).uuid, U(300));
    assert.equal(mo.graphqlRequests.length, before);
  });

  it('says so when the facet does not exist', async () => {
    await assert.rejects(client.ensureClass('no_such_facet', { userKey: 'a', name: 'a' }), /no facet with user_key 'no_such_facet'/);
  });
});

describe('isPrimary, worked out by the client as OS2MO works out is_primary', () => {
  it('is true only when the primary class exists and its scope is a whole number of at least 3000', async () => {
    const { flagPrimary } = await import('../../src/mo/kinds/engagements.js');
    const scopes = new Map<string, string | null>([
      [U(30), '3000'],
      [U(31), '0'],
      [U(32), '5000'],
      [U(33), 'primary'],
      [U(34), null],
      [U(35), '2999'],
    ]);
    const asked: string[][] = [];
    const slice = (primaryUuid: string | null) => ({ primaryUuid, isPrimary: !primaryUuid }) as unknown as import('../../src/mo/kinds/engagements.js').EngagementSlice;
    const engagements = [{ validities: [U(30), U(31), U(32), U(33), U(34), U(35), U(36), null].map(slice) }, { validities: [slice(U(30))] }];
    await flagPrimary(engagements, async (uuids) => {
      asked.push(uuids);
      return scopes;
    });
    assert.deepEqual(engagements[0]!.validities.map((v) => v.isPrimary), [true, false, true, false, false, false, false, false]);
    assert.equal(engagements[1]!.validities[0]!.isPrimary, true);
    assert.deepEqual(asked, [[U(30), U(31), U(32), U(33), U(34), U(35), U(36)]], 'each class asked for once, in one read');
    await flagPrimary([{ validities: [slice(null)] }], async () => assert.fail('no class to ask for'));
  });
});
