// A tiny HTTP server standing in for Keycloak's token endpoint and MO's /graphql/v30, for the client's
// transport, auth, paging and batching tests (the semantic tests run against the real local MO). Each test
// sets how it answers; answers can be canned JSON or computed by executing the document with graphql-js
// against OS2MO's real schema, so a document the schema refuses fails here too.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import { freePort } from '../../src/util/ports.js';

export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
  headers: IncomingHttpHeaders;
}

export interface TokenRequest {
  form: URLSearchParams;
}

/** What to answer: JSON with a status, a raw text body, or 'hang' (never answer), or 'drop' (close the socket). */
export type Answer = { status?: number; json: unknown } | { status: number; text: string } | 'hang' | 'drop';

export type GraphqlHandler = (request: GraphqlRequest, n: number) => Answer | Promise<Answer>;
export type TokenHandler = (request: TokenRequest, n: number) => Answer | Promise<Answer>;

let schema: GraphQLSchema | null = null;

/** OS2MO's schema (v29 SDL = v30), parsed once. */
export function moSchema(): GraphQLSchema {
  schema ??= buildSchema(readFileSync(new URL('../../src/mo/schema/os2mo.graphql', import.meta.url), 'utf8'));
  return schema;
}

/** Executes the request against the real schema with `root` as resolvers (graphql-js default resolvers). */
export async function execute(request: GraphqlRequest, root: Record<string, unknown>): Promise<Answer> {
  const result = await graphql({
    schema: moSchema(),
    source: request.query,
    variableValues: request.variables,
    operationName: request.operationName,
    rootValue: root,
  });
  return { json: JSON.parse(JSON.stringify(result)) };
}

export class CannedMo {
  readonly graphqlRequests: GraphqlRequest[] = [];
  readonly tokenRequests: TokenRequest[] = [];
  graphql: GraphqlHandler = () => ({ json: { data: null, errors: [{ message: 'no handler' }] } });
  token: TokenHandler = () => ({ json: { access_token: 'token-1', expires_in: 300 } });
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get tokenUrl(): string {
    return `${this.baseUrl}/auth/realms/mo/protocol/openid-connect/token`;
  }

  /** Listens on `port` (default a free one). */
  static async start(port?: number): Promise<CannedMo> {
    port ??= await freePort();
    let self: CannedMo | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void self?.route(req.url ?? '', req.headers, Buffer.concat(chunks).toString('utf8'), res);
      });
    });
    server.on('connection', (socket) => {
      self?.sockets.add(socket);
      socket.on('close', () => self?.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    self = new CannedMo(server, port);
    return self;
  }

  /** Forget recorded requests and restore the default handlers. */
  reset(): void {
    this.graphqlRequests.length = 0;
    this.tokenRequests.length = 0;
    this.graphql = () => ({ json: { data: null, errors: [{ message: 'no handler' }] } });
    this.token = () => ({ json: { access_token: 'token-1', expires_in: 300 } });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(url: string, headers: IncomingHttpHeaders, body: string, res: ServerResponse): Promise<void> {
    let answer: Answer;
    try {
      if (url === '/graphql/v30') {
        const parsed = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
        const request = { query: parsed.query, variables: parsed.variables ?? {}, operationName: parsed.operationName ?? null, headers };
        this.graphqlRequests.push(request);
        answer = await this.graphql(request, this.graphqlRequests.length);
      } else if (url === '/auth/realms/mo/protocol/openid-connect/token') {
        const request = { form: new URLSearchParams(body) };
        this.tokenRequests.push(request);
        answer = await this.token(request, this.tokenRequests.length);
      } else {
        answer = { status: 404, text: 'not found' };
      }
    } catch (error) {
      answer = { status: 500, text: String(error) };
    }
    if (answer === 'hang') return;
    if (answer === 'drop') {
      res.socket?.destroy();
      return;
    }
    const text = 'json' in answer ? JSON.stringify(answer.json) : answer.text;
    res.writeHead(answer.status ?? 200, { 'content-type': 'json' in answer ? 'application/json' : 'text/plain' });
    res.end(text);
  }
}

/** A MO business error as OS2MO sends it: HTTP 200, errors[].extensions.error_context. */
export function moErrorAnswer(errorKey: string, status: number, description: string, path: (string | number)[] | null = null): Answer {
  return {
    json: {
      data: null,
      errors: [{ message: description, path, extensions: { error_context: { error: true, error_key: errorKey, status, description } } }],
    },
  };
}
