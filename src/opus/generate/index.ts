// Synthetic OPUS Løn dumps for tests, benchmarks and the demo: D+1 daily full snapshots of one invented
// municipality, about 1% of employments changing from one day to the next. Everything follows from the
// options: the same options give byte-identical files.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isCalendarDate } from '../dumpName.js';
import { addDays } from './calendar.js';
import { evolveDay } from './evolve.js';
import { createWorld } from './initial.js';
import { randomFor, type Random } from './prng.js';
import { writeDump, type DumpEncoding } from './xml.js';

export interface GenerateProgress {
  file: string;
  fileIndex: number;
  files: number;
  records: number;
  totalRecords: number;
}

export interface GenerateOptions {
  outDir: string;
  /** Units in the first dump (the tree then grows and shrinks a little each day). */
  units: number;
  /** Active employments in the first dump. */
  employees: number;
  /** Days of change after the first dump: D+1 files are written. */
  days: number;
  seed: number;
  /** Date of the first dump, YYYY-MM-DD; default 2024-01-01. */
  startDate?: string;
  encoding?: DumpEncoding;
  /** Spoil a few records (≤ 1 per 10,000: no entryDate, no position), as real dumps sometimes are. */
  faults?: boolean;
  onProgress?: (p: GenerateProgress) => void;
}

export interface GeneratedFile {
  name: string;
  path: string;
  bytes: number;
  units: number;
  employments: number;
  leaves: number;
}

export interface GenerateResult {
  files: GeneratedFile[];
}

export const DEFAULT_START_DATE = '2024-01-01';

export async function generateDumps(options: GenerateOptions): Promise<GenerateResult> {
  const startDate = options.startDate ?? DEFAULT_START_DATE;
  checkOptions(options, startDate);
  await mkdir(options.outDir, { recursive: true });
  const world = createWorld({
    units: options.units,
    employees: options.employees,
    seed: options.seed,
    startDate,
    faults: options.faults ?? false,
  });
  const clock = randomFor(options.seed, 'time of day');
  const files: GeneratedFile[] = [];
  const count = options.days + 1;
  for (let day = 0; day < count; day++) {
    const date = addDays(startDate, day);
    if (day > 0) evolveDay(world, randomFor(options.seed, 'day', day), date);
    const name = dumpFileName(date, clock);
    const path = join(options.outDir, name);
    const stats = await writeDump(world, path, options.encoding ?? 'utf-8', (records, totalRecords) =>
      options.onProgress?.({ file: name, fileIndex: day, files: count, records, totalRecords }),
    );
    files.push({ name, path, ...stats });
  }
  return { files };
}

/**
 * `ZLPE<YYYYmmddHHMMSS>_delta.xml`. OPUS writes its dumps at about 22:40:12 and the seconds drift a
 * little from night to night (seen: 22:40:12, 22:40:13, 22:41:28, 22:41:48).
 */
function dumpFileName(date: string, clock: Random): string {
  const r = clock.next();
  const drift = r < 0.7 ? 0 : r < 0.9 ? clock.between(1, 3) : clock.between(60, 110);
  const seconds = 22 * 3600 + 40 * 60 + 12 + drift;
  const hms = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((n) => String(n).padStart(2, '0'));
  return `ZLPE${date.replace(/-/g, '')}${hms.join('')}_delta.xml`;
}

function checkOptions(options: GenerateOptions, startDate: string): void {
  const whole = (name: string, value: number, min: number) => {
    if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be a whole number ≥ ${min}, not ${value}`);
  };
  whole('units', options.units, 1);
  whole('employees', options.employees, 0);
  whole('days', options.days, 0);
  whole('seed', options.seed, 0);
  if (!isCalendarDate(startDate)) throw new RangeError(`startDate must be a date YYYY-MM-DD, not "${startDate}"`);
  if (options.encoding && options.encoding !== 'utf-8' && options.encoding !== 'iso-8859-1') {
    throw new RangeError(`encoding must be utf-8 or iso-8859-1, not "${String(options.encoding)}"`);
  }
}
