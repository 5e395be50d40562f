// `moflow opus reimport <employmentId> --direct [--days N] [--dry-run]`: the one-employment re-import run in
// this process, without Temporal (src/sync/reimport.ts). Without --direct the command asks the Temporal
// control workflow to do the same (src/cli/opusRuns.ts).
import { loadSettings } from '../config/load.js';
import { dumpSourceConfig, opusImportOptions } from '../config/opus.js';
import { openDarResolver } from '../dar/open.js';
import { openDumpSource } from '../sources/index.js';
import { importSettings } from '../sync/importDump.js';
import { planDetails } from '../sync/planText.js';
import { reimportEmployment, type ReimportReport } from '../sync/reimport.js';
import { interactiveMoClient } from './moClient.js';
import { log } from './output.js';

export async function runDirectReimport(settingsPath: string | undefined, employmentId: string, options: { days: number; dryRun: boolean }): Promise<void> {
  const settings = loadSettings({ settingsPath });
  const source = openDumpSource(dumpSourceConfig(settings));
  const dar = await openDarResolver(settings, { log });
  try {
    const config = importSettings(opusImportOptions(settings), { postal: dar.resolver });
    const report = await reimportEmployment(interactiveMoClient(settings), source, employmentId, { ...options, onStage: log }, config);
    process.stdout.write(`${reimportText(report)}\n`);
    if (report.failures.length > 0) process.exitCode = 1;
  } finally {
    await dar.close();
    await source.close();
  }
}

/** The report for an operator: what was replayed from which dump, the counts, failures and issues. */
export function reimportText(report: ReimportReport, limit = 50): string {
  const lines = [
    `${report.dryRun ? 'dry run: ' : ''}re-import of employment ${report.employmentId} from the dumps since ${report.since} (${report.dumpsRead} read, ${report.imported.length} replayed)`,
  ];
  for (const step of report.imported) lines.push(`  ${step.dump}: ${step.why}; ${step.writes} write(s)${report.dryRun ? ' planned' : ''}`);
  if (report.dryRun) {
    lines.push('each plan is against MO as it is now; applied in order, later plans would build on the earlier ones');
    report.plans.forEach((plan) => lines.push(`${plan.dump}:`, planDetails({ ...plan, issues: [] }, limit)));
  } else {
    for (const [kind, counts] of Object.entries(report.counts).sort()) lines.push(`  ${kind.padEnd(12)} ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  if (report.failures.length > 0) {
    lines.push(`failures (${report.failures.length}):`);
    for (const f of report.failures.slice(0, limit)) lines.push(`  ${f.write} ${f.subject}: ${f.reason}`);
  }
  if (report.issues.length > 0) {
    lines.push(`issues (${report.issues.length}):`);
    for (const issue of report.issues.slice(0, limit)) lines.push(`  ${issue.message}`);
  }
  return lines.join('\n');
}
