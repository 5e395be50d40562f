// The parse-and-validate step: reads the whole dump once before anything is written, so a dump that cannot
// be read at all (malformed XML, wrong root, unknown encoding) stops its run with file, line and OPUS id
// while MO is untouched. Rejected records do not stop it: the import reports them and goes on.
import { readDump } from '../opus/reader.js';
import { formatDiagnostic, type DumpEntry } from '../opus/records.js';
import type { DumpSource } from '../sources/types.js';
import type { ValidationResult } from './types.js';

/** Rejected records' diagnostics kept in a result (the run's report lists every issue). */
const LISTED = 20;

export type RecordCounts = Omit<ValidationResult, 'attempt'>;

export const noRecords = (): RecordCounts => ({ units: 0, employments: 0, leaves: 0, rejected: 0, diagnostics: [] });

/** Counts one record of a dump, keeping the first rejected records' diagnostics. */
export function countRecord(counts: RecordCounts, entry: DumpEntry): void {
  if (entry.kind === 'orgUnit') counts.units++;
  else if (entry.kind === 'employment') counts.employments++;
  else if (entry.kind === 'leave') counts.leaves++;
  else {
    counts.rejected++;
    for (const d of entry.diagnostics) if (counts.diagnostics.length < LISTED) counts.diagnostics.push(formatDiagnostic(d));
  }
}

export async function validateDump(source: DumpSource, name: string, onRecords?: (records: number) => void): Promise<RecordCounts> {
  const result = noRecords();
  let records = 0;
  for await (const entry of readDump(await source.open(name), { file: name })) {
    countRecord(result, entry);
    if (++records % 1000 === 0) onRecords?.(records);
  }
  return result;
}
