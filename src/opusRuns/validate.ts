// The parse-and-validate step: reads the whole dump once before anything is written, so a dump that cannot
// be read at all (malformed XML, wrong root, unknown encoding) stops its run with file, line and OPUS id
// while MO is untouched. Rejected records do not stop it: the import reports them and goes on.
import { readDump } from '../opus/reader.js';
import { formatDiagnostic } from '../opus/records.js';
import type { DumpSource } from '../sources/types.js';
import type { ValidationResult } from './types.js';

const LISTED = 20;

export async function validateDump(source: DumpSource, name: string, onRecords?: (records: number) => void): Promise<Omit<ValidationResult, 'attempt'>> {
  const result = { units: 0, employments: 0, leaves: 0, rejected: 0, diagnostics: [] as string[] };
  let records = 0;
  for await (const entry of readDump(await source.open(name), { file: name })) {
    if (entry.kind === 'orgUnit') result.units++;
    else if (entry.kind === 'employment') result.employments++;
    else if (entry.kind === 'leave') result.leaves++;
    else {
      result.rejected++;
      for (const d of entry.diagnostics) if (result.diagnostics.length < LISTED) result.diagnostics.push(formatDiagnostic(d));
    }
    if (++records % 1000 === 0) onRecords?.(records);
  }
  return result;
}
