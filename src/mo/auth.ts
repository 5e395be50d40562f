// Keycloak client-credentials tokens for OS2MO (os2mo-api.md §3). One token is shared by every request:
// cached until shortly before it expires, fetched once however many requests wait for it, and dropped
// when MO refuses it. Tokens and secrets never appear in errors or logs.
import { MoError } from './errors.js';
import { parseJson, postForText } from './http.js';

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface TokenProviderOptions {
  timeoutMs: number;
  /** Clock in ms, injectable so tests can move time. */
  now?: () => number;
}

export interface TokenProvider {
  /** A valid access token, from the cache or freshly fetched. */
  token(): Promise<string>;
  /** MO refused this token (401): forget it unless a newer one has replaced it already. */
  invalidate(token: string): void;
  /** Number of token requests sent, for tests and diagnostics. */
  readonly fetches: number;
}

/** Refresh this long before expiry: 30 s, or a tenth of the lifetime for short-lived tokens. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(30_000, lifetimeMs / 10);
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

export function createTokenProvider(credentials: ClientCredentials, options: TokenProviderOptions): TokenProvider {
  const now = options.now ?? Date.now;
  let cached: CachedToken | null = null;
  let inFlight: Promise<CachedToken> | null = null;
  let fetches = 0;

  async function fetchToken(): Promise<CachedToken> {
    fetches++;
    const requestedAt = now();
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    const answer = await postForText(
      credentials.tokenUrl,
      { headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: body.toString() },
      options.timeoutMs,
      'token request',
    );
    if (answer.status !== 200) {
      // Keycloak explains refusals as {error, error_description}; neither carries the secret.
      const explained = parseJson(answer.text) as { error?: unknown; error_description?: unknown } | null;
      const reason = [explained?.error, explained?.error_description].filter((x) => typeof x === 'string').join(': ');
      const refused = answer.status === 400 || answer.status === 401 || answer.status === 403;
      throw new MoError({
        kind: refused ? 'auth' : 'http',
        operationName: 'token request',
        status: answer.status,
        description: refused
          ? `Keycloak refused the client credentials of client '${credentials.clientId}' at ${credentials.tokenUrl}${reason ? ` (${reason})` : ''}`
          : `the token endpoint ${credentials.tokenUrl} answered HTTP ${answer.status}${reason ? ` (${reason})` : ''}`,
      });
    }
    const json = parseJson(answer.text) as { access_token?: unknown; expires_in?: unknown } | null;
    if (typeof json?.access_token !== 'string' || json.access_token === '') {
      throw new MoError({ kind: 'auth', operationName: 'token request', description: `the token endpoint ${credentials.tokenUrl} gave no access_token` });
    }
    // Keycloak always sends expires_in; without it, assume its default lifetime of 5 minutes.
    const lifetimeMs = (typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 300) * 1000;
    return { value: json.access_token, refreshAt: requestedAt + lifetimeMs - refreshMarginMs(lifetimeMs) };
  }

  return {
    get fetches() {
      return fetches;
    },
    async token() {
      if (cached && now() < cached.refreshAt) return cached.value;
      if (!inFlight) {
        inFlight = fetchToken().then(
          (token) => {
            cached = token;
            inFlight = null;
            return token;
          },
          (error: unknown) => {
            inFlight = null;
            throw error;
          },
        );
      }
      return (await inFlight).value;
    },
    invalidate(token) {
      if (cached?.value === token) cached = null;
    },
  };
}
