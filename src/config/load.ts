// Reading settings: a DIPEX-style settings.json (flat dotted keys; nested objects are accepted too) given by
// --settings or MOFLOW_SETTINGS, then environment variables on top. Every value is validated against its
// key's schema; all problems are reported at once, each naming the key and how to fix it.
import { printParseErrorCode, visit } from 'jsonc-parser';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { ALL_SETTINGS, LEGACY_KEYS, OWNED_PREFIXES } from './keys.js';
import { ConfigError } from './errors.js';
import type { SettingSpec } from './setting.js';

export { ConfigError };

export interface LoadOptions {
  /** Path of settings.json; default `MOFLOW_SETTINGS`, else no file (environment and defaults only). */
  settingsPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** Validated settings by key, plus where each came from (for messages and `moflow config`). */
export class Settings {
  constructor(
    private readonly values: Map<string, unknown>,
    readonly origins: Map<string, string>,
    readonly file: string | null,
    readonly notices: string[],
  ) {}

  /** The value of a key, or undefined when it is not set. */
  get<S extends z.ZodType>(spec: SettingSpec<S>): z.output<S> | undefined {
    return this.values.get(spec.key) as z.output<S> | undefined;
  }

  /** The value of a key that this operation cannot do without. */
  require<S extends z.ZodType>(spec: SettingSpec<S>, purpose: string): z.output<S> {
    const value = this.get(spec);
    if (value === undefined) throw new ConfigError([missingMessage(spec, purpose, this.file)]);
    return value;
  }

  has(spec: SettingSpec): boolean {
    return this.values.has(spec.key);
  }
}

export function missingMessage(spec: SettingSpec, purpose: string, file: string | null): string {
  const where = file ? `to ${file}` : 'to settings.json (pass it with --settings or MOFLOW_SETTINGS)';
  return `${spec.key} is not set, and ${purpose} needs it (${spec.description}). Fix: add "${spec.key}": ${quoteExample(spec.example)} ${where}, or set ${spec.env[0]}.`;
}

function quoteExample(example: string): string {
  return /^[[{]|^(true|false|\d+)$/.test(example) ? example : JSON.stringify(example);
}

export function loadSettings(options: LoadOptions = {}): Settings {
  const env = options.env ?? process.env;
  const path = options.settingsPath ?? env.MOFLOW_SETTINGS ?? null;
  const problems: string[] = [];
  const notices: string[] = [];
  const raw = new Map<string, unknown>();
  const origins = new Map<string, string>();
  const file = path ? resolve(path) : null;

  if (file) {
    for (const [key, value] of Object.entries(readSettingsFile(file))) {
      raw.set(key, value);
      origins.set(key, file);
    }
  }

  const byKey = new Map(ALL_SETTINGS.map((s) => [s.key, s]));
  const others: string[] = [];
  for (const key of raw.keys()) {
    if (byKey.has(key)) continue;
    if (LEGACY_KEYS[key]) notices.push(`${key}: ${LEGACY_KEYS[key]}`);
    else if (OWNED_PREFIXES.some((p) => key.startsWith(p))) problems.push(unknownKeyMessage(key, [...byKey.keys()], file));
    else {
      // Other integrations share a DIPEX settings.json: their keys are left alone, but a near miss of one of
      // moflow's (a misspelled prefix, `municpality.name`) is most likely meant for moflow.
      const near = nearestKey(key, [...byKey.keys(), ...Object.keys(LEGACY_KEYS)]);
      if (near && near.distance <= 2) notices.push(`${key} in ${file ?? 'settings'} is not a key moflow knows. Did you mean "${near.key}"? It is ignored until corrected.`);
      else others.push(key);
    }
  }
  if (others.length > 0) {
    notices.push(`${others.length} key(s) in ${file ?? 'settings'} are not moflow's and are left alone (other integrations' settings): ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}`);
  }

  for (const spec of ALL_SETTINGS) {
    const fromEnv = spec.env.find((name) => env[name] !== undefined && env[name] !== '');
    if (fromEnv) {
      raw.set(spec.key, env[fromEnv]);
      origins.set(spec.key, `environment variable ${fromEnv}`);
    }
  }

  const values = new Map<string, unknown>();
  for (const spec of ALL_SETTINGS) {
    if (!raw.has(spec.key)) continue;
    const input = raw.get(spec.key);
    if (input === null) continue; // DIPEX files use null for "not set"
    const parsed = spec.schema.safeParse(input);
    if (parsed.success) {
      values.set(spec.key, parsed.data);
    } else {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      const shown = spec.secret ? '(hidden)' : JSON.stringify(input);
      problems.push(
        `${spec.key} = ${shown} from ${origins.get(spec.key)} is invalid: ${why}. Fix: ${spec.description}, e.g. ${quoteExample(spec.example)}.`,
      );
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return new Settings(values, origins, file, notices);
}

function readSettingsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([
      code === 'ENOENT'
        ? `settings file ${file} does not exist. Fix: pass the path of your settings.json with --settings or MOFLOW_SETTINGS.`
        : code === 'EISDIR'
          ? `settings file ${file} is a directory. Fix: pass the settings.json file itself with --settings or MOFLOW_SETTINGS.`
          : `settings file ${file} cannot be read (${code ?? String(err)}). Fix: check its permissions.`,
    ]);
  }
  const problems = syntaxProblems(text, file);
  if (problems.length > 0) throw new ConfigError(problems);
  const json: unknown = JSON.parse(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError([`settings file ${file} must hold a JSON object of "dotted.key": value pairs.`]);
  }
  return flatten(json as Record<string, unknown>);
}

/**
 * Syntax errors and duplicated keys, by line and column only: JSON.parse's own message quotes the text around
 * the error, which may be a secret. A key given twice would silently take the last value.
 */
function syntaxProblems(text: string, file: string): string[] {
  const problems: string[] = [];
  const objects: Map<string, number>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => void objects.push(new Map()),
      onObjectEnd: () => void objects.pop(),
      onObjectProperty: (name, _offset, _length, line) => {
        const seen = objects.at(-1);
        const first = seen?.get(name);
        if (first !== undefined) problems.push(`settings file ${file}: "${name}" is given twice (lines ${first + 1} and ${line + 1}). Fix: keep one.`);
        else seen?.set(name, line);
      },
      onError: (error, _offset, _length, line, column) =>
        void problems.push(`settings file ${file} is not valid JSON: ${printParseErrorCode(error)} at line ${line + 1}, column ${column + 1}. Fix the JSON syntax there.`),
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  // One syntax error usually causes the next ones: the first says where to look.
  const syntax = problems.findIndex((p) => p.includes('is not valid JSON'));
  return syntax >= 0 ? [problems[syntax]!] : problems;
}

/** `{"a": {"b": 1}}` and `{"a.b": 1}` both become `a.b`. Arrays are values, not nesting. */
function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}

function nearestKey(key: string, known: string[]): { key: string; distance: number } | undefined {
  return known.map((k) => ({ key: k, distance: editDistance(k, key) })).sort((a, b) => a.distance - b.distance)[0];
}

function unknownKeyMessage(key: string, known: string[], file: string | null): string {
  const best = nearestKey(key, known);
  const hint = best && best.distance <= Math.max(3, Math.floor(key.length / 5)) ? ` Did you mean "${best.key}"?` : '';
  return `${key} in ${file ?? 'settings'} is not a key moflow knows.${hint} Fix: correct or remove it (\`moflow config keys\` lists every key).`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
