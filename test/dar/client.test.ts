// The DAR client against a local server speaking the datavask protocol: what is accepted (A/B with one
// result), the adgangsadresser fallback, what is a miss (C, several results, 404), and that failures DAR
// could recover from are retried and, past the retry budget, are `unavailable` — never a miss.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createDarClient, type DarClientOptions } from '../../src/dar/client.js';
import { freePort } from '../../src/util/ports.js';
import { dar, DarServer } from '../support/darServer.js';

const UUID_A = '0a3f50a0-4660-32b8-e044-0003ba298018';
const UUID_B = '0a3f507c-ce3f-32b8-e044-0003ba298018';
const STREET = 'Paradisæblevej 1';
const ZIP = '8880';
const TEXT = 'Paradisæblevej 1, 8880';

describe('DAR client', () => {
  let server: DarServer;
  const fast = { minTimeoutMs: 5, maxTimeoutMs: 20 };
  const client = (options: DarClientOptions = {}) => createDarClient({ baseUrl: server.url, timeoutMs: 1000, retry: { retries: 2, ...fast }, ...options });

  before(async () => {
    server = await DarServer.start();
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => server.resetCounts());

  it('accepts category A with one result from adresser, without asking adgangsadresser', async () => {
    server.answer(TEXT, { adresser: dar.found(UUID_A, 'A') });
    const c = client();
    assert.deepEqual(await c.lookUp(STREET, ZIP), { kind: 'found', uuid: UUID_A, resource: 'adresser', category: 'A' });
    assert.equal(server.count({ betegnelse: TEXT }), 1);
    assert.equal(c.requests, 1);
  });

  it('accepts category B with one result, and sends the text exactly as "street, zip" (encoded)', async () => {
    const street = 'Vej & Sti 1+3, 2. th ';
    server.answer('Vej & Sti 1+3, 2. th, 0800', { adresser: dar.found(UUID_B.toUpperCase(), 'B') });
    const found = await client().lookUp(street, ' 0800');
    assert.deepEqual(found, { kind: 'found', uuid: UUID_B, resource: 'adresser', category: 'B' });
    assert.deepEqual(server.requests, [{ resource: 'adresser', betegnelse: 'Vej & Sti 1+3, 2. th, 0800' }]);
  });

  it('falls back to adgangsadresser when adresser gives category C', async () => {
    server.answer(TEXT, { adresser: dar.uncertain(3), adgangsadresser: dar.found(UUID_B, 'B') });
    assert.deepEqual(await client().lookUp(STREET, ZIP), { kind: 'found', uuid: UUID_B, resource: 'adgangsadresser', category: 'B' });
    assert.deepEqual(server.requests.map((r) => r.resource), ['adresser', 'adgangsadresser']);
  });

  it('falls back to adgangsadresser when adresser has no such address (404)', async () => {
    server.answer(TEXT, { adresser: dar.notFound(), adgangsadresser: dar.found(UUID_A, 'A') });
    assert.equal((await client().lookUp(STREET, ZIP)).kind, 'found');
    assert.equal(server.count(), 2);
  });

  it('category C from both is a miss saying why', async () => {
    server.answer(TEXT, { adresser: dar.uncertain(2), adgangsadresser: dar.uncertain(4) });
    const miss = await client().lookUp(STREET, ZIP);
    assert.equal(miss.kind, 'miss');
    assert.match((miss as { reason: string }).reason, /adresser: category C.*adgangsadresser: category C/);
    assert.equal(server.count(), 2, 'a miss is not retried');
  });

  it('several results, even in category A or B, are a miss', async () => {
    server.answer(TEXT, { adresser: dar.several([UUID_A, UUID_B], 'A'), adgangsadresser: dar.several([UUID_A, UUID_B], 'B') });
    const miss = await client().lookUp(STREET, ZIP);
    assert.deepEqual(miss, { kind: 'miss', reason: 'adresser: category A with 2 results; adgangsadresser: category B with 2 results' });
  });

  it('404 from both is a miss', async () => {
    server.answer(TEXT, { adresser: dar.notFound(), adgangsadresser: dar.notFound() });
    assert.deepEqual(await client().lookUp(STREET, ZIP), { kind: 'miss', reason: 'adresser: not found; adgangsadresser: not found' });
  });

  it('retries 500 and 429 and takes the answer that follows', async () => {
    server.answer(TEXT, { adresser: [dar.status(500), dar.status(429), dar.found(UUID_A)] });
    assert.equal((await client().lookUp(STREET, ZIP)).kind, 'found');
    assert.equal(server.count({ resource: 'adresser' }), 3);
  });

  it('a persistent 5xx is unavailable after the retry budget, and adgangsadresser is not asked', async () => {
    server.answer(TEXT, { adresser: dar.status(503), adgangsadresser: dar.found(UUID_A) });
    const result = await client().lookUp(STREET, ZIP);
    assert.equal(result.kind, 'unavailable');
    assert.match((result as { reason: string }).reason, /HTTP 503/);
    assert.doesNotMatch((result as { reason: string }).reason, /Paradis/, 'no address in messages');
    assert.equal(server.count({ resource: 'adresser' }), 3, 'first attempt + 2 retries');
    assert.equal(server.count({ resource: 'adgangsadresser' }), 0);
  });

  it('a 5xx on the fallback is unavailable too, not a miss', async () => {
    server.answer(TEXT, { adresser: dar.uncertain(), adgangsadresser: dar.status(502) });
    assert.equal((await client().lookUp(STREET, ZIP)).kind, 'unavailable');
  });

  it('a slow answer times out, is retried, and is unavailable when it stays slow', async () => {
    server.answer(TEXT, { adresser: dar.slow(dar.found(UUID_A), 400) });
    const started = Date.now();
    const result = await client({ timeoutMs: 100 }).lookUp(STREET, ZIP);
    assert.equal(result.kind, 'unavailable');
    assert.match((result as { reason: string }).reason, /did not answer within 100 ms/);
    assert.equal(server.count(), 3);
    assert.ok(Date.now() - started < 2000, 'each attempt is cut at the deadline');
  });

  it('one slow answer then a quick one is found', async () => {
    server.answer(TEXT, { adresser: [dar.slow(dar.found(UUID_A), 400), dar.found(UUID_A)] });
    assert.equal((await client({ timeoutMs: 100 }).lookUp(STREET, ZIP)).kind, 'found');
    assert.equal(server.count(), 2);
  });

  it('an HTML 404 (a base URL that is not DAR) is unavailable at once, not a miss', async () => {
    server.answer(TEXT, { adresser: { status: 404, raw: '<html>Not Found</html>' } });
    const result = await client().lookUp(STREET, ZIP);
    assert.equal(result.kind, 'unavailable');
    assert.match((result as { reason: string }).reason, /base URL/);
    assert.equal(server.count(), 1, 'not retried');
  });

  it('a 200 that is not a datavask answer is unavailable, not a miss', async () => {
    server.answer(TEXT, { adresser: { body: [{ id: UUID_A }] } });
    assert.equal((await client().lookUp(STREET, ZIP)).kind, 'unavailable');
    server.answer(TEXT, { adresser: { body: { kategori: 'A', resultater: [{ adresse: { id: 'not-a-uuid' } }] } } });
    assert.equal((await client().lookUp(STREET, ZIP)).kind, 'unavailable');
  });

  it('a 403 (a proxy refusing) is unavailable without retries', async () => {
    server.answer(TEXT, { adresser: dar.status(403) });
    assert.equal((await client().lookUp(STREET, ZIP)).kind, 'unavailable');
    assert.equal(server.count(), 1);
  });

  it('a 400 (DAR refusing the text) is a miss', async () => {
    server.answer(TEXT, { adresser: dar.status(400), adgangsadresser: dar.status(400) });
    assert.equal((await client().lookUp(STREET, ZIP)).kind, 'miss');
  });

  it('a service nobody listens on is unavailable after the retries, with the retries logged without the address', async () => {
    const lines: string[] = [];
    const c = createDarClient({ baseUrl: `http://127.0.0.1:${await freePort()}/`, timeoutMs: 500, retry: { retries: 2, ...fast }, log: (m) => lines.push(m) });
    const result = await c.lookUp(STREET, ZIP);
    assert.equal(result.kind, 'unavailable');
    assert.match((result as { reason: string }).reason, /could not be reached \(ECONNREFUSED\)/);
    assert.equal(c.requests, 3);
    assert.equal(lines.length, 2);
    for (const line of lines) assert.doesNotMatch(line, /Paradis|8880/);
  });

  it('keeps a base URL path (a proxy prefix)', async () => {
    const c = createDarClient({ baseUrl: `${server.url}/dar/`, retry: { retries: 0 } });
    assert.equal(c.baseUrl, `${server.url}/dar`);
    await c.lookUp(STREET, ZIP);
    assert.deepEqual(server.strays, ['/dar/datavask/adresser', '/dar/datavask/adgangsadresser']);
  });
});
