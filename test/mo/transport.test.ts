// The transport against a real HTTP server: what is retried (and how often), what is not, timeouts,
// and MO's errors as MoError.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MoError } from '../../src/mo/errors.js';
import { createTransport, type MoDocument, type MoTransportOptions } from '../../src/mo/transport.js';
import { freePort } from '../../src/util/ports.js';
import { CannedMo, execute, moErrorAnswer } from '../support/cannedMo.js';

const query: MoDocument = { operationName: 'MoProbe', text: 'query MoProbe($filter: FacetFilter) { facets(filter: $filter) { objects { uuid } } }', mutation: false };
const mutation: MoDocument = { operationName: 'MoEmployeeCreate', text: 'mutation MoEmployeeCreate($input: EmployeeCreateInput!) { employee_create(input: $input) { uuid } }', mutation: true };
const ok = { json: { data: { facets: { objects: [] } } } };

describe('MO transport', () => {
  let mo: CannedMo;
  let retries: string[];
  const transport = (extra: Partial<MoTransportOptions> = {}) =>
    createTransport({
      baseUrl: mo.baseUrl,
      auth: null,
      timeoutMs: 2000,
      retry: { retries: 3, minTimeoutMs: 5, maxTimeoutMs: 20, onRetry: (m) => retries.push(m) },
      ...extra,
    });

  before(async () => {
    mo = await CannedMo.start();
  });
  after(async () => {
    await mo.stop();
  });
  beforeEach(() => {
    mo.reset();
    retries = [];
  });

  it('POSTs {query, variables, operationName} to /graphql/v30 and resolves to data', async () => {
    mo.graphql = () => ({ json: { data: { facets: { objects: [{ uuid: 'u1' }] } } } });
    const t = transport({ baseUrl: `${mo.baseUrl}/` });
    assert.equal(t.endpoint, `${mo.baseUrl}/graphql/v30`);
    const data = await t.request<{ facets: { objects: { uuid: string }[] } }>(query, { filter: { user_keys: ['x'] } });
    assert.deepEqual(data.facets.objects, [{ uuid: 'u1' }]);
    const [sent] = mo.graphqlRequests;
    assert.equal(sent?.query, query.text);
    assert.equal(sent?.operationName, 'MoProbe');
    assert.deepEqual(sent?.variables, { filter: { user_keys: ['x'] } });
    assert.equal(sent?.headers.authorization, undefined, 'no auth configured: no token');
  });

  it('retries 502 and 503, then succeeds', async () => {
    mo.graphql = (_r, n) => (n === 1 ? { status: 502, text: 'bad gateway' } : n === 2 ? { status: 503, text: 'unavailable' } : ok);
    await transport().request(query, {});
    assert.equal(mo.graphqlRequests.length, 3);
    assert.equal(retries.length, 2);
    assert.match(retries[0] ?? '', /OS2MO MoProbe failed .*HTTP 502/);
  });

  it('retries 429 and 503 for a mutation too (MO applied nothing)', async () => {
    mo.graphql = (_r, n) => (n === 1 ? { status: 429, text: 'slow down' } : n === 2 ? { status: 503, text: '' } : { json: { data: { employee_create: { uuid: 'p' } } } });
    await transport().request(mutation, { input: { given_name: 'A', surname: 'B' } });
    assert.equal(mo.graphqlRequests.length, 3);
  });

  it('retries a refused connection until MO is up', async () => {
    const port = await freePort();
    let late: CannedMo | null = null;
    const t = createTransport({
      baseUrl: `http://127.0.0.1:${port}`,
      auth: null,
      timeoutMs: 2000,
      retry: {
        retries: 3,
        minTimeoutMs: 5,
        maxTimeoutMs: 20,
        onRetry: (m) => {
          retries.push(m);
          if (!late) void CannedMo.start(port).then((s) => ((late = s).graphql = () => ({ json: { data: { employee_create: { uuid: 'p1' } } } })));
        },
      },
    });
    try {
      // A mutation: a refused connection never reached MO, so it is safe to send again.
      const data = await t.request<{ employee_create: { uuid: string } }>(mutation, {});
      assert.equal(data.employee_create.uuid, 'p1');
      assert.match(retries[0] ?? '', /ECONNREFUSED/);
    } finally {
      await (late as CannedMo | null)?.stop();
    }
  });

  it('gives up after the configured retries', async () => {
    mo.graphql = () => ({ status: 500, text: 'boom' });
    await assert.rejects(transport({ retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2, onRetry: () => {} } }).request(query, {}), (e: unknown) => {
      assert.ok(e instanceof MoError);
      assert.equal(e.kind, 'http');
      assert.equal(e.status, 500);
      return true;
    });
    assert.equal(mo.graphqlRequests.length, 3);
  });

  it('does not retry a 400', async () => {
    mo.graphql = () => ({ status: 400, json: { errors: [{ message: 'Unable to parse request body as JSON' }] } });
    await assert.rejects(transport().request(query, {}), (e: unknown) => e instanceof MoError && e.kind === 'graphql' && e.status === 400);
    assert.equal(mo.graphqlRequests.length, 1);
  });

  it('does not retry a GraphQL validation error', async () => {
    const bad: MoDocument = { operationName: 'MoBad', text: 'query MoBad { facets { objects { nonsense } } }', mutation: false };
    mo.graphql = (r) => execute(r, {});
    await assert.rejects(transport().request(bad, {}), (e: unknown) => {
      assert.ok(e instanceof MoError);
      assert.equal(e.kind, 'graphql');
      assert.equal(e.errorKey, null);
      assert.match(e.message, /OS2MO MoBad failed: Cannot query field "nonsense"/);
      return true;
    });
    assert.equal(mo.graphqlRequests.length, 1);
  });

  it("turns MO's error_context into MoError fields, masks CPRs, and does not retry V_EXISTING_CPR", async () => {
    mo.graphql = () => moErrorAnswer('V_EXISTING_CPR', 409, 'Person with CPR number 0101901234 already exists.', ['employee_create']);
    await assert.rejects(transport().request(mutation, { input: { cpr_number: '0101901234' } }), (e: unknown) => {
      assert.ok(e instanceof MoError);
      assert.equal(e.kind, 'mo');
      assert.equal(e.errorKey, 'V_EXISTING_CPR');
      assert.equal(e.status, 409);
      assert.equal(e.operationName, 'MoEmployeeCreate');
      assert.deepEqual(e.path, ['employee_create']);
      assert.equal(e.description, 'Person with CPR number 010190-xxxx already exists.');
      assert.doesNotMatch(e.message, /0101901234/);
      assert.match(e.message, /^OS2MO MoEmployeeCreate failed: V_EXISTING_CPR \(409\)/);
      return true;
    });
    assert.equal(mo.graphqlRequests.length, 1);
  });

  it('times out a hanging MO, retrying a read but not a mutation', async () => {
    mo.graphql = () => 'hang';
    const t = transport({ timeoutMs: 150, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 2, onRetry: () => {} } });
    const started = Date.now();
    await assert.rejects(t.request(query, {}), (e: unknown) => e instanceof MoError && e.kind === 'timeout' && /150 ms/.test(e.message));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 280 && elapsed < 2000, `two attempts of 150 ms took ${elapsed} ms`);
    assert.equal(mo.graphqlRequests.length, 2);

    mo.reset();
    mo.graphql = () => 'hang';
    await assert.rejects(t.request(mutation, {}), (e: unknown) => e instanceof MoError && e.kind === 'timeout');
    assert.equal(mo.graphqlRequests.length, 1, 'a timed-out mutation may have been applied: not sent again');
  });

  it('retries a dropped connection for a read but not for a mutation', async () => {
    mo.graphql = (_r, n) => (n === 1 ? 'drop' : ok);
    await transport().request(query, {});
    assert.equal(mo.graphqlRequests.length, 2);

    mo.reset();
    mo.graphql = (_r, n) => (n === 1 ? 'drop' : { json: { data: { employee_create: { uuid: 'p' } } } });
    await assert.rejects(transport().request(mutation, {}), (e: unknown) => e instanceof MoError && e.kind === 'network');
    assert.equal(mo.graphqlRequests.length, 1);
  });

  it('treats 200 without data as an error', async () => {
    mo.graphql = () => ({ json: {} });
    await assert.rejects(transport().request(query, {}), (e: unknown) => e instanceof MoError && e.kind === 'http' && e.status === 200);
  });
});
