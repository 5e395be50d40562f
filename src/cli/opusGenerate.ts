// `moflow opus generate`: synthetic OPUS dumps for tests, benchmarks and the demo (src/opus/generate).
import { readdir } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { isCalendarDate } from '../opus/dumpName.js';
import { DEFAULT_START_DATE, generateDumps } from '../opus/generate/index.js';
import { log, progress } from './output.js';

interface GenerateFlags {
  out: string;
  units: number;
  employees: number;
  days: number;
  seed: number;
  start: string;
  encoding: 'utf-8' | 'iso-8859-1';
  faults?: boolean;
}

function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max.toLocaleString('en')}.`);
    }
    return n;
  };
}

function calendarDate(value: string): string {
  if (!isCalendarDate(value)) throw new InvalidArgumentError('expected a date YYYY-MM-DD, e.g. 2024-01-01.');
  return value;
}

function encodingName(value: string): 'utf-8' | 'iso-8859-1' {
  const v = value.toLowerCase();
  if (v === 'utf-8' || v === 'utf8') return 'utf-8';
  if (v === 'iso-8859-1' || v === 'latin1') return 'iso-8859-1';
  throw new InvalidArgumentError('expected utf-8 or iso-8859-1.');
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

export function registerGenerateCommand(opus: Command): void {
  opus
    .command('generate')
    .description('write synthetic OPUS dumps, one full snapshot per day with ~1% change (same seed, same bytes)')
    .requiredOption('--out <dir>', 'directory for the ZLPE…_delta.xml files (created if missing)')
    .option('--units <n>', 'units in the first dump', wholeNumber(1), 300)
    .option('--employees <n>', 'employments in the first dump', wholeNumber(0), 5000)
    .option('--days <n>', 'days of change after the first dump; n+1 files are written', wholeNumber(0, 3660), 3)
    .option('--seed <n>', 'random seed', wholeNumber(0), 1)
    .option('--start <date>', 'date of the first dump', calendarDate, DEFAULT_START_DATE)
    .option('--encoding <name>', 'utf-8 or iso-8859-1', encodingName, 'utf-8')
    .option('--faults', 'leave out entryDate or position in a few records (≤ 1 per 10,000), as real dumps sometimes do')
    .action(async (flags: GenerateFlags) => {
      const started = performance.now();
      // One progress line per file, replaced when the next file starts.
      const shown: { file: string; bar: ReturnType<typeof progress> | null } = { file: '', bar: null };
      const result = await generateDumps({
        outDir: flags.out,
        units: flags.units,
        employees: flags.employees,
        days: flags.days,
        seed: flags.seed,
        startDate: flags.start,
        encoding: flags.encoding,
        faults: flags.faults ?? false,
        onProgress: (p) => {
          if (p.file !== shown.file || !shown.bar) {
            shown.bar?.done();
            shown.file = p.file;
            shown.bar = progress(`${p.file} (${p.fileIndex + 1}/${p.files})`);
          }
          shown.bar.update(p.records, p.totalRecords);
        },
      });
      shown.bar?.done();
      const seconds = (performance.now() - started) / 1000;
      const bytes = result.files.reduce((sum, f) => sum + f.bytes, 0);
      for (const f of result.files) {
        process.stdout.write(`${f.name}  ${mb(f.bytes)} MB  ${f.units} units  ${f.employments} employments  ${f.leaves} leave stubs\n`);
      }
      process.stdout.write(
        `${result.files.length} files, ${mb(bytes)} MB in ${seconds.toFixed(1)} s (${mb(bytes / seconds)} MB/s) in ${flags.out}\n`,
      );
      // An importer pointed at the directory reads every dump in it, not just this run's.
      const ours = new Set(result.files.map((f) => f.name));
      const others = (await readdir(flags.out)).filter((name) => name.endsWith('.xml') && !ours.has(name));
      if (others.length > 0) log(`note: ${flags.out} also holds ${others.length} other .xml file(s), e.g. ${others[0]}`);
    });
}
