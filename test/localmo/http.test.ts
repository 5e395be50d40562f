// The local MO's HTTP surface: GraphiQL served offline, the SDL, the /graphql redirect, health, and
// Keycloak-style client credentials when auth is configured.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresSkip } from '../support/postgres.js';
import { postGraphQL, useLocalMo } from '../support/localmo.js';

const skip = await postgresSkip();
const TOKEN_PATH = '/auth/realms/mo/protocol/openid-connect/token';

async function fetchToken(base: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${base}${TOKEN_PATH}`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('local MO over HTTP without auth', { skip }, () => {
  const env = useLocalMo();

  it('serves GraphiQL on GET with every asset from this server (no CDN)', async () => {
    const page = await fetch(env.mo.graphqlUrl);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(assets.length, 4);
    for (const asset of assets) {
      assert.ok(asset.startsWith('/'), `${asset} is served by the local MO itself`);
      const response = await fetch(new URL(asset, env.mo.url));
      assert.equal(response.status, 200, asset);
      assert.ok((await response.arrayBuffer()).byteLength > 1000, `${asset} has content`);
    }
    assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)/, 'no external URL in the page');
    const script = await (await fetch(new URL('/graphql/v30/graphiql/graphiql.js', env.mo.url))).text();
    assert.match(script, /GraphiQL/);
  });

  it('redirects /graphql to /graphql/v30 and serves the v30 SDL', async () => {
    const redirect = await fetch(`${env.mo.url}/graphql`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), '/graphql/v30');
    const sdl = await fetch(`${env.mo.graphqlUrl}/schema.graphql`);
    assert.equal(sdl.status, 200);
    const text = await sdl.text();
    assert.match(text, /OS2mo GraphQL API schema definition \(v30\)/);
    assert.match(text, /type EngagementResponse/);
  });

  it('answers health checks', async () => {
    assert.equal((await fetch(`${env.mo.url}/health/live`)).status, 200);
    const ready = await fetch(`${env.mo.url}/health/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { database: true });
  });

  it('is open without auth, and answers malformed requests with 400', async () => {
    const answer = await postGraphQL<any>(env.mo.graphqlUrl, `{ facets(limit: 1) { objects { uuid } } }`);
    assert.equal(answer.status, 200);
    assert.equal(answer.data!.facets.objects.length, 1);
    const notJson = await fetch(env.mo.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    assert.equal(notJson.status, 400);
    const noQuery = await fetch(env.mo.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(noQuery.status, 400);
    const otherVersion = await fetch(`${env.mo.url}/graphql/v22`, { method: 'POST', body: '{}' });
    assert.equal(otherVersion.status, 404);
  });
});

describe('local MO over HTTP with auth', { skip }, () => {
  const env = useLocalMo({ auth: { clientId: 'dipex', clientSecret: 's3cret' } });
  const query = `{ facets(limit: 1) { objects { uuid } } }`;

  it('refuses GraphQL without a token (401) but serves the SDL, as MO does', async () => {
    const answer = await fetch(env.mo.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    assert.equal(answer.status, 401);
    assert.equal(answer.headers.get('www-authenticate'), 'Bearer');
    assert.equal((await fetch(`${env.mo.graphqlUrl}/schema.graphql`)).status, 200);
  });

  it('issues a token for the client credentials and accepts it', async () => {
    const token = await fetchToken(env.mo.url, { grant_type: 'client_credentials', client_id: 'dipex', client_secret: 's3cret' });
    assert.equal(token.status, 200);
    assert.equal(token.body.token_type, 'Bearer');
    assert.equal(token.body.expires_in, 300);
    const claims = JSON.parse(Buffer.from(token.body.access_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.azp, 'dipex');
    assert.equal(claims.aud, undefined, 'no audience, as MO expects');
    assert.ok(claims.exp > Date.now() / 1000);
    const answer = await postGraphQL<any>(env.mo.graphqlUrl, query, {}, { authorization: `Bearer ${token.body.access_token}` });
    assert.equal(answer.status, 200);
    assert.equal(answer.data!.facets.objects.length, 1);
    const basic = await fetch(`${env.mo.url}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('dipex:s3cret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    assert.equal(basic.status, 200, 'client_secret_basic works too');
  });

  it('refuses wrong credentials and other grant types at the token endpoint', async () => {
    const wrong = await fetchToken(env.mo.url, { grant_type: 'client_credentials', client_id: 'dipex', client_secret: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'unauthorized_client');
    const grant = await fetchToken(env.mo.url, { grant_type: 'password', client_id: 'dipex', client_secret: 's3cret' });
    assert.equal(grant.status, 400);
    assert.equal(grant.body.error, 'unsupported_grant_type');
  });

  it('refuses forged and tampered tokens', async () => {
    const token = (await fetchToken(env.mo.url, { grant_type: 'client_credentials', client_id: 'dipex', client_secret: 's3cret' })).body.access_token as string;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString('base64url')}.${signature}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    for (const forged of [tampered, unsigned, 'garbage', `${header}.${payload}.${Buffer.from('x'.repeat(32)).toString('base64url')}`]) {
      const answer = await fetch(env.mo.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${forged}`, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      assert.equal(answer.status, 401, forged);
    }
  });
});

describe('local MO tokens that have expired', { skip }, () => {
  // A negative lifetime issues tokens whose exp is already past (beyond MO's 5 s leeway).
  const env = useLocalMo({ auth: { clientId: 'dipex', clientSecret: 's3cret' }, tokenLifetimeSeconds: -60 });

  it('refuses an expired token', async () => {
    const token = await fetchToken(env.mo.url, { grant_type: 'client_credentials', client_id: 'dipex', client_secret: 's3cret' });
    assert.equal(token.status, 200);
    const answer = await fetch(env.mo.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.body.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ facets { objects { uuid } } }' }),
    });
    assert.equal(answer.status, 401);
    assert.match(JSON.stringify(await answer.json()), /expired/);
  });
});
