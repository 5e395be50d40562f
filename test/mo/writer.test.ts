// Batch writes against a real HTTP server that executes each request with graphql-js on OS2MO's schema:
// so every operation's variables must fit MO's input types, and the aliases the writer reads back are the
// ones it sent. Bulk runs never hold one object twice (OS2MO runs a bulk list concurrently and corrupts it):
// planned purely, and against the local MO, which refuses such a list.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import { loadSettings } from '../../src/config/load.js';
import { moClientConfig } from '../../src/config/mo.js';
import { createMoClient, moClientFromSettings, type MoClient } from '../../src/mo/client.js';
import { MUTATIONS } from '../../src/mo/documents/registry.js';
import { MoError } from '../../src/mo/errors.js';
import type { MoOperation } from '../../src/mo/operations.js';
import { planBatches, type PlanItem } from '../../src/mo/writer.js';
import { CannedMo, execute } from '../support/cannedMo.js';
import { useLocalMo } from '../support/localmo.js';
import { postgresSkip } from '../support/postgres.js';

const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Call {
  field: string;
  arg: unknown;
}

/** Resolvers for every mutation the client knows, recording their arguments; `fail` decides errors. */
function mutationRoot(calls: Call[], fail: (field: string, arg: unknown) => GraphQLError | null = () => null): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let generated = 0;
  const one = (field: string, arg: unknown) => {
    const error = fail(field, arg);
    if (error) throw error;
    calls.push({ field, arg });
    const uuid = typeof arg === 'string' ? arg : ((arg as { uuid?: string }).uuid ?? `generated-${++generated}`);
    return { uuid };
  };
  for (const spec of MUTATIONS) {
    root[spec.field] = (args: Record<string, unknown>) => one(spec.field, args[spec.argument]);
    if (spec.bulkField) {
      const bulk = spec.bulkField;
      root[bulk] = (args: { input: unknown[] }) => args.input.map((arg) => one(bulk, arg));
    }
  }
  return root;
}

const engagementCreate = (n: number): MoOperation => ({
  kind: 'engagement',
  action: 'create',
  input: { uuid: U(n), userKey: String(n), personUuid: U(1), orgUnitUuid: U(2), jobFunctionUuid: U(3), engagementTypeUuid: U(4), from: '2024-01-01' },
});

/** One operation of every kind and action. */
const everyOperation: MoOperation[] = [
  { kind: 'facet', action: 'create', input: { uuid: U(10), userKey: 'engagement_job_function' } },
  { kind: 'class', action: 'create', input: { uuid: U(11), facetUuid: U(10), userKey: 'Tester', name: 'Tester', scope: 'TEXT', owner: U(99) } },
  { kind: 'class', action: 'update', input: { uuid: U(11), facetUuid: U(10), userKey: 'Tester', name: 'Softwaretester', from: null } },
  { kind: 'itSystem', action: 'create', input: { uuid: U(12), userKey: 'Opus', name: 'Opus' } },
  { kind: 'orgUnit', action: 'create', input: { uuid: U(2), userKey: '1', name: 'Kommune', parentUuid: null, unitTypeUuid: U(13), from: '2020-01-01' } },
  { kind: 'orgUnit', action: 'update', input: { uuid: U(2), name: 'Andeby Kommune', parentUuid: null, from: '2024-01-01', to: null } },
  { kind: 'orgUnit', action: 'terminate', input: { uuid: U(2), to: '2030-01-01' } },
  { kind: 'person', action: 'create', input: { uuid: U(1), givenName: 'Anna', surname: 'Hansen', cprNumber: '0101901234' } },
  { kind: 'person', action: 'update', input: { uuid: U(1), surname: 'Jensen', from: '2024-02-01', to: null } },
  {
    kind: 'engagement',
    action: 'create',
    input: {
      uuid: U(20),
      userKey: '20',
      personUuid: U(1),
      orgUnitUuid: U(2),
      jobFunctionUuid: U(3),
      engagementTypeUuid: U(4),
      primaryUuid: U(5),
      fraction: 1000,
      extensions: ['Stilling', undefined, 'x'],
      from: '2024-01-01',
      to: '2025-01-01',
    },
  },
  { kind: 'engagement', action: 'update', input: { uuid: U(20), jobFunctionUuid: U(6), from: '2024-06-01', to: '2025-01-01' } },
  { kind: 'engagement', action: 'terminate', input: { uuid: U(20), from: '2024-03-01', to: '2024-04-01' } },
  { kind: 'engagement', action: 'delete', input: { uuid: U(20) } },
  { kind: 'address', action: 'create', input: { uuid: U(30), value: 'a@b.dk', addressTypeUuid: U(7), personUuid: U(1), from: '2024-01-01' } },
  { kind: 'address', action: 'update', input: { uuid: U(30), value: 'c@d.dk', addressTypeUuid: U(7), from: '2024-05-01', to: null } },
  { kind: 'address', action: 'terminate', input: { uuid: U(30), to: '2024-06-01' } },
  { kind: 'address', action: 'delete', input: { uuid: U(30) } },
  {
    kind: 'manager',
    action: 'create',
    input: { uuid: U(40), personUuid: U(1), orgUnitUuid: U(2), managerTypeUuid: U(8), managerLevelUuid: U(9), responsibilityUuids: [U(14)], from: '2024-01-01' },
  },
  { kind: 'manager', action: 'update', input: { uuid: U(40), personUuid: null, from: '2024-07-01', to: null } },
  { kind: 'manager', action: 'terminate', input: { uuid: U(40), to: '2024-08-01' } },
  { kind: 'itUser', action: 'create', input: { uuid: U(50), userKey: 'AB1234', itSystemUuid: U(12), personUuid: U(1), engagementUuids: [U(20)], from: '2024-01-01' } },
  { kind: 'itUser', action: 'update', input: { uuid: U(50), userKey: 'AB9999', from: '2024-03-01', to: null } },
  { kind: 'itUser', action: 'terminate', input: { uuid: U(50), to: '2024-09-01' } },
  { kind: 'itUser', action: 'delete', input: { uuid: U(50) } },
  { kind: 'roleBinding', action: 'create', input: { uuid: U(60), itUserUuid: U(50), roleUuid: U(15), orgUnitUuid: U(2), from: '2024-01-01' } },
  { kind: 'roleBinding', action: 'update', input: { uuid: U(60), itUserUuid: U(50), orgUnitUuid: null, from: '2024-02-01', to: null } },
  { kind: 'roleBinding', action: 'terminate', input: { uuid: U(60), to: '2024-10-01' } },
];

/** Compile-time checks: an operation can only name what MO offers, with that action's input. */
export function typeChecks(): MoOperation[] {
  return [
    // @ts-expect-error persons cannot be deleted through the subset
    { kind: 'person', action: 'delete', input: { uuid: 'x' } },
    // @ts-expect-error a create needs its required fields
    { kind: 'engagement', action: 'create', input: { uuid: 'x', from: '2024-01-01' } },
    // @ts-expect-error an update must say where it ends (null = open)
    { kind: 'engagement', action: 'update', input: { uuid: 'x', from: '2024-01-01' } },
    // @ts-expect-error OS2MO refuses an address value without its type ("Missing address_type")
    { kind: 'address', action: 'update', input: { uuid: 'x', value: 'a@b.dk', from: '2024-01-01', to: null } },
    // @ts-expect-error OS2MO ignores a visibility sent without a value
    { kind: 'address', action: 'update', input: { uuid: 'x', visibilityUuid: 'v', from: '2024-01-01', to: null } },
    // @ts-expect-error OS2MO vacates a manager role whose update does not name the person
    { kind: 'manager', action: 'update', input: { uuid: 'x', userKey: 'k', from: '2024-01-01', to: null } },
  ];
}

describe('MO batch writes', () => {
  let mo: CannedMo;
  let client: MoClient;
  let calls: Call[];

  before(async () => {
    mo = await CannedMo.start();
    client = createMoClient({ baseUrl: mo.baseUrl, auth: null, timeoutMs: 5000, retry: { retries: 0 } });
  });
  after(async () => {
    await mo.stop();
  });
  beforeEach(() => {
    mo.reset();
    calls = [];
    mo.graphql = (r) => execute(r, mutationRoot(calls));
  });

  it('sends every kind of operation in one request that OS2MO’s schema accepts, uuids in order', async () => {
    assert.equal(new Set(everyOperation.map((o) => `${o.kind}.${o.action}`)).size, MUTATIONS.length, 'one operation per mutation');
    const uuids = await client.write(everyOperation);
    assert.equal(mo.graphqlRequests.length, 1);
    assert.equal(uuids.length, everyOperation.length);
    assert.deepEqual(uuids, everyOperation.map((o) => (o.input as { uuid: string }).uuid));
    assert.deepEqual(
      calls.map((c) => c.field),
      MUTATIONS.map((m) => m.field),
    );
  });

  it("maps moflow's inputs to MO's names, days and exclusive ends", async () => {
    await client.write(everyOperation);
    // What was sent (graphql-js fills in the schema's defaults before the resolvers see it).
    const variables = mo.graphqlRequests[0]?.variables ?? {};
    const arg = (field: string) => variables[`i${calls.findIndex((c) => c.field === field)}`];
    assert.deepEqual(arg('engagement_create'), {
      uuid: U(20),
      user_key: '20',
      person: U(1),
      org_unit: U(2),
      job_function: U(3),
      engagement_type: U(4),
      primary: U(5),
      fraction: 1000,
      extension_1: 'Stilling',
      extension_3: 'x',
      validity: { from: '2024-01-01', to: '2025-01-01' },
    });
    assert.deepEqual(arg('engagement_terminate'), { uuid: U(20), from: '2024-03-01', to: '2024-04-01' });
    assert.equal(arg('engagement_delete'), U(20));
    // PATCH semantics for units: an absent field is not sent; a null parent makes the unit top-level.
    assert.deepEqual(arg('org_unit_update'), { uuid: U(2), name: 'Andeby Kommune', parent: null, validity: { from: '2024-01-01', to: null } });
    assert.deepEqual(arg('address_update'), { uuid: U(30), value: 'c@d.dk', address_type: U(7), validity: { from: '2024-05-01', to: null } });
    assert.deepEqual(arg('employee_create'), { uuid: U(1), given_name: 'Anna', surname: 'Hansen', cpr_number: '0101901234' });
    assert.deepEqual(arg('class_create'), {
      uuid: U(11),
      facet_uuid: U(10),
      user_key: 'Tester',
      name: 'Tester',
      scope: 'TEXT',
      owner: U(99),
      validity: { from: null, to: null },
    });
    assert.deepEqual(arg('ituser_create'), {
      uuid: U(50),
      user_key: 'AB1234',
      itsystem: U(12),
      person: U(1),
      engagements: [U(20)],
      validity: { from: '2024-01-01', to: null },
    });
  });

  it('sends aliased single mutations unless bulk is asked for', async () => {
    await client.write([engagementCreate(1), engagementCreate(2)]);
    assert.match(mo.graphqlRequests[0]?.query ?? '', /m0: engagement_create\(input: \$i0\).*\n.*m1: engagement_create\(input: \$i1\)/);
    // moflow.mo.bulk_mutations (default false) switches the client to bulk mutations.
    assert.equal(moClientConfig(loadSettings({ env: { MORA_BASE: mo.baseUrl } })).bulkMutations, false);
    const bulkClient = moClientFromSettings(loadSettings({ env: { MORA_BASE: mo.baseUrl, MOFLOW_MO_BULK_MUTATIONS: 'true' } }), { retry: { retries: 0 } });
    await bulkClient.write([engagementCreate(3), engagementCreate(4)]);
    assert.match(mo.graphqlRequests[1]?.query ?? '', /m0: engagements_create\(input: \$i0\) \{ uuid \}\n\}/);
  });

  it('groups runs into bulk mutations and requests of batchSize', async () => {
    const ops = Array.from({ length: 450 }, (_, i) => engagementCreate(1000 + i));
    const progress: number[] = [];
    const uuids = await client.write(ops, { batchSize: 200, bulk: true, onProgress: (done) => progress.push(done) });
    assert.deepEqual(uuids, ops.map((o) => (o.input as { uuid: string }).uuid));
    assert.equal(mo.graphqlRequests.length, 3);
    assert.deepEqual(progress, [200, 400, 450]);
    for (const request of mo.graphqlRequests) assert.match(request.query, /^mutation MoBatch\(\$i0: \[EngagementCreateInput!\]!\) \{\n  m0: engagements_create\(input: \$i0\)/);
    assert.equal((mo.graphqlRequests[2]?.variables.i0 as unknown[]).length, 50);
  });

  it('mixes single and bulk mutations in one request, in order', async () => {
    const ops: MoOperation[] = [
      { kind: 'person', action: 'create', input: { uuid: U(1), givenName: 'A', surname: 'B' } },
      engagementCreate(2),
      engagementCreate(3),
      engagementCreate(4),
      { kind: 'address', action: 'create', input: { uuid: U(5), value: '12345678', addressTypeUuid: U(7), personUuid: U(1), from: '2024-01-01' } },
      { kind: 'address', action: 'create', input: { uuid: U(6), value: '87654321', addressTypeUuid: U(7), personUuid: U(1), from: '2024-01-01' } },
      { kind: 'engagement', action: 'terminate', input: { uuid: U(2), to: '2024-02-01' } },
    ];
    const uuids = await client.write(ops, { bulk: true });
    assert.deepEqual(uuids, [U(1), U(2), U(3), U(4), U(5), U(6), U(2)]);
    const fields = [...(mo.graphqlRequests[0]?.query ?? '').matchAll(/(m\d+): (\w+)\(/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(fields, ['m0=employee_create', 'm1=engagements_create', 'm2=addresses_create', 'm3=engagement_terminate']);
    assert.deepEqual(
      calls.map((c) => c.field),
      ['employee_create', 'engagements_create', 'engagements_create', 'engagements_create', 'addresses_create', 'addresses_create', 'engagement_terminate'],
    );
  });

  it('names the operation that failed, and what earlier requests applied', async () => {
    const notFound = new GraphQLError('Engagement not found', {
      extensions: { error_context: { error: true, error_key: 'E_ENGAGEMENT_NOT_FOUND', status: 404, description: 'Engagement not found' } },
    });
    mo.graphql = (r) => execute(r, mutationRoot(calls, (field) => (field === 'engagement_update' ? notFound : null)));
    const ops: MoOperation[] = [
      engagementCreate(1),
      engagementCreate(2),
      engagementCreate(3),
      { kind: 'engagement', action: 'update', input: { uuid: U(9), fraction: 5, from: '2024-01-01', to: null } },
      engagementCreate(4),
      engagementCreate(5),
    ];
    await assert.rejects(client.write(ops, { batchSize: 2, bulk: false }), (e: unknown) => {
      assert.ok(e instanceof MoError);
      assert.equal(e.errorKey, 'E_ENGAGEMENT_NOT_FOUND');
      assert.equal(e.status, 404);
      assert.deepEqual(e.batch, { alias: 'm1', field: 'engagement_update', operationIndexes: [3], committedBefore: 2 });
      assert.match(e.message, /^OS2MO MoBatch \(operation 3, m1: engagement_update\) failed: E_ENGAGEMENT_NOT_FOUND \(404\)/);
      return true;
    });
    assert.equal(mo.graphqlRequests.length, 2, 'nothing is sent after the failing request');
  });

  it('names the whole run when a bulk mutation fails', async () => {
    const exists = new GraphQLError('exists', { extensions: { error_context: { error: true, error_key: 'V_DUPLICATE', status: 409, description: 'exists' } } });
    mo.graphql = (r) => execute(r, mutationRoot(calls, (field, arg) => (field === 'engagements_create' && (arg as { uuid: string }).uuid === U(12) ? exists : null)));
    const ops = [{ kind: 'person', action: 'create', input: { uuid: U(1), givenName: 'A', surname: 'B' } } as MoOperation, engagementCreate(11), engagementCreate(12), engagementCreate(13)];
    await assert.rejects(client.write(ops, { bulk: true }), (e: unknown) => {
      assert.ok(e instanceof MoError);
      assert.deepEqual(e.batch, { alias: 'm1', field: 'engagements_create', operationIndexes: [1, 2, 3], committedBefore: 0 });
      return true;
    });
  });

  it('checks every input before sending anything', async () => {
    const ops = [engagementCreate(1), { kind: 'engagement', action: 'terminate', input: { uuid: U(1), to: '2024-02-30' } } as MoOperation];
    await assert.rejects(client.write(ops), /terminate to must be a date YYYY-MM-DD/);
    assert.equal(mo.graphqlRequests.length, 0);
  });

  it('sends one operation alone with mutate and the per-kind mutators', async () => {
    assert.equal(await client.engagements.terminate({ uuid: U(7), to: '2024-07-01' }), U(7));
    assert.equal(await client.mutate({ kind: 'itUser', action: 'delete', input: { uuid: U(8) } }), U(8));
    assert.deepEqual(
      mo.graphqlRequests.map((r) => r.operationName),
      ['MoEngagementTerminate', 'MoItuserDelete'],
    );
    assert.deepEqual(mo.graphqlRequests[0]?.variables, { input: { uuid: U(7), to: '2024-07-01' } });
    assert.deepEqual(mo.graphqlRequests[1]?.variables, { uuid: U(8) });
  });
});

describe('batch planning', () => {
  const [create, update] = MUTATIONS.filter((m) => m.kind === 'engagement');
  const terminate = MUTATIONS.find((m) => m.field === 'engagement_terminate');
  const shape = (plan: ReturnType<typeof planBatches>) => plan.map((b) => b.segments.map((s) => `${s.bulk ? s.spec.bulkField : s.spec.field}@${s.first}x${s.count}`));

  it('cuts at batchSize and keeps bulk runs inside a request', () => {
    assert.ok(create && update && terminate);
    const specs = [create, create, create, terminate, terminate, update, update, create];
    const items: PlanItem[] = specs.map((spec, i) => ({ spec, uuid: U(i) }));
    assert.deepEqual(shape(planBatches(items, 4, true)), [
      ['engagements_create@0x3', 'engagement_terminate@3x1'],
      ['engagement_terminate@4x1', 'engagements_update@5x2', 'engagement_create@7x1'],
    ]);
    assert.deepEqual(
      planBatches(items, 100).flatMap((b) => b.segments.map((s) => s.bulk)),
      specs.map(() => false),
      'aliased single mutations by default',
    );
    assert.throws(() => planBatches(items, 0), /positive integer/);
  });

  it('never puts two writes of one object into one bulk mutation', () => {
    assert.ok(create && update);
    // An engagement's start moved earlier and its move to another unit, from one dump: OS2MO would race them.
    const items: PlanItem[] = [
      { spec: update, uuid: U(1) },
      { spec: update, uuid: U(2) },
      { spec: update, uuid: U(1) },
      { spec: update, uuid: U(3) },
      { spec: update, uuid: U(2) },
      { spec: update, uuid: U(1) },
    ];
    assert.deepEqual(shape(planBatches(items, 200, true)), [['engagements_update@0x2', 'engagements_update@2x3', 'engagement_update@5x1']]);
    for (const segment of planBatches(items, 200, true)[0]!.segments) {
      const objects = items.slice(segment.first, segment.first + segment.count).map((i) => i.uuid);
      assert.equal(new Set(objects).size, objects.length);
    }
  });

  it('counts creates without a uuid as distinct objects', () => {
    assert.ok(create);
    const items: PlanItem[] = [
      { spec: create, uuid: null },
      { spec: create, uuid: null },
      { spec: create, uuid: U(1) },
      { spec: create, uuid: U(1) },
    ];
    assert.deepEqual(shape(planBatches(items, 200, true)), [['engagements_create@0x3', 'engagement_create@3x1']]);
  });
});

describe('bulk writes against the local MO', { skip: await postgresSkip() }, () => {
  const env = useLocalMo();

  it('writes two changes of one engagement from one dump in one request, both applied in order', async () => {
    const client = createMoClient({ baseUrl: env.mo.url, auth: null, timeoutMs: 10_000, retry: { retries: 0 }, bulkMutations: true });
    const [unitType, jobFunction, engagementType] = [U(901), U(902), U(903)];
    const [unit, other, person, engagement] = [U(911), U(912), U(913), U(914)];
    await client.write([
      { kind: 'orgUnit', action: 'create', input: { uuid: unit, name: 'Gammel', parentUuid: null, unitTypeUuid: unitType, from: '2020-01-01' } },
      { kind: 'orgUnit', action: 'create', input: { uuid: other, name: 'Ny', parentUuid: null, unitTypeUuid: unitType, from: '2020-01-01' } },
      { kind: 'person', action: 'create', input: { uuid: person, givenName: 'Bo', surname: 'Bulk' } },
      { kind: 'engagement', action: 'create', input: { uuid: engagement, userKey: 'B1', personUuid: person, orgUnitUuid: unit, jobFunctionUuid: jobFunction, engagementTypeUuid: engagementType, from: '2024-03-01' } },
    ]);
    // Both are engagement_update: with bulk on, they would be one engagements_update list without the cut.
    await client.write([
      { kind: 'engagement', action: 'update', input: { uuid: engagement, orgUnitUuid: unit, from: '2024-01-01', to: '2024-03-01' } },
      { kind: 'engagement', action: 'update', input: { uuid: engagement, orgUnitUuid: other, from: '2024-06-01', to: null } },
    ]);
    const [read] = await client.engagements.read({ uuids: [engagement] }, 'all');
    assert.deepEqual(
      read?.validities.map((v) => [v.from, v.to, v.orgUnitUuid]),
      [
        ['2024-01-01', '2024-06-01', unit],
        ['2024-06-01', null, other],
      ],
    );
  });
});
