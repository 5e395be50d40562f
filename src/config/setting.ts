// One settings key: its DIPEX-style dotted name, its zod schema, the environment variables that
// override it, and how to fix a wrong value. Every key moflow reads is declared with `setting()`.
import { z } from 'zod';

export interface SettingSpec<S extends z.ZodType = z.ZodType> {
  /** Dotted settings.json key, e.g. `integrations.opus.import.xml_path`. */
  key: string;
  schema: S;
  /** Environment variables that override the file, first one set wins. */
  env: string[];
  /** What the key means, shown in errors and `moflow config`. */
  description: string;
  /** A valid example value, shown in "how to fix" hints. */
  example: string;
  /** Never printed (passwords, client secrets). */
  secret?: boolean;
}

/**
 * The environment variable derived from a key the way DIPEX's JobSettings does (dots become
 * underscores, upper case): `integrations.opus.import.xml_path` → `INTEGRATIONS_OPUS_IMPORT_XML_PATH`.
 */
export function envNameOf(key: string): string {
  return key.replace(/[.-]/g, '_').toUpperCase();
}

export function setting<S extends z.ZodType>(
  key: string,
  schema: S,
  meta: { description: string; example: string; env?: string[]; secret?: boolean },
): SettingSpec<S> {
  return {
    key,
    schema,
    env: [envNameOf(key), ...(meta.env ?? [])],
    description: meta.description,
    example: meta.example,
    secret: meta.secret ?? false,
  };
}

// Reusable value schemas. Environment variables are strings, so each schema also accepts the text form.

export const text = z.string().trim().min(1, 'must not be empty');

export const flag = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(s)) return true;
  if (['false', '0', 'no', 'off', ''].includes(s)) return false;
  return v;
}, z.boolean());

export const port = z.coerce.number().int().min(1).max(65535);

export const positiveInt = z.coerce.number().int().positive();

/** A list given as a JSON array (file or env) or, in env, as comma-separated text. Numbers become strings. */
export const idList = z.preprocess((v) => {
  if (typeof v === 'string') {
    const s = v.trim();
    if (s.startsWith('[')) {
      try {
        return JSON.parse(s);
      } catch {
        return v;
      }
    }
    return s === '' ? [] : s.split(',').map((x) => x.trim());
  }
  return v;
}, z.array(z.union([z.string().trim().min(1), z.number().transform(String)])));

export const url = z.string().trim().url('must be a URL such as https://os2mo.example.dk');
