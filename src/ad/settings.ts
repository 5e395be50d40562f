// DIPEX's `integrations.ad` setting: a LIST of AD configurations, the first being the primary AD, which
// is the one the OPUS import reads. Entry keys are DIPEX's (flat, "discriminator.field" included; a nested
// "discriminator": {…} is accepted too), plus moflow's LDAP additions: ldap_url, ca_file, tls_verify,
// page_size, timeout_seconds, search_filter. Keys of other DIPEX AD programs (ad_mo_sync_*, …) pass.
//
// The settings loader prints only zod's messages, so every message here names its key in full
// (`integrations.ad[0].cpr_field`). The value holds the bind password: register the key as secret.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config/errors.js';
import { flag } from '../config/setting.js';
import type { AdReaderOptions } from './reader.js';

export const AD_SETTINGS_KEY = 'integrations.ad';

const name = z.string().trim().min(1, 'must not be empty');
const ldapUrl = z
  .string()
  .trim()
  .regex(/^ldaps?:\/\/[^/\s]+\/?$/i, 'must be an LDAP URL such as "ldaps://dc1.kommune.dk" or "ldap://10.0.0.5:389"');

export const adEntrySchema = z
  .looseObject({
    servers: z.array(name).default([]),
    search_base: name,
    cpr_field: name,
    cpr_separator: z.string().default(''),
    system_user: name,
    password: z.string().min(1, 'must not be empty'),
    /** PowerShell properties DIPEX read; moflow reads only what the import needs. */
    properties: z.array(z.string()).optional(),
    sam_filter: z.string().default(''),
    caseless_samname: flag.default(true),
    'discriminator.field': name.optional(),
    'discriminator.values': z.array(z.string()).optional(),
    'discriminator.function': z.enum(['include', 'exclude'], 'must be "include" or "exclude"').optional(),
    ldap_url: z.union([ldapUrl, z.array(ldapUrl).min(1)]).optional(),
    ca_file: name.optional(),
    tls_verify: flag.default(true),
    page_size: z.coerce.number().int().min(1).max(100_000).default(500),
    timeout_seconds: z.coerce.number().int().positive().default(60),
    search_filter: z.string().trim().regex(/^\(.*\)$/s, 'must be an LDAP filter in parentheses').optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry['discriminator.field'] !== undefined) {
      // DIPEX refused a field without values and function, rather than guessing.
      for (const key of ['discriminator.values', 'discriminator.function'] as const) {
        if (entry[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'required when discriminator.field is set' });
      }
    }
    if (entry.servers.length === 0 && entry.ldap_url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['servers'], message: 'give the domain controllers (servers) or ldap_url' });
    }
  });

export type AdSettingsEntry = z.output<typeof adEntrySchema>;

/** The value of `integrations.ad`: JSON text (from the environment) or the list itself. */
export const adSettingsSchema = z.unknown().transform((input, ctx): AdSettingsEntry[] => {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${AD_SETTINGS_KEY} must be a JSON list of AD configurations` });
      return z.NEVER;
    }
  }
  if (!Array.isArray(value) || value.length === 0) {
    ctx.addIssue({ code: 'custom', message: `${AD_SETTINGS_KEY} must be a non-empty list; its first entry is the AD moflow reads` });
    return z.NEVER;
  }
  const parsed = z.array(adEntrySchema).safeParse(value.map(flattenEntry));
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const [index, ...rest] = issue.path;
    const where = `${AD_SETTINGS_KEY}[${String(index)}]${rest.length ? `.${rest.map(String).join('.')}` : ''}`;
    // zod's "expected string, received undefined" means the key is missing.
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    ctx.addIssue({ code: 'custom', message: missing ? `${where} is required` : `${where}: ${issue.message}` });
  }
  return z.NEVER;
});

/** `{"discriminator": {"field": …}}` → `{"discriminator.field": …}`, DIPEX's spelling. */
function flattenEntry(entry: unknown): unknown {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value)) out[`${key}.${sub}`] = v;
    } else out[key] = value;
  }
  return out;
}

/** `dc1.kommune.dk` → `ldaps://dc1.kommune.dk`: AD refuses simple binds over plain LDAP when signing is required. */
export function serverUrl(server: string): string {
  return /^ldaps?:\/\//i.test(server) ? server : `ldaps://${server}`;
}

/**
 * Reader options from the primary (first) AD entry. `readFile` reads `ca_file`; an unreadable file is a
 * ConfigError naming the key.
 */
export function adReaderOptions(
  entries: readonly AdSettingsEntry[],
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): AdReaderOptions {
  const entry = entries[0];
  if (!entry) throw new ConfigError([`${AD_SETTINGS_KEY} is empty; its first entry is the AD moflow reads`]);
  const key = (k: string) => `${AD_SETTINGS_KEY}[0].${k}`;
  let ca: string | undefined;
  if (entry.ca_file !== undefined) {
    try {
      ca = readFile(entry.ca_file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ConfigError([`${key('ca_file')}: cannot read ${entry.ca_file} (${code}). Fix: give the path of the PEM file of the CA that signed the domain controllers' certificates.`]);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigError([`${key('ca_file')}: ${entry.ca_file} holds no PEM certificate. Fix: export the CA certificate as Base-64 (PEM), not DER.`]);
    }
  }
  const field = entry['discriminator.field'];
  const values = entry['discriminator.values'];
  const fn = entry['discriminator.function'];
  const ldapUrls = entry.ldap_url === undefined ? entry.servers.map(serverUrl) : typeof entry.ldap_url === 'string' ? [entry.ldap_url] : entry.ldap_url;
  return {
    url: ldapUrls,
    bindDn: entry.system_user,
    password: entry.password,
    searchBase: entry.search_base,
    cprField: entry.cpr_field,
    cprSeparator: entry.cpr_separator,
    samFilter: entry.sam_filter,
    caselessSam: entry.caseless_samname,
    ...(field !== undefined && values !== undefined && fn !== undefined ? { discriminator: { field, values, function: fn } } : {}),
    ...(entry.search_filter !== undefined ? { filter: entry.search_filter } : {}),
    pageSize: entry.page_size,
    timeoutMs: entry.timeout_seconds * 1000,
    tls: { ...(ca !== undefined ? { ca } : {}), rejectUnauthorized: entry.tls_verify },
  };
}
