// `moflow opus …`: the OPUS dumps — list them, check one, compare two, generate synthetic ones.
import type { Command } from 'commander';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { loadSettings } from '../config/load.js';
import { describeSource, dumpSourceConfig } from '../config/opus.js';
import { compareDumps, type ChangeSet } from '../opus/compare.js';
import { readDump } from '../opus/reader.js';
import { formatDiagnostic, type DumpEntry } from '../opus/records.js';
import { openDumpSource } from '../sources/index.js';
import { DumpSourceError, type DumpSource } from '../sources/types.js';
import { registerCheckAddressesCommand } from './checkAddresses.js';
import { registerGenerateCommand } from './opusGenerate.js';
import { registerDriftCommand } from './opusDrift.js';
import { registerHistoryCommand } from './opusHistory.js';
import { registerImportCommands } from './opusImport.js';
import { registerRebuildCommand } from './opusRebuild.js';
import { registerOpusRunCommands } from './opusRuns.js';
import { registerPrimaryCommand } from './opusPrimary.js';
import { dumpTime } from '../util/shownTime.js';
import { log, progress, settingsPathOf } from './output.js';

export function registerOpusCommands(program: Command): void {
  const opus = program.command('opus').description('OPUS Løn dumps and their import into OS2MO');

  opus
    .command('dumps')
    .description("list the configured source's dumps, oldest first, and the files that are not dumps")
    .action(async (_opts, command: Command) => {
      await withSource(command, async (source) => {
        const listing = await source.list();
        log(`${listing.dumps.length} dump(s) in ${source.description}`);
        for (const d of listing.dumps) {
          process.stdout.write(`${d.name}\t${dumpTime(d.timestamp)}\t${formatBytes(d.size)}\n`);
        }
        for (const f of listing.ignored) log(`warning: ignored ${f.name}: ${f.reason}`);
      });
    });

  opus
    .command('check')
    .argument('[dump]', 'a dump name in the configured source, or a file path (default: the newest dump)')
    .description('read one dump and report every record that cannot be imported, with file, line and OPUS id')
    .option('--strict', 'exit with status 1 when any record is rejected')
    .action(async (dump: string | undefined, opts: { strict?: boolean }, command: Command) => {
      await withDumps(command, [dump], async ([entries]) => {
        const counts = { orgUnit: 0, employment: 0, leave: 0, rejected: 0 };
        for await (const entry of entries!) {
          counts[entry.kind]++;
          if (entry.kind === 'rejected') for (const d of entry.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
        }
        log(`${counts.orgUnit} units, ${counts.employment} employments, ${counts.leave} leave stubs, ${counts.rejected} rejected`);
        if (opts.strict && counts.rejected > 0) process.exitCode = 1;
      });
    });

  opus
    .command('diff')
    .argument('<previous>', 'the older dump (name in the source, or a file path)')
    .argument('<current>', 'the newer dump (name in the source, or a file path)')
    .description('compare two dumps as the import does: new, changed, unchanged, gone and invalid ids')
    .option('--ids', 'print the ids, not only the counts')
    .action(async (previous: string, current: string, opts: { ids?: boolean }, command: Command) => {
      await withDumps(command, [previous, current], async ([before, after]) => {
        const diff = await compareDumps(before!, after!);
        printChangeSet('units', diff.orgUnits, opts.ids ?? false);
        printChangeSet('employees', diff.employees, opts.ids ?? false);
        for (const d of diff.diagnostics) log(formatDiagnostic(d));
      });
    });

  registerGenerateCommand(opus);
  registerImportCommands(opus);
  registerOpusRunCommands(opus);
  registerHistoryCommand(opus);
  registerDriftCommand(opus);
  registerRebuildCommand(opus);
  registerPrimaryCommand(opus);
  registerCheckAddressesCommand(opus);
}

function printChangeSet(label: string, set: ChangeSet, ids: boolean): void {
  for (const state of ['new', 'changed', 'unchanged', 'gone', 'invalid'] as const) {
    const list = set[state];
    process.stdout.write(`${label} ${state}: ${list.length}${ids && list.length > 0 ? `\t${list.join(' ')}` : ''}\n`);
  }
}

async function withSource(command: Command, fn: (source: DumpSource) => Promise<void>): Promise<void> {
  const settings = loadSettings({ settingsPath: settingsPathOf(command) });
  const config = dumpSourceConfig(settings);
  const source = openDumpSource(config);
  log(`reading ${describeSource(config)}`);
  try {
    await fn(source);
  } finally {
    await source.close();
  }
}

/**
 * Opens dumps given as file paths or as names in the configured source (`undefined` = the newest), as
 * entry streams with read progress. The source is only configured when a name is not an existing file.
 */
async function withDumps(
  command: Command,
  refs: (string | undefined)[],
  fn: (entries: AsyncIterable<DumpEntry>[]) => Promise<void>,
): Promise<void> {
  const isFile = (ref: string | undefined) => ref !== undefined && existsSync(ref) && statSync(ref).isFile();
  const open = async (ref: string | undefined, source: DumpSource | null) => {
    if (isFile(ref)) return entriesOf(createReadStream(ref!, { highWaterMark: 1 << 20 }), basename(ref!), statSync(ref!).size);
    const listing = await source!.list();
    const dump = ref === undefined ? listing.dumps.at(-1) : listing.dumps.find((d) => d.name === ref);
    if (!dump) {
      throw new DumpSourceError(
        ref === undefined
          ? `${source!.description} holds no dumps. Fix: check the source settings (moflow config show).`
          : `${ref} is neither a file nor a dump in ${source!.description}. Fix: \`moflow opus dumps\` lists the dumps.`,
      );
    }
    return entriesOf(await source!.open(dump.name), dump.name, dump.size);
  };
  if (refs.every(isFile)) {
    await fn(await Promise.all(refs.map((r) => open(r, null))));
    return;
  }
  await withSource(command, async (source) => fn(await Promise.all(refs.map((r) => open(r, source)))));
}

async function* entriesOf(stream: Readable, file: string, size: number): AsyncGenerator<DumpEntry> {
  const bar = progress(`reading ${file}`);
  async function* counted() {
    let bytes = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      bar.update(bytes, size);
      yield chunk;
    }
  }
  yield* readDump(counted(), { file });
  bar.done();
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
