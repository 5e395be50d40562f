// The local MO's HTTP surface, on node:http: the routes of OS2MO that moflow touches.
//   POST /graphql/v30                 GraphQL (Bearer token when auth is on)
//   GET  /graphql/v30                 GraphiQL (offline assets under /graphql/v30/graphiql/)
//   GET  /graphql/v30/schema.graphql  the SDL, no token (as MO)
//   GET  /graphql, /graphql/          redirect to /graphql/v30
//   POST /auth/realms/mo/protocol/openid-connect/token   Keycloak-style client credentials
//   GET  /health/live, /health/ready
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type pg from 'pg';
import { TOKEN_PATH, type TokenIssuer } from './auth.js';
import type { GraphQLExecutor } from './execute.js';
import { GRAPHIQL_ASSET_PREFIX, graphiqlAsset, graphiqlPage } from './graphiql.js';
import { localMoSchema } from './schema.js';

const GRAPHQL_PATH = '/graphql/v30';
/**
 * Beyond this a request is refused before it is buffered: an 80 MB body took the service from 149 to 461 MB.
 * moflow's largest requests (200 writes, moflow.mo.batch_size) are well under 1 MB.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** The token endpoint takes a short form. */
const MAX_FORM_BYTES = 64 * 1024;

export interface HttpDeps {
  executor: GraphQLExecutor;
  tokens: TokenIssuer;
  pool: pg.Pool;
  log: (message: string) => void;
}

export function createLocalMoServer(deps: HttpDeps): Server {
  const server = createServer((req, res) => {
    route(req, res, deps).catch((error: unknown) => {
      deps.log(`local MO: ${req.method} ${req.url} failed: ${(error as Error).message}`);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: `Internal error: ${(error as Error).message}` }] });
      else res.destroy();
    });
  });
  // Clients keep connections alive between batches; keep them longer than their idle timers.
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  return server;
}

async function route(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  const method = req.method ?? 'GET';
  if (path === GRAPHQL_PATH || path === `${GRAPHQL_PATH}/`) {
    if (method === 'POST') return graphql(req, res, deps);
    if (method === 'GET' || method === 'HEAD') return send(res, 200, 'text/html; charset=utf-8', graphiqlPage(deps.tokens.required));
    return sendJson(res, 405, { errors: [{ message: 'Use POST for GraphQL, GET for GraphiQL.' }] });
  }
  if (method === 'GET' && path === `${GRAPHQL_PATH}/schema.graphql`) return send(res, 200, 'text/plain; charset=utf-8', localMoSchema().sdl);
  if (method === 'GET' && path.startsWith(GRAPHIQL_ASSET_PREFIX)) {
    const asset = await graphiqlAsset(path.slice(GRAPHIQL_ASSET_PREFIX.length));
    if (asset) return send(res, 200, asset.type, asset.body, { 'cache-control': 'public, max-age=86400' });
  }
  if (method === 'GET' && (path === '/graphql' || path === '/graphql/')) {
    res.writeHead(302, { location: GRAPHQL_PATH }).end();
    return;
  }
  if (method === 'POST' && path === TOKEN_PATH) {
    let form: URLSearchParams;
    try {
      form = new URLSearchParams((await readBody(req, MAX_FORM_BYTES)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return tooLarge(res, error);
      throw error;
    }
    const answer = deps.tokens.token(form, req.headers.authorization);
    return sendJson(res, answer.status, answer.body, { 'cache-control': 'no-store' });
  }
  if (method === 'GET' && path === '/health/live') return sendJson(res, 200, true);
  if (method === 'GET' && path === '/health/ready') {
    try {
      await deps.pool.query('SELECT 1');
      return sendJson(res, 200, { database: true });
    } catch (error) {
      return sendJson(res, 503, { database: false, error: (error as Error).message });
    }
  }
  if (/^\/graphql\/v\d+\/?$/.test(path)) {
    return sendJson(res, 404, { errors: [{ message: `The local MO serves GraphQL v30 only, at ${GRAPHQL_PATH}.` }] });
  }
  sendJson(res, 404, { detail: 'Not Found' });
}

async function graphql(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const refusal = deps.tokens.refusal(req.headers.authorization);
  if (refusal) return sendJson(res, 401, { detail: refusal }, { 'www-authenticate': 'Bearer' });
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge(res, error);
    return sendJson(res, 400, { errors: [{ message: 'The body must be JSON: {"query": …, "variables": …, "operationName": …}' }] });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return sendJson(res, 400, { errors: [{ message: 'The body must be a JSON object with "query".' }] });
  }
  const answer = await deps.executor.run(body);
  sendJson(res, answer.status, answer.body);
}

class BodyTooLargeError extends Error {}

/** The body, refused by its Content-Length before reading, or as soon as it grows past `max`. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const limit = `The request body exceeds ${max >= 1024 * 1024 ? `${max / 1024 / 1024} MiB` : `${max / 1024} KiB`}; send fewer writes per request (moflow.mo.batch_size).`;
  if (Number(req.headers['content-length'] ?? 0) > max) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** 413, and the connection closed: the rest of the body is not read. */
function tooLarge(res: ServerResponse, error: BodyTooLargeError): void {
  sendJson(res, 413, { errors: [{ message: error.message }] }, { connection: 'close' });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json', JSON.stringify(body), headers);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
