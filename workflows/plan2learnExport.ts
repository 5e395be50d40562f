// The nightly Plan2Learn export: write the five files from OS2MO, then ship them over FTPES (when Plan2Learn's
// FTP server is configured). A transient shipping failure is retried; the files are not written again.
import { proxyActivities, upsertMemo } from '@temporalio/workflow';
import type { MoflowActivities } from '../activities/index.js';
import { longActivityOptions, type ActivityTuning } from './definitions.js';

export interface Plan2LearnExportInput {
  tuning?: ActivityTuning;
}

export interface Plan2LearnExportResult {
  dir: string;
  today: string;
  files: { name: string; rows: number }[];
  shipped: number;
  /** host:port shipped to; null when no FTP server is configured (export only). */
  target: string | null;
}

export async function plan2learnExport(input: Plan2LearnExportInput = {}): Promise<Plan2LearnExportResult> {
  const acts = proxyActivities<MoflowActivities>({ ...longActivityOptions(input.tuning), startToCloseTimeout: '1 hour', scheduleToCloseTimeout: input.tuning?.retryFor ?? '4 hours' });
  upsertMemo({ status: 'running', stage: 'writing files' });
  const written = await acts.plan2learnWriteFiles();
  upsertMemo({ status: 'running', stage: 'shipping' });
  const { shipped, target } = await acts.plan2learnShipFiles(written);
  const files = written.files.map((f) => ({ name: f.name, rows: f.rows }));
  const summary = `${files.map((f) => `${f.name} ${f.rows} rows`).join(', ')}; ${target ? `shipped ${shipped} files to ${target}` : 'not shipped (no Plan2Learn FTP server configured)'}`;
  upsertMemo({ status: 'done', stage: 'done', summary });
  return { dir: written.dir, today: written.today, files, shipped, target };
}
