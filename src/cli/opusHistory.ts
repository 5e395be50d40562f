// `moflow opus history <employment-id>` / `--cpr <cpr>`: what every recorded run did to one employment or
// person, oldest first, from the journals the runs leave under the data folder (src/opusRuns/history.ts).
import type { Command } from 'commander';
import { join } from 'node:path';
import { dataDirOf } from '../config/dataDir.js';
import { loadSettings, type Settings } from '../config/load.js';
import { historyOf, type RunHistory } from '../opusRuns/history.js';
import { isWellFormedCpr, maskCpr } from '../util/cpr.js';
import { log, settingsPathOf } from './output.js';

export function registerHistoryCommand(opus: Command): void {
  opus
    .command('history')
    .argument('[employmentId]', 'the OPUS employment id (the engagement user key in MO)')
    .option('--cpr <cpr>', "a person's CPR number instead: every write to them under any employment (looked up in MO)")
    .option('--json', 'print the runs as JSON')
    .description('every recorded run that touched one employment or person, oldest first: what was written, why, and what failed')
    .action(async (employmentId: string | undefined, opts: { cpr?: string; json?: boolean }, command: Command) => {
      if ((employmentId === undefined) === (opts.cpr === undefined)) throw new Error('give an employment id or --cpr <cpr> (one of them)');
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      const reportsDir = join(dataDirOf(settings), 'opus', 'reports');
      const started = performance.now();
      const who = employmentId !== undefined ? `employment ${employmentId}` : `person ${maskCpr(opts.cpr)}`;
      const runs = employmentId !== undefined ? historyOf(reportsDir, { opusId: employmentId }) : historyOf(reportsDir, { persons: await personsByCpr(settings, opts.cpr!) });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ subject: who, runs }, null, 2)}\n`);
        return;
      }
      if (runs.length === 0) {
        log(`no recorded run touched ${who} (runs record their writes in ${reportsDir} since moflow 0.1; a dump imported before that is not listed)`);
        return;
      }
      process.stdout.write(runs.map(formatRun).join(''));
      log(`${who}: ${runs.length} run(s), ${runs.reduce((n, r) => n + r.writes.length, 0)} write(s), read in ${Math.round(performance.now() - started)} ms from ${reportsDir}`);
    });
}

function formatRun(run: RunHistory): string {
  const lines = [`${run.dump} (dump of ${run.timestamp.replace('T', ' ')}, KMD time)`];
  for (const w of run.writes) {
    const span = w.from || w.to ? ` ${w.from ?? '…'} → ${w.to ?? '∞'}` : '';
    lines.push(`  ${w.outcome.padEnd(10)} ${w.write}${span}: ${w.reason}${w.detail ? ` — ${w.detail}` : ''}  [${w.subject}, ${w.step} step, ${w.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}]`);
  }
  for (const issue of run.issues) lines.push(`  issue      ${issue}`);
  return `${lines.join('\n')}\n`;
}

/** The MO uuids of the person with this CPR number (normally one). */
async function personsByCpr(settings: Settings, cpr: string): Promise<string[]> {
  const digits = cpr.replace('-', '');
  if (!isWellFormedCpr(digits)) throw new Error(`--cpr needs a CPR number of 10 digits (DDMMYYXXXX), got ${maskCpr(digits)}`);
  // Loaded here: the MO client is only needed for --cpr.
  const { interactiveMoClient } = await import('./moClient.js');
  const people = await interactiveMoClient(settings).persons.byCprs([digits]);
  if (people.length === 0) throw new Error(`MO has no person with CPR number ${maskCpr(digits)}`);
  return people.map((p) => p.uuid);
}
