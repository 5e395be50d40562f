// The local MO refuses request bodies over a bound before buffering them: an 80 MB request once took the
// service from 149 to 461 MB. Announced by Content-Length or streamed chunked, it is answered 413 early.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { MAX_BODY_BYTES } from '../../src/localmo/http.js';
import { postgresSkip } from '../support/postgres.js';
import { useLocalMo } from '../support/localmo.js';

const skip = await postgresSkip();
const CHUNK = Buffer.alloc(1024 * 1024, 0x20);

/** Streams up to 80 MB to `path` until the server answers; returns the status and how much was sent. */
function streamBody(url: string, chunked: boolean): Promise<{ status: number; sentBytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    const total = 80 * CHUNK.length;
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = total;
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sentBytes, body }));
    });
    req.on('error', (error) => (sentBytes > 0 ? resolve({ status: 0, sentBytes, body: String(error) }) : reject(error)));
    const pump = () => {
      while (sentBytes < total) {
        sentBytes += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('local MO request body bound', { skip }, () => {
  const env = useLocalMo();

  it('an 80 MB body announced by Content-Length is refused with 413 before it is read', async () => {
    const answer = await streamBody(env.mo.graphqlUrl, false);
    assert.equal(answer.status, 413, answer.body);
    assert.match(answer.body, /request body exceeds 16 MiB; send fewer writes per request \(moflow\.mo\.batch_size\)/);
  });

  it('a chunked 80 MB body is refused once it passes the bound, not buffered to its end', async () => {
    const answer = await streamBody(env.mo.graphqlUrl, true);
    assert.ok(answer.status === 413 || answer.status === 0, `413 or the connection closed, not ${answer.status}: ${answer.body}`);
    assert.ok(answer.sentBytes < 80 * CHUNK.length, `the server stopped reading at ${answer.sentBytes} bytes`);
    assert.ok(MAX_BODY_BYTES <= 16 * 1024 * 1024);
  });

  it('the token endpoint takes a short form only, and GraphQL still answers afterwards', async () => {
    const answer = await streamBody(`${env.mo.url}/auth/realms/mo/protocol/openid-connect/token`, false);
    assert.equal(answer.status, 413);
    const ok = await env.gql('{ org_units(limit: 1) { objects { uuid } } }');
    assert.equal(ok.status, 200, JSON.stringify(ok.errors));
  });
});
