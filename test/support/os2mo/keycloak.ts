// A Keycloak stand-in for OS2MO as production runs it: realm "mo" publishes its RS256 signing key as a
// JWKS (`/auth/realms/mo/protocol/openid-connect/certs`, where OS2MO fetches it) and issues
// client-credentials tokens at `/auth/realms/mo/protocol/openid-connect/token` (where moflow's Keycloak
// client asks). Tokens carry what OS2MO reads: azp, a uuid and realm_access.roles.
import { createHash, generateKeyPairSync, randomUUID, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const REALM_PATH = '/auth/realms/mo/protocol/openid-connect';

/** OS2MO's fine-grained permissions (mora/graphapi/permissions.py): every verb on every collection. */
const COLLECTIONS = [
  'accesslog', 'actor', 'address', 'association', 'class', 'configuration', 'employee', 'engagement', 'event', 'event_listener',
  'event_namespace', 'facet', 'file', 'health', 'itsystem', 'ituser', 'kle', 'leave', 'manager', 'org', 'org_unit', 'owner',
  'registration', 'related_unit', 'rolebinding', 'version',
] as const;
const VERBS = ['read', 'create', 'update', 'terminate', 'delete', 'refresh'] as const;

/** The roles of an integration with full rights, as OS2MO's own legacy auth grants them. */
export const WRITER_ROLES: readonly string[] = ['admin', 'service_api', ...VERBS.flatMap((verb) => COLLECTIONS.map((c) => `${verb}_${c}`))];
/** Read rights only: OS2MO refuses every mutation. */
export const READER_ROLES: readonly string[] = ['reader', ...COLLECTIONS.map((c) => `read_${c}`)];

export interface TokenClient {
  secret: string;
  roles: readonly string[];
}

const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
const b64 = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

export class TokenService {
  /** Tokens issued (for tests of token caching). */
  issued = 0;
  private readonly kid = randomUUID();
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly uuids = new Map<string, string>();

  private constructor(
    private readonly server: Server,
    private readonly clients: Record<string, TokenClient>,
    private readonly lifetimeSeconds: number,
  ) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
  }

  static async start(clients: Record<string, TokenClient>, options: { port?: number; lifetimeSeconds?: number } = {}): Promise<TokenService> {
    let self: TokenService | null = null;
    const server = createServer((req, res) => void self!.handle(req, res));
    self = new TokenService(server, clients, options.lifetimeSeconds ?? 300);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    return self;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Keycloak's base URL, as moflow's `auth_server` setting takes it. */
  get authServer(): string {
    return `http://127.0.0.1:${this.port}/auth`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://keycloak').pathname;
    if (req.method === 'GET' && path === `${REALM_PATH}/certs`) {
      const jwk = this.publicKey.export({ format: 'jwk' });
      return send(res, 200, { keys: [{ ...jwk, kid: this.kid, alg: 'RS256', use: 'sig' }] });
    }
    if (req.method === 'POST' && path === `${REALM_PATH}/token`) {
      let body = '';
      for await (const chunk of req) body += chunk;
      return send(res, ...this.token(new URLSearchParams(body)));
    }
    send(res, 404, { error: 'not found' });
  }

  private token(form: URLSearchParams): [number, Record<string, unknown>] {
    if (form.get('grant_type') !== 'client_credentials') return [400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' }];
    const clientId = form.get('client_id') ?? '';
    const client = this.clients[clientId];
    if (!client || !sameSecret(form.get('client_secret') ?? '', client.secret)) {
      return [401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' }];
    }
    const now = Math.floor(Date.now() / 1000);
    let uuid = this.uuids.get(clientId);
    if (!uuid) this.uuids.set(clientId, (uuid = randomUUID()));
    const claims = {
      exp: now + this.lifetimeSeconds,
      iat: now,
      jti: randomUUID(),
      iss: `http://127.0.0.1:${this.port}/auth/realms/mo`,
      typ: 'Bearer',
      azp: clientId,
      uuid,
      preferred_username: `service-account-${clientId}`,
      realm_access: { roles: [...client.roles] },
    };
    const signed = `${b64(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }))}.${b64(JSON.stringify(claims))}`;
    this.issued += 1;
    return [200, { access_token: `${signed}.${b64(sign('sha256', Buffer.from(signed), this.privateKey))}`, expires_in: this.lifetimeSeconds, token_type: 'Bearer', 'not-before-policy': 0 }];
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
