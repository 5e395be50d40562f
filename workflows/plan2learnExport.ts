// The nightly Plan2Learn export: one activity reads OS2MO, writes the five files and ships them over FTPES or
// SFTP (when Plan2Learn's server is configured) on whichever worker takes it. When the export guard holds
// the shipment (a file would lose more than exporters.plan2learn.max_shrink_share of its rows, or become
// empty), the run waits for `approveExport` (`moflow plan2learn approve`); then the activity runs again —
// fresh from MO — and ships, accepting each held file down to the rows approved. A file that shrinks further
// holds it again. The memo says where the run stands ('held' with the reason); the result says what was held
// and who approved it.
import { condition, proxyActivities, setCurrentDetails, setHandler, upsertMemo } from '@temporalio/workflow';
import type { MoflowActivities } from '../activities/index.js';
import type { Plan2LearnRunOutcome } from '../activities/plan2learn.js';
import { approvalOf, type ShrinkApproval, type ShrinkHold } from '../src/plan2learn/guard.js';
import { alert } from './alert.js';
import { approveExport, longActivityOptions, messageOf, type ActivityTuning } from './definitions.js';

export interface Plan2LearnExportInput {
  tuning?: ActivityTuning;
}

export interface Plan2LearnExportResult {
  /** The output folder on the worker that wrote the files shipped. */
  dir: string;
  today: string;
  files: { name: string; rows: number; before: number | null }[];
  shipped: number;
  /** host:port shipped to; null when no Plan2Learn server is configured (export only). */
  target: string | null;
  /** The last hold an operator approved before the shipment; null when it was never held. */
  held: ShrinkHold | null;
  /** Who approved `held`; null when it was never held. */
  approvedBy: string | null;
}

export async function plan2learnExport(input: Plan2LearnExportInput = {}): Promise<Plan2LearnExportResult> {
  const acts = proxyActivities<MoflowActivities>({ ...longActivityOptions(input.tuning), startToCloseTimeout: '1 hour', scheduleToCloseTimeout: input.tuning?.retryFor ?? '4 hours' });
  let holding: ShrinkHold | null = null;
  let approval: string | null = null;
  setHandler(approveExport, (given) => {
    // Only a hold can be approved: an early signal must not wave through a shrink nobody has seen.
    if (holding !== null) approval = given?.by ?? 'an operator';
  });
  const show = (status: string, stage: string, extra: Record<string, unknown> = {}) => {
    setCurrentDetails(`Plan2Learn export: ${stage}`);
    upsertMemo({ status, stage, reason: null, ...extra });
  };

  let approved: ShrinkApproval | null = null;
  let held: ShrinkHold | null = null;
  let approvedBy: string | null = null;
  show('running', 'writing and shipping the files');
  let outcome: Plan2LearnRunOutcome;
  for (;;) {
    try {
      outcome = await acts.plan2learnExportAndShip({ approved });
    } catch (error) {
      await alert({ kind: 'export-failed', stream: 'plan2learn', dump: null, reason: messageOf(error) }, input.tuning);
      throw error;
    }
    if (outcome.held === null) break;
    holding = outcome.held;
    show('held', 'waiting for approval (moflow plan2learn approve)', { reason: outcome.held.reason });
    await alert({ kind: 'export-held', stream: 'plan2learn', dump: null, reason: outcome.held.reason }, input.tuning);
    await condition(() => approval !== null);
    held = holding;
    approvedBy = approval;
    approved = approvalOf(holding, approved);
    holding = null;
    approval = null;
    show('running', `writing and shipping the files (shrink approved by ${approvedBy})`, { approvedBy });
  }

  const files = outcome.files;
  const shippedText = outcome.target ? `shipped ${outcome.shipped} files to ${outcome.target}` : 'not shipped (no Plan2Learn server configured)';
  const summary = `${files.map((f) => `${f.name} ${f.rows} rows`).join(', ')}; ${shippedText}${approvedBy ? ` (shrink approved by ${approvedBy}: ${held!.reason})` : ''}`;
  show('done', 'done', { summary, ...(approvedBy ? { approvedBy, held: held!.reason } : {}) });
  await alert({ kind: 'ok', stream: 'plan2learn', dump: null, reason: '' }, input.tuning);
  return { dir: outcome.dir, today: outcome.today, files, shipped: outcome.shipped, target: outcome.target, held, approvedBy };
}
