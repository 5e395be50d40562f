// A local MO per test file, on a fresh PostgreSQL database, spoken to over HTTP with raw GraphQL documents
// in OS2MO's names (as any client would).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startLocalMo, type LocalMo, type LocalMoOptions } from '../../src/localmo/service.js';
import { createTestDatabase, dropTestDatabase } from './postgres.js';

export interface GraphQLAnswer<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors: { message: string; path?: (string | number)[]; extensions?: { error_context?: Record<string, any>; code?: string } }[];
}

export interface LocalMoTestEnv {
  readonly mo: LocalMo;
  readonly databaseUrl: string;
  /** POSTs a document; returns status, data and errors (never throws on GraphQL errors). */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLAnswer<T>>;
  /** Like gql, but fails on any error and returns data. */
  ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export async function postGraphQL<T>(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T | null; errors?: GraphQLAnswer['errors'] };
  return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
}

type TestOptions = Partial<Omit<LocalMoOptions, 'databaseUrl' | 'dataDir'>>;

/** A local MO for the enclosing `describe`; options may be a function, read when the service starts. */
export function useLocalMo(options: TestOptions | (() => TestOptions) = {}): LocalMoTestEnv {
  let mo: LocalMo | undefined;
  let databaseUrl: string | undefined;
  let dataDir: string | undefined;
  before(async () => {
    databaseUrl = await createTestDatabase('moflow_test_localmo');
    dataDir = mkdtempSync(join(tmpdir(), 'moflow-localmo-test-'));
    mo = await startLocalMo({ databaseUrl, dataDir, port: 0, ...(typeof options === 'function' ? options() : options) });
  });
  after(async () => {
    await mo?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const ready = () => {
    if (!mo || !databaseUrl) throw new Error('the local MO runs only inside tests');
    return { mo, databaseUrl };
  };
  const env: LocalMoTestEnv = {
    get mo() {
      return ready().mo;
    },
    get databaseUrl() {
      return ready().databaseUrl;
    },
    gql: (query, variables, headers) => postGraphQL(ready().mo.graphqlUrl, query, variables, headers),
    async ok(query, variables) {
      const answer = await env.gql(query, variables);
      if (answer.errors.length) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
      return answer.data as never;
    },
  };
  return env;
}

/** The error_key of the first error (MO's business errors), or undefined. */
export function errorKey(answer: GraphQLAnswer): string | undefined {
  return answer.errors[0]?.extensions?.error_context?.error_key as string | undefined;
}
