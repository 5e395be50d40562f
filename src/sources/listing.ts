// Turning the file names a source holds into an ordered dump listing. Shared by every source so the
// rules (which names are dumps, what happens to others, duplicate timestamps) live in one place.
import { parseDumpName } from '../opus/dumpName.js';
import { DumpSourceError, type DumpFile, type DumpListing } from './types.js';

export interface SourceEntry {
  name: string;
  size: number;
}

export function buildListing(entries: SourceEntry[], sourceDescription: string): DumpListing {
  const dumps: DumpFile[] = [];
  const ignored: DumpListing['ignored'] = [];
  for (const entry of entries) {
    const parsed = parseDumpName(entry.name);
    if (parsed.ok) dumps.push({ ...parsed.dump, size: entry.size });
    else ignored.push({ name: entry.name, reason: parsed.reason });
  }
  dumps.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  for (let i = 1; i < dumps.length; i++) {
    if (dumps[i]!.timestamp === dumps[i - 1]!.timestamp) {
      throw new DumpSourceError(
        `two dumps in ${sourceDescription} have the same timestamp ${dumps[i]!.timestamp}: ${dumps[i - 1]!.name} and ${dumps[i]!.name}. ` +
          'moflow cannot tell which one is newer. Fix: remove or rename the wrong one.',
      );
    }
  }
  ignored.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { dumps, ignored };
}
