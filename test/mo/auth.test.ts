// Keycloak client credentials against a real HTTP token endpoint: one token fetch shared by concurrent
// requests, cached until shortly before expiry, refetched once on a 401 from MO.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadSettings } from '../../src/config/load.js';
import { createTokenProvider, refreshMarginMs } from '../../src/mo/auth.js';
import { moClientFromSettings } from '../../src/mo/client.js';
import { MoError } from '../../src/mo/errors.js';
import { createTransport, type MoDocument } from '../../src/mo/transport.js';
import { CannedMo } from '../support/cannedMo.js';

const query: MoDocument = { operationName: 'MoProbe', text: 'query MoProbe { facets { objects { uuid } } }', mutation: false };
const mutation: MoDocument = { operationName: 'MoEmployeeCreate', text: 'mutation MoEmployeeCreate { x }', mutation: true };
const ok = { json: { data: { facets: { objects: [] } } } };
const SECRET = 's3cr3t-value';

describe('MO authentication', () => {
  let mo: CannedMo;
  let clock: number;
  const credentials = () => ({ tokenUrl: mo.tokenUrl, clientId: 'moflow', clientSecret: SECRET });
  const retry = { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 5, onRetry: () => {} };
  const transportWithClock = () => {
    const tokenProvider = createTokenProvider(credentials(), { timeoutMs: 2000, now: () => clock });
    return createTransport({ baseUrl: mo.baseUrl, auth: credentials(), timeoutMs: 2000, retry, tokenProvider });
  };

  before(async () => {
    mo = await CannedMo.start();
  });
  after(async () => {
    await mo.stop();
  });
  beforeEach(() => {
    mo.reset();
    clock = 1_000_000;
    mo.token = (_r, n) => ({ json: { access_token: `token-${n}`, expires_in: 300, token_type: 'Bearer' } });
    mo.graphql = () => ok;
  });

  it('fetches a token with client credentials and sends it as a bearer token', async () => {
    const t = createTransport({ baseUrl: mo.baseUrl, auth: credentials(), timeoutMs: 2000, retry });
    await t.request(query, {});
    const [tokenRequest] = mo.tokenRequests;
    assert.equal(tokenRequest?.form.get('grant_type'), 'client_credentials');
    assert.equal(tokenRequest?.form.get('client_id'), 'moflow');
    assert.equal(tokenRequest?.form.get('client_secret'), SECRET);
    assert.equal(mo.graphqlRequests[0]?.headers.authorization, 'Bearer token-1');
  });

  it("is configured from DIPEX's settings (MORA_BASE, CLIENT_ID, CLIENT_SECRET, AUTH_SERVER)", async () => {
    const settings = loadSettings({
      env: { MORA_BASE: `${mo.baseUrl}/`, CLIENT_ID: 'dipex', CLIENT_SECRET: SECRET, AUTH_SERVER: `${mo.baseUrl}/auth` },
    });
    mo.graphql = () => ({ json: { data: { facets: { objects: [], page_info: { next_cursor: null } } } } });
    const client = moClientFromSettings(settings, { retry });
    assert.equal(client.transport.endpoint, `${mo.baseUrl}/graphql/v30`);
    assert.deepEqual(await client.facets.read(), []);
    assert.equal(mo.tokenRequests[0]?.form.get('client_id'), 'dipex');
    assert.equal(mo.graphqlRequests[0]?.headers.authorization, 'Bearer token-1');
  });

  it('reuses the token until shortly before it expires', async () => {
    const t = transportWithClock();
    await t.request(query, {});
    clock += 200_000;
    await t.request(query, {});
    clock += 69_000; // 269 s: still more than the 30 s margin left
    await t.request(query, {});
    assert.equal(mo.tokenRequests.length, 1);
    clock += 2_000; // 271 s: inside the margin
    await t.request(query, {});
    assert.equal(mo.tokenRequests.length, 2);
    assert.deepEqual(
      mo.graphqlRequests.map((r) => r.headers.authorization),
      ['Bearer token-1', 'Bearer token-1', 'Bearer token-1', 'Bearer token-2'],
    );
  });

  it('refreshes short-lived tokens a tenth of their lifetime early', async () => {
    assert.equal(refreshMarginMs(300_000), 30_000);
    assert.equal(refreshMarginMs(60_000), 6_000);
    mo.token = (_r, n) => ({ json: { access_token: `token-${n}`, expires_in: 60 } });
    const t = transportWithClock();
    await t.request(query, {});
    clock += 53_000;
    await t.request(query, {});
    assert.equal(mo.tokenRequests.length, 1);
    clock += 2_000;
    await t.request(query, {});
    assert.equal(mo.tokenRequests.length, 2);
  });

  it('shares one token fetch between concurrent requests', async () => {
    mo.token = async (_r, n) => {
      await new Promise((r) => setTimeout(r, 50));
      return { json: { access_token: `token-${n}`, expires_in: 300 } };
    };
    const t = transportWithClock();
    await Promise.all(Array.from({ length: 10 }, () => t.request(query, {})));
    assert.equal(mo.tokenRequests.length, 1);
    assert.equal(mo.graphqlRequests.length, 10);
  });

  it('on a 401 from MO fetches a new token once and sends again', async () => {
    mo.graphql = (r) => (r.headers.authorization === 'Bearer token-1' ? { status: 401, json: { detail: 'Token expired' } } : ok);
    // A mutation too: MO refused it before doing anything.
    const t = transportWithClock();
    await t.request(mutation, {});
    assert.equal(mo.tokenRequests.length, 2);
    assert.deepEqual(
      mo.graphqlRequests.map((r) => r.headers.authorization),
      ['Bearer token-1', 'Bearer token-2'],
    );
    // The new token is cached.
    await t.request(query, {});
    assert.equal(mo.tokenRequests.length, 2);
  });

  it('gives up when MO refuses the fresh token too', async () => {
    mo.graphql = () => ({ status: 401, json: { detail: 'Not authenticated' } });
    await assert.rejects(transportWithClock().request(query, {}), (e: unknown) => e instanceof MoError && e.kind === 'auth' && e.status === 401);
    assert.equal(mo.tokenRequests.length, 2);
    assert.equal(mo.graphqlRequests.length, 2);
  });

  it('reports refused credentials without the secret and does not retry them', async () => {
    mo.token = () => ({ status: 401, json: { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' } });
    await assert.rejects(transportWithClock().request(query, {}), (e: unknown) => {
      assert.ok(e instanceof MoError);
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /refused the client credentials of client 'moflow'.*unauthorized_client/);
      assert.doesNotMatch(e.message, new RegExp(SECRET));
      return true;
    });
    assert.equal(mo.tokenRequests.length, 1);
    assert.equal(mo.graphqlRequests.length, 0);
  });

  it('retries a token endpoint that is down, even for a mutation', async () => {
    mo.token = (_r, n) => (n === 1 ? { status: 503, text: 'starting' } : { json: { access_token: 'token-ok', expires_in: 300 } });
    await transportWithClock().request(mutation, {});
    assert.equal(mo.tokenRequests.length, 2);
    assert.equal(mo.graphqlRequests[0]?.headers.authorization, 'Bearer token-ok');
  });

  it('a failed token fetch is not cached', async () => {
    const provider = createTokenProvider(credentials(), { timeoutMs: 2000, now: () => clock });
    mo.token = (_r, n) => (n === 1 ? { status: 500, text: '' } : { json: { access_token: 'token-later', expires_in: 300 } });
    await assert.rejects(provider.token(), (e: unknown) => e instanceof MoError && e.kind === 'http');
    assert.equal(await provider.token(), 'token-later');
    assert.equal(provider.fetches, 2);
  });
});
