// What went wrong reading AD, in words an operator can act on. Messages name the server, the bind user
// and the settings to check, never the password (and AD never puts a CPR in an error).
import { isTransientNetworkError } from '../util/retry.js';

export class AdReadError extends Error {
  constructor(
    message: string,
    /** True when trying again (later, or on another server) may succeed. */
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AdReadError';
  }
}

export function isTransientAdError(error: unknown): boolean {
  return error instanceof AdReadError && error.transient;
}

interface Context {
  url: string;
  bindDn: string;
  searchBase: string;
}

/** AD's sub-codes for a refused bind ("… AcceptSecurityContext error, data 52e, …"). */
const AD_BIND_DATA: Record<string, string> = {
  '525': 'the user does not exist',
  '52e': 'the password is wrong',
  '530': 'the user may not log on at this time',
  '531': 'the user may not log on from this computer',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '701': 'the account has expired',
  '773': 'the user must change the password',
  '775': 'the account is locked out',
};

/** Errors ldapts raises without a code when a connection dies or an operation times out. */
const TRANSIENT_MESSAGES = /Connection timeout|Operation timed out|Connection closed before message response|Socket connection not established|Socket error|ECONNRESET|EPIPE|ETIMEDOUT/;

/** TLS verification failures (Node's `code`): no retry can fix them, the CA or host name must. */
const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

export function describeAdError(error: unknown, { url, bindDn, searchBase }: Context): AdReadError {
  if (error instanceof AdReadError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const fail = (text: string) => new AdReadError(text, false, { cause: error });

  if (code === 49) {
    const data = /data ([0-9a-f]{3})/i.exec(message)?.[1]?.toLowerCase();
    const why = data && AD_BIND_DATA[data] ? ` (${AD_BIND_DATA[data]})` : '';
    return fail(
      `${url} refused the bind of "${bindDn}": invalid credentials${why}. Check integrations.ad system_user and password: ` +
        'a simple LDAP bind takes "DOMAIN\\user", "user@domain" or the user\'s DN.',
    );
  }
  if (code === 8 || code === 13) {
    return fail(`${url} only accepts "${bindDn}" over an encrypted connection: use an ldaps:// URL (integrations.ad ldap_url).`);
  }
  if (code === 32) return fail(`${url}: the search base "${searchBase}" does not exist. Check integrations.ad search_base.`);
  if (code === 50) return fail(`${url}: "${bindDn}" may not read users under "${searchBase}". Grant it read access, or check search_base.`);
  if (code === 51 || code === 52) return new AdReadError(`${url} is busy or unavailable (LDAP ${code}): ${message}`, true, { cause: error });
  if (typeof code === 'string' && CERT_CODES.test(code)) {
    return fail(
      `${url}: the server's certificate is not trusted (${code}: ${message}). Give the CA that signed it ` +
        '(integrations.ad ca_file), and connect by the name the certificate is issued to.',
    );
  }
  if (isTransientNetworkError(error) || TRANSIENT_MESSAGES.test(message)) {
    return new AdReadError(`${url}: ${message}`, true, { cause: error });
  }
  return fail(`${url}: ${message}`);
}
