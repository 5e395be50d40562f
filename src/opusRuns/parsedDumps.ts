// A worker's prepared dumps, so one run reads its dump once, not once per step: `parseDump` prepares the
// planner's input (the dump, compared with the previous one, with its DAR look-ups) and keeps it here, and
// the later steps on the same worker plan from it. Another worker, or this one restarted, prepares it again:
// slower, not wrong, since the input follows from the two dumps' bytes and the settings alone. Nothing of it
// goes through Temporal: a prepared input holds every changed record.
import { createHash } from 'node:crypto';
import type { ImportSettings, PreparedInputs } from '../sync/importDump.js';
import type { ImportInput } from '../sync/prepare.js';
import type { DumpEntry } from '../opus/records.js';
import type { FetchedDumps } from './types.js';
import { countRecord, noRecords, type RecordCounts } from './validate.js';

/** Runs at once on one worker are rare (the sync imports dumps one by one); two leave room for a rebuild's. */
const KEEP = 2;

interface Entry {
  input: Promise<ImportInput>;
  /** What the read saw of the dump's records, filled as it reads. */
  counts: RecordCounts;
}

let parses = 0;
/** How many times this process prepared a dump (a read of the dump and its comparison): for tests and metrics. */
export function parseCount(): number {
  return parses;
}

export class ParsedDumps {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly keep = KEEP) {}

  /** The keeper planDump uses for these dumps and settings (ImportSettings.prepared). */
  forRun(fetched: Pick<FetchedDumps, 'dump' | 'previous'>, settings: ImportSettings): PreparedInputs & { counts(scope?: string): RecordCounts | null } {
    const base = runKey(fetched, settings);
    return {
      get: (scope, prepare) => this.get(`${base}|${scope}`, prepare).input,
      counts: (scope = 'changed') => this.entries.get(`${base}|${scope}`)?.counts ?? null,
    };
  }

  private get(key: string, prepare: (see: (entry: DumpEntry) => void) => Promise<ImportInput>): Entry {
    const kept = this.entries.get(key);
    if (kept) {
      // Most recently used last: the oldest is dropped first.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept;
    }
    parses++;
    const counts = noRecords();
    const entry: Entry = { counts, input: prepare((e) => countRecord(counts, e)) };
    // A failed read is not kept: the retry reads again.
    entry.input.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    while (this.entries.size > this.keep) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

/**
 * The two dumps by content, and the settings that shape the prepared input (the OPUS options: municipality,
 * filters, what to skip; the DAR resolver is the worker's, fixed while it runs).
 */
function runKey(fetched: Pick<FetchedDumps, 'dump' | 'previous'>, settings: ImportSettings): string {
  const shaping = JSON.stringify(settings, (key, value: unknown) =>
    key === 'postal' || key === 'digests' || key === 'enrichments' || key === 'prepared' || key === 'full' || key === 'alsoUnits' || typeof value === 'function' ? undefined : value,
  );
  const hash = createHash('sha256').update(shaping).digest('hex').slice(0, 16);
  return `${fetched.dump.sha256}|${fetched.previous?.sha256 ?? 'none'}|${hash}`;
}
