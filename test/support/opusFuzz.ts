// Mutated OPUS dumps for the fuzz test (test/opus/fuzz.test.ts) and `npm run fuzz`: from a fixed seed, each
// dump is a real fixture with one mutation, read by the reader and the validation step. Two families: random
// damage (truncation, flipped bytes, swapped tags, …), which must end in diagnostics or a clean read, never a
// crash; and known garbage (issue 14 §5), which must never pass without a diagnostic.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DumpReadError, readDump } from '../../src/opus/reader.js';
import type { Diagnostic } from '../../src/opus/records.js';
import { validateDump } from '../../src/opusRuns/validate.js';
import type { DumpSource } from '../../src/sources/types.js';
import { FIXTURE_1, FIXTURE_2, FIXTURES } from './fixtures.js';

/** mulberry32: small, fast, and the same numbers on every machine for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const int = (rand: Rand, from: number, to: number) => from + Math.floor(rand() * (to - from + 1));

/** Replaces one random match of `pattern` (global) through `replace`; null when nothing matches. */
function replaceOne(text: string, pattern: RegExp, rand: Rand, replace: (match: RegExpExecArray) => string): string | null {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return null;
  const m = pick(rand, matches) as RegExpExecArray;
  return text.slice(0, m.index) + replace(m) + text.slice(m.index + m[0].length);
}

const utf8 = (text: string | null) => (text === null ? null : Buffer.from(text, 'utf8'));
const GARBAGE = ['', '-1', 'x', '"', '&', '<', '9'.repeat(30), '2024-13-45', '\u0000', 'ø', '  '];

/** Damage without a promise: the dump may still read cleanly, but nothing may crash or hang. */
export const RANDOM_KINDS: Record<string, (xml: string, rand: Rand) => Buffer | null> = {
  truncate: (xml, rand) => Buffer.from(xml, 'utf8').subarray(0, int(rand, 0, Buffer.byteLength(xml) - 1)),
  byteFlips: (xml, rand) => {
    const bytes = Buffer.from(xml, 'utf8');
    for (let i = int(rand, 1, 8); i > 0; i--) bytes[int(rand, 0, bytes.length - 1)] = int(rand, 0, 255);
    return bytes;
  },
  tagSwap: (xml, rand) => {
    const names = [...new Set([...xml.matchAll(/<([A-Za-z]+)[\s>/]/g)].map((m) => m[1]!))];
    const [a, b] = [pick(rand, names), pick(rand, names)];
    return utf8(replaceOne(xml, new RegExp(`<(/?)${a}([\\s>/])`, 'g'), rand, (m) => `<${m[1]}${b}${m[2]}`));
  },
  attributeGarbage: (xml, rand) =>
    utf8(replaceOne(xml, /<(orgUnit|employee|cpr|function) /g, rand, (m) => `${m[0]}${pick(rand, ['id="', 'x=', '=""', 'a="1" a="2"', 'id="-0"', 'lastChanged="never"'])} `)),
  hugeValue: (xml, rand) => utf8(replaceOne(xml, />([^<>\s][^<>]*)</g, rand, () => `>${'Z'.repeat(int(rand, 201, 1_000_000))}<`)),
  invalidDate: (xml, rand) => utf8(replaceOne(xml, /\d{4}-\d{2}-\d{2}/g, rand, () => pick(rand, ['2024-02-30', '0000-00-00', '31-12-2024', '2024/01/01', '', 'ingen']))),
  fieldGarbage: (xml, rand) => utf8(replaceOne(xml, />([^<>\s][^<>]*)</g, rand, () => `>${pick(rand, GARBAGE)}<`)),
  dropLine: (xml, rand) => {
    const lines = xml.split('\n');
    lines.splice(int(rand, 0, lines.length - 1), 1);
    return utf8(lines.join('\n'));
  },
  repeatLine: (xml, rand) => {
    const lines = xml.split('\n');
    const at = int(rand, 0, lines.length - 1);
    lines.splice(at, 0, lines[at]!);
    return utf8(lines.join('\n'));
  },
};

/** Garbage that must always bring a diagnostic (fatal, or on the record it is in). */
export const GARBAGE_KINDS: Record<string, (xml: string, rand: Rand) => Buffer | null> = {
  cprNoDate: (xml, rand) => utf8(replaceOne(xml, /(<cpr[^>]*>)\d{6}/g, rand, (m) => `${m[1]}${pick(rand, ['999999', '320190', '011390', '000000'])}`)),
  isManagerMaybe: (xml, rand) => utf8(replaceOne(xml, /<isManager>\w+</g, rand, () => `<isManager>${pick(rand, ['maybe', 'TRUE', '1', 'ja'])}<`)),
  unitEndsBeforeStart: (xml, rand) => utf8(replaceOne(xml, /(<orgUnit [^>]*>\s*<startDate>)[^<]*(<\/startDate>\s*<endDate>)[^<]*</g, rand, (m) => `${m[1]}2020-06-01${m[2]}2020-05-31<`)),
  unitOwnParent: (xml, rand) => utf8(replaceOne(xml, /<orgUnit id="(\d+)"([^]*?)<parentOrgUnit(?:\/>|>[^<]*<\/parentOrgUnit>)/g, rand, (m) => `<orgUnit id="${m[1]}"${m[2]}<parentOrgUnit>${m[1]}</parentOrgUnit>`)),
  unitParentMissing: (xml, rand) => utf8(replaceOne(xml, /<parentOrgUnit>\d+</g, rand, () => `<parentOrgUnit>${int(rand, 900_000, 999_999)}<`)),
  invalidUtf8: (xml, rand) => {
    const bytes = Buffer.from(xml, 'utf8');
    const leads = [...bytes.keys()].filter((i) => bytes[i] === 0xc3);
    if (leads.length === 0) return null;
    bytes[pick(rand, leads)] = pick(rand, [0xff, 0xfe, 0xc0]); // bytes UTF-8 never uses
    return bytes;
  },
  utf8DeclaredLatin1: (xml) => (/[\u00c0-\u00ff]/.test(xml) ? utf8(xml.replace(/encoding="[^"]*"/, 'encoding="iso-8859-1"')) : null),
  hugeName: (xml, rand) => utf8(replaceOne(xml, /<(firstName|lastName|longName)>[^<]*</g, rand, (m) => `<${m[1]}>${'N'.repeat(int(rand, 201, 2_000_000))}<`)),
  hugeId: (xml, rand) => utf8(replaceOne(xml, /<(orgUnit|employee) id="\d+"/g, rand, (m) => `<${m[1]} id="${'7'.repeat(int(rand, 11, 1_000_000))}"`)),
  negativeId: (xml, rand) => utf8(replaceOne(xml, /<(orgUnit|employee) id="(\d+)"/g, rand, (m) => `<${m[1]} id="-${m[2]}"`)),
  longPhone: (xml, rand) => utf8(replaceOne(xml, /<(phoneNumber|workPhone)(\/>|>[^<]*<\/\w+>)/g, rand, (m) => `<${m[1]}>${'4'.repeat(int(rand, 21, 500))}</${m[1]}>`)),
  dtdEntity: (xml, rand) => {
    const withDoctype = xml.replace('<kmd>', '<!DOCTYPE kmd [<!ENTITY navn "Anna">]>\n<kmd>');
    return utf8(replaceOne(withDoctype, /<(firstName|longName)>[^<]*</g, rand, (m) => `<${m[1]}>&navn;<`));
  },
  mismatchedClose: (xml, rand) => utf8(replaceOne(xml, /<\/(firstName|lastName|longName|shortName|city)>/g, rand, () => '</fornavn>')),
};

export const BASE_DUMPS = [FIXTURE_1, FIXTURE_2].map((name) => ({ name, xml: readFileSync(join(FIXTURES, name), 'utf8') }));

export interface FuzzOutcome {
  kind: string;
  garbage: boolean;
  fatal: Diagnostic | null;
  diagnostics: Diagnostic[];
  records: number;
  ms: number;
  /** Anything but a DumpReadError: a crash. */
  crash: unknown;
}

/** Reads one mutated dump in chunks of random size, then validates it as the import does. */
export async function readMutated(bytes: Buffer, name: string, rand: Rand): Promise<Omit<FuzzOutcome, 'kind' | 'garbage'>> {
  const started = performance.now();
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = int(rand, 1, 1 << int(rand, 3, 17));
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  const diagnostics: Diagnostic[] = [];
  let records = 0;
  let fatal: Diagnostic | null = null;
  let crash: unknown = null;
  try {
    for await (const entry of readDump(chunks, { file: name })) {
      records++;
      if (entry.kind === 'rejected') diagnostics.push(...entry.diagnostics);
    }
  } catch (err) {
    if (err instanceof DumpReadError) fatal = err.diagnostic;
    else crash = err;
  }
  const source: DumpSource = { description: 'fuzz', list: () => Promise.reject(new Error('a fuzz source lists nothing')), open: async () => Readable.from(chunks), close: async () => {} };
  try {
    const validated = await validateDump(source, name);
    if (fatal) crash = new Error(`the reader failed (${fatal.message}) but the validation passed`);
    else if (validated.rejected === 0 && diagnostics.length > 0) crash = new Error('the validation counted no rejected record');
  } catch (err) {
    if (!(err instanceof DumpReadError) && crash === null) crash = err;
  }
  return { fatal, diagnostics, records, ms: performance.now() - started, crash };
}

/** `count` mutated dumps from `seed`: every garbage kind in turn with random damage in between. */
export async function* fuzz(count: number, seed: number): AsyncGenerator<FuzzOutcome> {
  const rand = prng(seed);
  const garbage = Object.keys(GARBAGE_KINDS);
  const random = Object.keys(RANDOM_KINDS);
  for (let i = 0; i < count; i++) {
    const isGarbage = i % 2 === 0;
    const kind = isGarbage ? garbage[(i / 2) % garbage.length]! : pick(rand, random);
    const base = pick(rand, BASE_DUMPS);
    const bytes = (isGarbage ? GARBAGE_KINDS : RANDOM_KINDS)[kind]!(base.xml, rand);
    if (bytes === null) continue;
    const outcome = await readMutated(bytes, base.name, rand);
    yield { kind, garbage: isGarbage, ...outcome };
  }
}
