// `moflow opus plan` (dry run) and `moflow opus apply` (one dump, directly, without Temporal). Nightly runs
// go through Temporal (`moflow opus import`); these are for operators and first-time checks.
import type { Command } from 'commander';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { ConfigError, loadSettings, type Settings } from '../config/load.js';
import { moClientConfig } from '../config/mo.js';
import { dumpSourceConfig, opusImportOptions } from '../config/opus.js';
import { openDarResolver } from '../dar/open.js';
import { interactiveMoClient } from './moClient.js';
import { dataDirOf } from '../config/dataDir.js';
import { digestsOf } from '../opusRuns/context.js';
import { join } from 'node:path';
import { appendJournal } from '../opusRuns/journal.js';
import { probeMoAndDar } from './preflight.js';
import { openDumpSource } from '../sources/index.js';
import type { DumpSource } from '../sources/types.js';
import { importDump, importSettings, MassChangeRefused, planDump, type DumpRef } from '../sync/importDump.js';
import { planDetails, planSummary, reportSummary } from '../sync/planText.js';
import { log, progress, settingsPathOf, UsageError } from './output.js';

interface DumpOptions {
  dump?: string;
  previous?: string;
  full?: boolean;
}

export function registerImportCommands(opus: Command): void {
  withDumpOptions(opus.command('plan'))
    .description('show what importing a dump would write to MO, without writing')
    .option('--json <file>', 'write the whole plan as JSON to a file')
    .option('--limit <n>', 'how many issues and writes to print', '50')
    .action(async (opts: DumpOptions & { json?: string; limit: string }, command: Command) => {
      const { settings, source } = open(command);
      await probeMoAndDar(settings);
      const dar = await openDarResolver(settings, { log });
      try {
        const ref = await resolveDump(source, opts);
        const config = importSettings(opusImportOptions(settings), { full: opts.full ?? false, postal: dar.resolver, digests: digestsOf(settings) });
        const { plan } = await planDump(interactiveMoClient(settings), source, ref, config, (what) => log(what));
        process.stdout.write(`${planSummary(plan, config.guard, opts.full ? null : ref.previous)}\n${planDetails(plan, Number(opts.limit) || 50)}\n`);
        if (opts.json) {
          // It holds CPR numbers (the people to create): readable by this user only.
          writeFileSync(opts.json, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
          chmodSync(opts.json, 0o600);
          log(`the plan is in ${opts.json} (readable by this user only: it holds CPR numbers)`);
        }
      } finally {
        await dar.close();
        await source.close();
      }
    });

  withDumpOptions(opus.command('apply'))
    .description('import one dump into MO now, without Temporal (nightly runs use `moflow opus import`)')
    .option('--approve-mass-change', 'apply even when the plan would end more than the allowed share of engagements or units')
    .action(async (opts: DumpOptions & { approveMassChange?: boolean }, command: Command) => {
      const { settings, source } = open(command);
      await probeMoAndDar(settings);
      const dar = await openDarResolver(settings, { log });
      try {
        const ref = await resolveDump(source, opts);
        const config = {
          ...importSettings(opusImportOptions(settings), { full: opts.full ?? false, postal: dar.resolver, digests: digestsOf(settings) }),
          approveMassChange: opts.approveMassChange ?? false,
        };
        const bar = progress('writing to MO');
        const { report } = await importDump(interactiveMoClient(settings), source, ref, config, {
          onStep: (what) => log(what),
          onProgress: (done, total) => bar.update(done, total),
        });
        bar.done();
        // `opus history` tells of direct runs too.
        appendJournal(join(dataDirOf(settings), 'opus', 'reports'), ref.name, 'apply', report.journal ?? []);
        const fullList = report.failures.length > 0 ? writeFailures(settings, report) : undefined;
        process.stdout.write(`${reportSummary(report, fullList ? { fullList } : {})}\n${dar.summary()}\n`);
        if (report.failures.length > 0) process.exitCode = 1;
      } catch (error) {
        if (!(error instanceof MassChangeRefused)) throw error;
        log(`moflow: ${error.message}.\nCheck the plan (moflow opus plan), then apply with --approve-mass-change if it is right.`);
        process.exitCode = 3;
      } finally {
        await dar.close();
        await source.close();
      }
    });
}

function withDumpOptions(command: Command): Command {
  return command
    .option('--dump <name>', 'the dump to import (default: the newest)')
    .option('--previous <name>', 'the dump imported before it (default: the one before it in the source)')
    .option('--full', 'compare every record with MO, not only what changed since the previous dump');
}

/**
 * Settings first: everything plan and apply need is checked, and every problem said at once, before anything
 * starts (the DAR cache's database, DAR, the dump source).
 */
function open(command: Command): { settings: Settings; source: DumpSource } {
  const settings = loadSettings({ settingsPath: settingsPathOf(command) });
  const problems: string[] = [];
  const check = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  check(() => opusImportOptions(settings));
  check(() => moClientConfig(settings));
  const sourceConfig = check(() => dumpSourceConfig(settings));
  if (problems.length > 0 || !sourceConfig) throw new ConfigError(problems);
  return { settings, source: openDumpSource(sourceConfig) };
}

async function resolveDump(source: DumpSource, opts: DumpOptions): Promise<DumpRef> {
  const { dumps } = await source.list();
  if (dumps.length === 0) throw new UsageError(`${source.description} holds no dumps; check integrations.opus.import.xml_path (or the SMB/GCS settings)`);
  const index = opts.dump ? dumps.findIndex((d) => d.name === opts.dump) : dumps.length - 1;
  if (index < 0) throw new UsageError(`${opts.dump} is not a dump in ${source.description} (moflow opus dumps lists them)`);
  const previous = opts.previous ?? (index > 0 ? dumps[index - 1]!.name : null);
  return { name: dumps[index]!.name, previous };
}

/** Every refused write of a direct run, as JSON under the data folder (the summary lists the first 50). */
function writeFailures(settings: Settings, report: { dump: string; failures: unknown[] }): string {
  const dir = join(dataDirOf(settings), 'opus', 'reports');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${report.dump}.apply-failures.json`);
  // The subjects name people: readable by this user only.
  writeFileSync(path, `${JSON.stringify(report.failures, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

