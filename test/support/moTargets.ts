// The MOs a behaviour is proven against: moflow's local MO and the real OS2MO 66.1.2. A suite is written
// once and run against each (`for (const kind of moKinds()) describe(…, () => { const mo = useMo(kind) … })`),
// so the local MO cannot drift from OS2MO unnoticed. MOFLOW_TEST_MO=local|os2mo|both picks them (default
// both). Outside CI a machine that cannot run OS2MO skips its suites with the reason; CI fails instead.
import { after, before } from 'node:test';
import { createMoClient, type MoClient, type MoClientOptions } from '../../src/mo/index.js';
import { postGraphQL, useLocalMo, type GraphQLAnswer } from './localmo.js';
import { os2moUnavailable, startOs2mo, type Os2moInstance, type Os2moState } from './os2mo/index.js';
import { postgresSkip } from './postgres.js';

export type MoKind = 'local' | 'os2mo';

export interface MoUnderTest {
  readonly kind: MoKind;
  /** mora.base */
  readonly url: string;
  readonly graphqlUrl: string;
  /** An authenticated request; never throws on GraphQL errors. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>>;
  /** Like gql, but fails on any error and returns data. */
  ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Options for moflow's client, through the production auth path where the MO has one. */
  clientOptions(): MoClientOptions;
  /** moflow's client for this MO (one per call). */
  client(): MoClient;
  /** Settings that point moflow's CLI at this MO (mora.base and, for OS2MO, Keycloak credentials). */
  settings(): Record<string, string>;
  /** The real OS2MO behind it (only for kind 'os2mo'). */
  readonly os2mo: Os2moInstance | null;
}

export interface UseMoOptions {
  /** OS2MO's starting state: OS2MO-Init's facets and classes (default) or the root organisation only. */
  state?: Os2moState;
  /** DAR stand-in for the MO's own DAR look-ups, read when the MO starts. */
  darBaseUrl?: () => string | null;
}

export function moKinds(): MoKind[] {
  const wanted = process.env.MOFLOW_TEST_MO ?? 'both';
  if (wanted === 'local' || wanted === 'os2mo') return [wanted];
  if (wanted !== 'both') throw new Error(`MOFLOW_TEST_MO must be local, os2mo or both, not ${wanted}`);
  return ['local', 'os2mo'];
}

/** A skip reason for a describe() of this kind, or false. In CI a missing OS2MO fails instead. */
export async function moSkip(kind: MoKind): Promise<string | false> {
  const pg = await postgresSkip();
  if (pg || kind === 'local') return pg;
  const reason = os2moUnavailable();
  if (reason && process.env.CI) throw new Error(`CI needs the real OS2MO: ${reason}`);
  return reason ? `real OS2MO unavailable: ${reason}` : false;
}

/** An MO of this kind for the enclosing describe: started before its tests, stopped after. */
export function useMo(kind: MoKind, options: UseMoOptions = {}): MoUnderTest {
  return kind === 'local' ? wrapLocal(options) : useOs2mo(options);
}

/** Adds the request helpers to a view whose getters are only valid once the MO runs (so no spreading). */
function withGql(base: Omit<MoUnderTest, 'gql' | 'ok' | 'client'>, headers: () => Promise<Record<string, string>>): MoUnderTest {
  const target = base as MoUnderTest;
  return Object.assign(target, {
    gql: async <T>(query: string, variables?: Record<string, unknown>) => postGraphQL<T>(target.graphqlUrl, query, variables, await headers()),
    async ok<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const answer = await target.gql<T>(query, variables);
      if (answer.errors.length) throw new Error(`GraphQL errors from the ${target.kind} MO: ${JSON.stringify(answer.errors)}`);
      return answer.data as T;
    },
    client: () => createMoClient(target.clientOptions()),
  });
}

function wrapLocal(options: UseMoOptions): MoUnderTest {
  const local = useLocalMo(() => (options.darBaseUrl ? { darBaseUrl: options.darBaseUrl() } : {}));
  const view = {
    kind: 'local' as const,
    get url() {
      return local.mo.url;
    },
    get graphqlUrl() {
      return local.mo.graphqlUrl;
    },
    clientOptions: (): MoClientOptions => ({ baseUrl: local.mo.url, auth: null, timeoutMs: 60_000 }),
    settings: () => ({ 'mora.base': local.mo.url }),
    os2mo: null,
  };
  return withGql(view, async () => ({}));
}

/** A real OS2MO for the enclosing describe, on its own copy of the template database. */
export function useOs2mo(options: UseMoOptions = {}): MoUnderTest {
  let instance: Os2moInstance | undefined;
  let token: { value: string; until: number } | null = null;
  before(async () => {
    instance = await startOs2mo({ state: options.state ?? 'bootstrapped', darBaseUrl: options.darBaseUrl?.() ?? null, log: (line) => console.log(`# ${line}`) });
  });
  after(async () => {
    await instance?.stop();
  });
  const ready = (): Os2moInstance => {
    if (!instance) throw new Error('the real OS2MO runs only inside tests (did its start fail?)');
    return instance;
  };
  // Raw requests authenticate like any integration: a client-credentials token, reused until near expiry.
  const headers = async () => {
    if (!token || token.until < Date.now()) {
      const auth = ready().clientOptions().auth!;
      const response = await fetch(auth.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret }),
      });
      const body = (await response.json()) as { access_token: string; expires_in: number };
      token = { value: body.access_token, until: Date.now() + (body.expires_in - 30) * 1000 };
    }
    return { authorization: `Bearer ${token.value}` };
  };
  const view = {
    kind: 'os2mo' as const,
    get url() {
      return ready().url;
    },
    get graphqlUrl() {
      return ready().graphqlUrl;
    },
    clientOptions: () => ready().clientOptions(),
    settings: () => {
      const mo = ready();
      const auth = mo.clientOptions().auth!;
      return { 'mora.base': mo.url, 'crontab.AUTH_SERVER': mo.authServer, 'crontab.CLIENT_ID': auth.clientId, 'crontab.CLIENT_SECRET': auth.clientSecret };
    },
    get os2mo() {
      return ready();
    },
  };
  return withGql(view, headers);
}
