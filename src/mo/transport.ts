// How every GraphQL document reaches OS2MO: POST {baseUrl}/graphql/v30 with {query, variables,
// operationName}, a bearer token when MO needs one, a deadline per attempt, and retries with backoff for
// failures another attempt can fix. MO answers HTTP 200 with `errors[]`; those are never retried.
//
// Reads are retried on any transient failure. A mutation is retried only when MO cannot have applied it:
// the connection was never made, the token could not be had, or MO/the proxy answered 500/502/503/429
// (MO rolls the request's transaction back on error). After a timeout or a connection dropped mid-request
// the mutation may have been committed, so that error goes to the caller (a Temporal activity retry
// then re-reads MO before writing again).
import type { RetryPolicy } from '../util/retry.js';
import { RetryRounds, withRetry } from '../util/retry.js';
import { createTokenProvider, type ClientCredentials, type TokenProvider } from './auth.js';
import { MoError } from './errors.js';
import { parseJson, postForText, type HttpAnswer } from './http.js';

/** A GraphQL document the client sends; `text` is fixed, values travel only as variables. */
export interface MoDocument {
  operationName: string;
  text: string;
  mutation: boolean;
}

export type MoRetryOptions = Partial<Pick<RetryPolicy, 'retries' | 'minTimeoutMs' | 'maxTimeoutMs' | 'onRetry'>>;

/** 6 retries, 1 s doubling to 30 s (about 1.5 minutes): rides out a MO restart. */
export const DEFAULT_MO_RETRY = { retries: 6, minTimeoutMs: 1000, maxTimeoutMs: 30_000 } as const;

export interface MoTransportOptions {
  /** MO base URL without /graphql. */
  baseUrl: string;
  auth: ClientCredentials | null;
  timeoutMs: number;
  retry?: MoRetryOptions;
  /** Share one token provider between transports (tests use their own clock). */
  tokenProvider?: TokenProvider;
}

export interface MoTransport {
  readonly endpoint: string;
  readonly tokens: TokenProvider | null;
  /** Sends a document; resolves to `data`, rejects with a MoError. */
  request<T>(document: MoDocument, variables: Record<string, unknown>): Promise<T>;
}

/** Network failures that happen before a request is sent: safe to retry even for a mutation. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether another attempt may help; `sent` is false when the failure happened before MO saw the request. */
export function isRetryable(error: unknown, mutation: boolean, sent = true): boolean {
  if (!(error instanceof MoError)) return false;
  switch (error.kind) {
    case 'http': {
      const status = error.status ?? 0;
      if (!sent) return status === 429 || status >= 500;
      return status === 429 || status === 500 || status === 502 || status === 503 || (!mutation && status >= 500);
    }
    case 'network':
      return !mutation || !sent || NOT_SENT.has(error.code ?? '');
    case 'timeout':
      return !mutation || !sent;
    default:
      return false;
  }
}

interface GraphqlError {
  message?: unknown;
  path?: unknown;
  extensions?: { error_context?: { error_key?: unknown; status?: unknown; description?: unknown } };
}

const NO_POLICY = 'No policy approved the access';

/** MO's answer (`errors[]` or an HTTP status) as a MoError; the error carrying error_context wins. */
export function errorFromAnswer(answer: HttpAnswer, body: { errors?: unknown } | null, operationName: string): MoError {
  const errors = Array.isArray(body?.errors) ? (body.errors as GraphqlError[]) : [];
  if (errors.length === 0) {
    const snippet = answer.text.slice(0, 200).replace(/\s+/g, ' ');
    return new MoError({ kind: 'http', operationName, status: answer.status, description: `HTTP ${answer.status}${snippet ? `: ${snippet}` : ''}` });
  }
  const first = errors.find((e) => e.extensions?.error_context) ?? (errors[0] as GraphqlError);
  const context = first.extensions?.error_context;
  const path = Array.isArray(first.path) ? (first.path as (string | number)[]) : null;
  // OS2MO's RBAC answers a missing role with this bare text; say what it means and what to change.
  if (!context && first.message === NO_POLICY) {
    return new MoError({
      kind: 'auth',
      operationName,
      status: answer.status === 200 ? null : answer.status,
      description: `OS2MO refused access (${NO_POLICY}): the Keycloak client's token lacks the role this needs; give the client read and write rights in Keycloak (the admin role, or the read_*, create_*, update_* and terminate_* roles of every kind moflow writes)`,
      path,
      errorCount: errors.length,
    });
  }
  return new MoError({
    kind: context ? 'mo' : 'graphql',
    operationName,
    errorKey: typeof context?.error_key === 'string' ? context.error_key : null,
    status: typeof context?.status === 'number' ? context.status : answer.status === 200 ? null : answer.status,
    description: typeof context?.description === 'string' ? context.description : typeof first.message === 'string' ? first.message : 'unknown error',
    path,
    errorCount: errors.length,
  });
}

export function createTransport(options: MoTransportOptions): MoTransport {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/graphql/v30`;
  const tokens = options.tokenProvider ?? (options.auth ? createTokenProvider(options.auth, { timeoutMs: options.timeoutMs }) : null);
  const retry = { ...DEFAULT_MO_RETRY, ...options.retry };
  // The reads run side by side: when MO is down they fail together, and one line per round says so.
  const rounds = new RetryRounds(retry.maxTimeoutMs * 2);

  async function post(body: string, operationName: string, token: string | null): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    return postForText(endpoint, { headers, body }, options.timeoutMs, operationName);
  }

  return {
    endpoint,
    tokens,
    async request<T>(document: MoDocument, variables: Record<string, unknown>): Promise<T> {
      const body = JSON.stringify({ query: document.text, variables, operationName: document.operationName });
      // Errors raised before MO saw this attempt (no token, connection refused) are safe to retry.
      const unsent = new WeakSet<object>();
      const withToken = async (): Promise<string | null> => {
        if (!tokens) return null;
        try {
          return await tokens.token();
        } catch (error) {
          if (error instanceof MoError) unsent.add(error);
          throw error;
        }
      };
      const attempt = async (): Promise<T> => {
        let token = await withToken();
        let answer = await post(body, document.operationName, token);
        if (answer.status === 401 && tokens && token !== null) {
          // The token expired early or Keycloak rotated keys: one fresh token, one more try.
          tokens.invalidate(token);
          token = await withToken();
          answer = await post(body, document.operationName, token);
          if (answer.status === 401) {
            throw new MoError({ kind: 'auth', operationName: document.operationName, status: 401, description: 'MO refused a freshly fetched token (HTTP 401)' });
          }
        }
        const parsed = parseJson(answer.text) as { data?: unknown; errors?: unknown } | null;
        if (answer.status !== 200 || parsed === null || (Array.isArray(parsed.errors) && parsed.errors.length > 0) || parsed.data == null) {
          throw errorFromAnswer(answer, parsed, document.operationName);
        }
        return parsed.data as T;
      };
      return withRetry(attempt, {
        ...retry,
        what: `OS2MO ${document.operationName}`,
        rounds,
        isTransient: (error) => isRetryable(error, document.mutation, !(error instanceof Object && unsent.has(error))),
      });
    },
  };
}
