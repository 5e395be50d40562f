// TEMPORARY stand-in for test/support/moTargets.ts (the lead's harness, not yet committed): the same API
// (moKinds, useMo, MoUnderTest.gql/ok) over the local MO of each test file and an already running OS2MO
// 66.1.2 (MOFLOW_CONTRACT_OS2MO_URL, default http://127.0.0.1:18098, legacy session header). The contract
// switches to moTargets.ts by changing its import once that lands.
import { postGraphQL, useLocalMo, type GraphQLAnswer } from '../../support/localmo.js';
import { postgresSkip } from '../../support/postgres.js';

export type MoKind = 'local' | 'os2mo';

export interface MoUnderTest {
  readonly kind: MoKind;
  readonly url: string;
  readonly graphqlUrl: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>>;
  ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

const OS2MO_URL = process.env.MOFLOW_CONTRACT_OS2MO_URL ?? 'http://127.0.0.1:18098';
const OS2MO_SESSION = process.env.MOFLOW_CONTRACT_OS2MO_SESSION ?? '11111111-1111-1111-1111-111111111111';

export function moKinds(): MoKind[] {
  const wanted = process.env.MOFLOW_TEST_MO ?? 'both';
  if (wanted === 'local' || wanted === 'os2mo') return [wanted];
  if (wanted !== 'both') throw new Error(`MOFLOW_TEST_MO must be local, os2mo or both, not ${wanted}`);
  return ['local', 'os2mo'];
}

export async function moSkip(kind: MoKind): Promise<string | false> {
  const pg = await postgresSkip();
  if (pg || kind === 'local') return pg;
  try {
    const response = await fetch(`${OS2MO_URL}/health/live`, { signal: AbortSignal.timeout(5_000) });
    if (response.status < 300) return false;
    return `OS2MO at ${OS2MO_URL} answers ${response.status} on /health/live`;
  } catch (error) {
    const reason = `no OS2MO at ${OS2MO_URL} (${(error as Error).message}); start one or set MOFLOW_CONTRACT_OS2MO_URL`;
    if (process.env.CI) throw new Error(`CI needs the real OS2MO: ${reason}`);
    return reason;
  }
}

function withOk(target: Omit<MoUnderTest, 'ok'>): MoUnderTest {
  return Object.assign(target, {
    async ok<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const answer = await target.gql<T>(query, variables);
      if (answer.errors.length) throw new Error(`GraphQL errors from the ${target.kind} MO: ${JSON.stringify(answer.errors)}`);
      return answer.data as T;
    },
  });
}

export function useMo(kind: MoKind): MoUnderTest {
  if (kind === 'os2mo') {
    return withOk({
      kind,
      url: OS2MO_URL,
      graphqlUrl: `${OS2MO_URL}/graphql/v30`,
      gql: (query, variables) => postGraphQL(`${OS2MO_URL}/graphql/v30`, query, variables, { session: OS2MO_SESSION }),
    });
  }
  const local = useLocalMo();
  return withOk({
    kind,
    get url() {
      return local.mo.url;
    },
    get graphqlUrl() {
      return local.mo.graphqlUrl;
    },
    gql: (query, variables) => local.gql(query, variables),
  });
}
