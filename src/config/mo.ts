// Typed views of the OS2MO settings: how the client reaches MO, and how the local MO service runs.
import { darKeys, localMoKeys, moKeys } from './keys.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_REQUESTS_IN_FLIGHT } from '../mo/writer.js';
import { ConfigError, type Settings } from './load.js';

export interface MoClientConfig {
  /** MO base URL without a trailing slash; GraphQL is at `${baseUrl}/graphql/v30`. */
  baseUrl: string;
  /** Keycloak client credentials; null when MO needs no token (the local MO without auth). */
  auth: { tokenUrl: string; clientId: string; clientSecret: string } | null;
  timeoutMs: number;
  /** Runs of one create/update as OS2MO's bulk mutations (default false: aliased single mutations). */
  bulkMutations?: boolean;
  /** Writes per request (default 200). */
  batchSize?: number;
  /** Write requests in flight at once (default 4). */
  requestsInFlight?: number;
}

export function moClientConfig(settings: Settings): MoClientConfig {
  const baseUrl = settings.require(moKeys.base, 'talking to OS2MO').replace(/\/+$/, '');
  const clientId = settings.get(moKeys.clientId);
  const clientSecret = settings.get(moKeys.clientSecret);
  const authServer = settings.get(moKeys.authServer);
  let auth: MoClientConfig['auth'] = null;
  if (clientId !== undefined || clientSecret !== undefined || authServer !== undefined) {
    const purpose = 'OS2MO authentication (Keycloak client credentials)';
    const realm = settings.get(moKeys.authRealm) ?? 'mo';
    const server = settings.require(moKeys.authServer, purpose).replace(/\/+$/, '');
    auth = {
      tokenUrl: `${server}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`,
      clientId: settings.require(moKeys.clientId, purpose),
      clientSecret: settings.require(moKeys.clientSecret, purpose),
    };
  }
  return {
    baseUrl,
    auth,
    timeoutMs: (settings.get(moKeys.timeoutSeconds) ?? 120) * 1000,
    bulkMutations: settings.get(moKeys.bulkMutations) ?? false,
    batchSize: settings.get(moKeys.batchSize) ?? DEFAULT_BATCH_SIZE,
    requestsInFlight: settings.get(moKeys.requestsInFlight) ?? DEFAULT_REQUESTS_IN_FLIGHT,
  };
}

export interface LocalMoConfig {
  /** null: start an embedded PostgreSQL under the data folder. */
  databaseUrl: string | null;
  port: number;
  /** Client credentials the local MO accepts; null: no authentication. */
  auth: { clientId: string; clientSecret: string } | null;
  darBaseUrl: string | null;
}

export function localMoConfig(settings: Settings): LocalMoConfig {
  const clientId = settings.get(localMoKeys.clientId);
  const clientSecret = settings.get(localMoKeys.clientSecret);
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    throw new ConfigError([
      `${localMoKeys.clientId.key} and ${localMoKeys.clientSecret.key} go together: set both to require tokens, or neither.`,
    ]);
  }
  return {
    databaseUrl: settings.get(localMoKeys.databaseUrl) ?? null,
    port: settings.get(localMoKeys.port) ?? 5000,
    auth: clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : null,
    darBaseUrl: settings.get(darKeys.baseUrl) ?? null,
  };
}
