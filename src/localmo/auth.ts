// Keycloak's client-credentials flow as OS2MO integrations use it (os2mo-api.md §3): the token endpoint of
// realm "mo" issues short-lived JWTs (HS256 with a per-process key: a restart invalidates every token, as
// an expired one would be), and GraphQL requires `Authorization: Bearer <token>`. Claims mirror Keycloak's
// (azp, exp, realm_access.roles, no aud), so a client cannot tell the difference.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const TOKEN_PATH = '/auth/realms/mo/protocol/openid-connect/token';
/** MO accepts tokens up to 5 s past exp. */
const LEEWAY_SECONDS = 5;

export interface TokenEndpointAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface LocalMoAuth {
  clientId: string;
  clientSecret: string;
}

const b64 = (value: Buffer | string): string => Buffer.from(value).toString('base64url');
/** Equal-time comparison of secrets of any length. */
const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export class TokenIssuer {
  private readonly key = randomBytes(32);

  constructor(
    /** null: no authentication; the endpoint still answers, so clients configured with credentials work. */
    private readonly auth: LocalMoAuth | null,
    private readonly lifetimeSeconds = 300,
    private readonly issuer = 'local-mo',
  ) {}

  get required(): boolean {
    return this.auth !== null;
  }

  /** POST token endpoint: form fields grant_type, client_id, client_secret (or HTTP Basic client auth). */
  token(form: URLSearchParams, authorization: string | undefined): TokenEndpointAnswer {
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) [clientId, clientSecret] = [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' } };
    }
    if (this.auth && !(clientId !== null && clientSecret !== null && sameSecret(clientId, this.auth.clientId) && sameSecret(clientSecret, this.auth.clientSecret))) {
      return { status: 401, body: { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' } };
    }
    const now = Math.floor(Date.now() / 1000);
    const azp = clientId ?? 'anonymous';
    const payload = {
      exp: now + this.lifetimeSeconds,
      iat: now,
      jti: randomUUID(),
      iss: this.issuer,
      typ: 'Bearer',
      azp,
      preferred_username: `service-account-${azp}`,
      realm_access: { roles: ['admin', 'reader', 'writer'] },
    };
    return {
      status: 200,
      body: {
        access_token: this.sign(payload),
        expires_in: this.lifetimeSeconds,
        refresh_expires_in: 0,
        token_type: 'Bearer',
        'not-before-policy': 0,
        scope: 'profile email',
      },
    };
  }

  /** null when the Authorization header carries a valid, unexpired token of ours; else why not. */
  refusal(authorization: string | undefined): string | null {
    if (!this.auth) return null;
    if (!authorization?.startsWith('Bearer ')) return 'Not authenticated: send Authorization: Bearer <token>';
    const parts = authorization.slice(7).trim().split('.');
    if (parts.length !== 3) return 'Invalid token';
    const [header, payload, signature] = parts as [string, string, string];
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'Invalid token';
    let claims: { exp?: unknown; azp?: unknown };
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
      if (head.alg !== 'HS256') return 'Invalid token';
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return 'Invalid token';
    }
    if (typeof claims.exp !== 'number' || claims.exp + LEEWAY_SECONDS < Date.now() / 1000) return 'Token expired';
    if (typeof claims.azp !== 'string') return 'Invalid token: no azp';
    return null;
  }

  private sign(payload: object): string {
    const unsigned = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'local-mo' }))}.${b64(JSON.stringify(payload))}`;
    return `${unsigned}.${b64(createHmac('sha256', this.key).update(unsigned).digest())}`;
  }
}
