// Comparing two dumps, as DIPEX's file diff does (spec §4.2): an object is changed when anything but
// `lastChanged`, `numerator` and `denominator` differs. Only a fingerprint per id is held, so memory grows
// with the number of records, not with the size of the files.
import { createHash } from 'node:crypto';
import type { Diagnostic, DumpEntry, DumpRecord } from './records.js';

export interface ChangeSet {
  /** In the current dump, not in the previous one. */
  new: string[];
  /** In both, with a difference that counts. */
  changed: string[];
  unchanged: string[];
  /** In the previous dump, absent from the current one (for employees: cancelled). */
  gone: string[];
  /** In the current dump but rejected by the reader: present, so never "gone", yet not importable. */
  invalid: string[];
}

export interface DumpComparison {
  orgUnits: ChangeSet;
  /** `employee` elements: employments and leave stubs alike, keyed by employment id. */
  employees: ChangeSet;
  /** Diagnostics of the current dump. */
  diagnostics: Diagnostic[];
  /** The current dump's fingerprints, when asked for (to stand in for it as the next comparison's previous). */
  fingerprints?: DumpFingerprints;
}

/** All a comparison needs of the previous dump: the fingerprint per id ('' for a record rejected there). */
export interface DumpFingerprints {
  orgUnits: Map<string, string>;
  employees: Map<string, string>;
}

/** A digest of what counts as a change; records with equal fingerprints are "unchanged". */
export function fingerprint(record: DumpRecord): string {
  return createHash('md5').update(canonical(record)).digest('base64');
}

/** Fields that never make a record "changed" (DIPEX's DeepDiff exclusions). */
const IGNORED = new Set(['lastChanged', 'numerator', 'denominator', 'source', 'extra', 'functions']);
/** Each kind's compared fields in a fixed order, taken once from the record type itself. */
const FIELDS = new Map<DumpRecord['kind'], string[]>();

// Values joined by control characters that cannot occur in XML text, so distinct records never collide.
const SEP = '\u0001';
const NULL = '\u0002';

function canonical(record: DumpRecord): string {
  let fields = FIELDS.get(record.kind);
  if (!fields) {
    fields = Object.keys(record).filter((k) => !IGNORED.has(k)).sort();
    FIELDS.set(record.kind, fields);
  }
  const r = record as unknown as Record<string, string | boolean | null>;
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const value = r[fields[i]!];
    out += value === null ? NULL + SEP : `${value}${SEP}`;
  }
  if (record.kind === 'employment') {
    for (const fn of record.functions) {
      out += `F${fn.artText ?? NULL}${SEP}${fn.roleText ?? NULL}${SEP}${fn.startDate ?? NULL}${SEP}${fn.endDate ?? NULL}${SEP}`;
    }
  }
  if (record.kind !== 'leave') {
    const keys = Object.keys(record.extra);
    if (keys.length > 0) for (const k of keys.sort()) out += `X${k}${SEP}${record.extra[k] ?? NULL}${SEP}`;
  }
  return out;
}

type Kind = 'orgUnits' | 'employees';
const kindOf = (entry: DumpEntry): Kind =>
  entry.kind === 'orgUnit' || (entry.kind === 'rejected' && entry.element === 'orgUnit') ? 'orgUnits' : 'employees';

/** Marks an id whose previous content is unknown (rejected there), so any valid current record is "changed". */
const UNKNOWN = '';

/** What the comparison says of one entry of the current dump, as it is read. */
export type EntryStatus = 'new' | 'changed' | 'unchanged' | 'rejected';

/**
 * Compares the previous dump (or none: everything is new) with the current one. Both are read once,
 * previous first.
 */
export async function compareDumps(
  /** The previous dump, or its fingerprints (kept from when it was the current one), or none. */
  previous: AsyncIterable<DumpEntry> | DumpFingerprints | null,
  current: AsyncIterable<DumpEntry>,
  /** Sees every entry of the current dump once, in file order, so a caller can keep what it needs. */
  onCurrent?: (entry: DumpEntry, status: EntryStatus) => void,
  options: { keepFingerprints?: boolean } = {},
): Promise<DumpComparison> {
  let before: Record<Kind, Map<string, string>> = { orgUnits: new Map(), employees: new Map() };
  if (previous && !(Symbol.asyncIterator in previous)) before = previous;
  else if (previous) {
    for await (const entry of previous) {
      if (entry.kind === 'rejected') {
        if (entry.id !== null) before[kindOf(entry)].set(entry.id, UNKNOWN);
      } else {
        before[kindOf(entry)].set(entry.id, fingerprint(entry));
      }
    }
  }

  const result: DumpComparison = { orgUnits: emptyChangeSet(), employees: emptyChangeSet(), diagnostics: [] };
  const invalid: Record<Kind, Set<string>> = { orgUnits: new Set(), employees: new Set() };
  const seen: Record<Kind, Map<string, keyof ChangeSet>> = { orgUnits: new Map(), employees: new Map() };
  const kept: DumpFingerprints | null = options.keepFingerprints ? { orgUnits: new Map(), employees: new Map() } : null;
  for await (const entry of current) {
    const kind = kindOf(entry);
    if (entry.kind === 'rejected') {
      result.diagnostics.push(...entry.diagnostics);
      if (entry.id !== null) invalid[kind].add(entry.id);
      onCurrent?.(entry, 'rejected');
      continue;
    }
    const old = before[kind].get(entry.id);
    const print = kept || (old !== undefined && old !== UNKNOWN) ? fingerprint(entry) : UNKNOWN;
    kept?.[kind].set(entry.id, print);
    const status = old === undefined ? 'new' : old !== UNKNOWN && old === print ? 'unchanged' : 'changed';
    seen[kind].set(entry.id, status);
    onCurrent?.(entry, status);
  }

  for (const kind of ['orgUnits', 'employees'] as const) {
    const set = result[kind];
    // An id rejected anywhere in the current dump (e.g. a duplicate) is only "invalid".
    for (const [id, state] of seen[kind]) if (!invalid[kind].has(id)) set[state].push(id);
    set.invalid = [...invalid[kind]];
    for (const id of before[kind].keys()) if (!seen[kind].has(id) && !invalid[kind].has(id)) set.gone.push(id);
    for (const list of Object.values(set)) list.sort(byOpusId);
    // An id rejected anywhere (e.g. a duplicate) is rejected as a whole: its fingerprint is unknown.
    if (kept) for (const id of invalid[kind]) kept[kind].set(id, UNKNOWN);
  }
  if (kept) result.fingerprints = kept;
  return result;
}

function emptyChangeSet(): ChangeSet {
  return { new: [], changed: [], unchanged: [], gone: [], invalid: [] };
}

/** OPUS ids are numbers written as text: order numerically when both are, else as text. */
export function byOpusId(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
