// Reading Active Directory for the OPUS import: every user under the search base in ONE paged search
// (RFC 2696, so AD's MaxPageSize of 1000 never truncates the result), once per run, indexed by CPR. DIPEX
// ran PowerShell's Get-ADUser 31 times (CPRs 01* … 31*) and then once per person it missed; one LDAP read
// of a few attributes is both faster and kinder to the domain controllers.
//
// A failure mid-read restarts the whole read on a fresh connection (a paging cookie is only valid on the
// connection that issued it), trying the next server when several are configured. Transient failures
// (connection refused or reset, timeouts, busy/unavailable) are retried with backoff; anything else —
// credentials, certificate, search base — fails at once with an AdReadError saying what to check.
import { Client, type Entry } from 'ldapts';
import { withRetry, type RetryPolicy } from '../util/retry.js';
import { AdDirectory, AdDirectoryBuilder, normaliseCpr, type AdUser } from './directory.js';
import type { Discriminator } from './discriminator.js';
import { describeAdError, isTransientAdError } from './errors.js';
import { guidFromBytes } from './guid.js';

export { AdDirectory, type AdLookup, type AdReadStats, type AdUser } from './directory.js';
export { AdReadError } from './errors.js';

export type AdRetryOptions = Partial<Pick<RetryPolicy, 'retries' | 'minTimeoutMs' | 'maxTimeoutMs' | 'onRetry'>>;

export interface AdReaderOptions {
  /** `ldaps://dc1.kommune.dk` (or `ldap://…`); with several, a retry moves on to the next. */
  url: string | readonly string[];
  /** Simple-bind name: a DN, or as AD also accepts, `DOMAIN\user` or `user@domain`. */
  bindDn: string;
  /** Never logged nor put in an error message. */
  password: string;
  searchBase: string;
  /** The attribute holding the CPR, e.g. `extensionAttribute1` or `employeeID`. */
  cprField: string;
  /** Removed from the CPR before use, e.g. `-` for `010190-1234`; default ''. */
  cprSeparator?: string;
  samFilter?: string;
  /** Default true, as DIPEX's `caseless_samname`. */
  caselessSam?: boolean;
  discriminator?: Discriminator;
  /** Which entries are users; default every user object that is not a computer. */
  filter?: string;
  /** Entries per page; AD serves at most 1000 (MaxPageSize). Default 500. */
  pageSize?: number;
  /** For ldaps:// only: the CA that signed the servers' certificates (PEM); default Node's trusted CAs. */
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  /** Time one LDAP operation (bind, one page) may take. Default 60 s. */
  timeoutMs?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  retry?: AdRetryOptions;
}

/** 5 retries, 1 s doubling to 30 s: rides out a domain controller restart of about a minute. */
export const DEFAULT_AD_RETRY = { retries: 5, minTimeoutMs: 1000, maxTimeoutMs: 30_000 } as const;
export const DEFAULT_USER_FILTER = '(&(objectClass=user)(!(objectClass=computer)))';
export const DEFAULT_PAGE_SIZE = 500;

/** objectGUID must arrive as bytes; ldapts matches these names case-sensitively against what the server sends. */
const GUID_NAMES = ['objectGUID', 'objectGuid', 'ObjectGUID', 'objectguid'];

let searchesStarted = 0;

/**
 * LDAP searches this process has started, over every read: what shows that an import asks AD once per run,
 * not once per person (the import's tests compare it before and after a run).
 */
export function adSearchesStarted(): number {
  return searchesStarted;
}

/** Reads all users of the AD once and indexes them by CPR. */
export async function readAdDirectory(options: AdReaderOptions): Promise<AdDirectory> {
  const urls = typeof options.url === 'string' ? [options.url] : [...options.url];
  if (urls.length === 0) throw new Error('readAdDirectory: no AD server URL given');
  const started = Date.now();
  const counters = { searches: 0, pages: 0 };
  let attempt = 0;
  const policy: RetryPolicy = {
    ...DEFAULT_AD_RETRY,
    ...options.retry,
    what: `reading AD users (${urls.join(', ')})`,
    isTransient: isTransientAdError,
  };
  const read = await withRetry(() => readOnce(urls[attempt++ % urls.length]!, options, counters), policy);
  return read.builder.build({ ...counters, ...read.counts, elapsedMs: Date.now() - started });
}

interface OneRead {
  builder: AdDirectoryBuilder;
  counts: { entries: number; withoutCpr: number; invalidCpr: number; incomplete: number };
}

async function readOnce(url: string, options: AdReaderOptions, counters: { searches: number; pages: number }): Promise<OneRead> {
  const secure = url.toLowerCase().startsWith('ldaps:');
  const client = new Client({
    url,
    timeout: options.timeoutMs ?? 60_000,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    // ldapts speaks TLS whenever tlsOptions are given, so only hand them over for ldaps://.
    ...(secure ? { tlsOptions: { minVersion: 'TLSv1.2' as const, ...options.tls } } : {}),
  });
  try {
    await client.bind(options.bindDn, options.password);
    const attributes = requestedAttributes(options);
    const builder = new AdDirectoryBuilder({
      discriminator: options.discriminator,
      samFilter: options.samFilter,
      caselessSam: options.caselessSam,
    });
    const counts = { entries: 0, withoutCpr: 0, invalidCpr: 0, incomplete: 0 };
    counters.searches++;
    searchesStarted++;
    const pages = client.searchPaginated(options.searchBase, {
      scope: 'sub',
      filter: options.filter ?? DEFAULT_USER_FILTER,
      attributes,
      explicitBufferAttributes: GUID_NAMES,
      paged: { pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE },
    });
    for await (const page of pages) {
      counters.pages++;
      for (const entry of page.searchEntries) {
        counts.entries++;
        const user = toUser(entry, options);
        if (typeof user === 'string') counts[user]++;
        else builder.add(user);
      }
    }
    return { builder, counts };
  } catch (error) {
    throw describeAdError(error, { url, bindDn: options.bindDn, searchBase: options.searchBase });
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

function requestedAttributes(options: AdReaderOptions): string[] {
  const names = [options.cprField, 'objectGUID', 'sAMAccountName'];
  if (options.discriminator) names.push(options.discriminator.field);
  return [...new Set(names)];
}

type Skip = 'withoutCpr' | 'invalidCpr' | 'incomplete';

/** An entry as an AdUser, or why it is skipped. Attribute names are matched ignoring case, as LDAP does. */
function toUser(entry: Entry, options: AdReaderOptions): AdUser | Skip {
  const attrs = new Map<string, Entry[string]>();
  for (const [name, value] of Object.entries(entry)) attrs.set(name.toLowerCase(), value);
  const get = (name: string) => single(attrs.get(name.toLowerCase()));
  const rawCpr = get(options.cprField);
  if (rawCpr === undefined) return 'withoutCpr';
  const cpr = typeof rawCpr === 'string' ? normaliseCpr(rawCpr, options.cprSeparator ?? '') : null;
  if (cpr === null) return 'invalidCpr';
  const objectGuid = decodeGuid(get('objectGUID'));
  const sam = get('sAMAccountName');
  if (objectGuid === null || typeof sam !== 'string' || sam === '') return 'incomplete';
  const value = options.discriminator ? get(options.discriminator.field) : null;
  return { dn: entry.dn, cpr, objectGuid, samAccountName: sam, discriminatorValue: typeof value === 'string' ? value : null };
}

/** The one value of a single-valued attribute; undefined when absent, null when multi-valued. */
function single(value: Entry[string] | undefined): string | Buffer | null | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.length === 1 ? (value[0] ?? undefined) : null;
  }
  return value;
}

function decodeGuid(value: string | Buffer | null | undefined): string | null {
  // A string means the server named the attribute in a case ldapts did not treat as binary and the bytes
  // happened to be valid UTF-8; encoding it back gives the bytes unless they began with a BOM.
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return bytes && bytes.length === 16 ? guidFromBytes(bytes) : null;
}
