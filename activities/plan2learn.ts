// The Plan2Learn export (src/plan2learn) as one activity: read MO, write the five files to this worker's
// output folder, check the export guard against the files on Plan2Learn's server and ship — or report the
// hold. Nothing depends on another worker's disk, and no file passes through Temporal: a retry, or the run
// after an approval, reads MO and writes the files again on whichever worker takes it.
import { Context, log } from '@temporalio/activity';
import type { Settings } from '../src/config/load.js';
import { recordPlan2LearnFiles } from '../src/metrics/registry.js';
import { moClientFromSettings } from '../src/mo/index.js';
import type { ShrinkApproval, ShrinkHold } from '../src/plan2learn/guard.js';
import { runPlan2LearnExport } from '../src/plan2learn/run.js';
import { shipTargetFromSettings } from '../src/plan2learn/shipSettings.js';
import { heartbeating } from './support.js';

export interface Plan2LearnRunInput {
  /** Shrinks an operator approved after a hold (guard.ts); null: none. */
  approved: ShrinkApproval | null;
}

export interface Plan2LearnRunOutcome {
  /** The output folder on the worker that ran it. */
  dir: string;
  today: string;
  /** Each file's data rows, and the rows of the file it replaces on the server (null: none, or not shipping). */
  files: { name: string; rows: number; before: number | null }[];
  notes: number;
  /** Files shipped (0 when held or export only). */
  shipped: number;
  /** host:port of Plan2Learn's server; null when none is configured (export only). */
  target: string | null;
  /** Why nothing was shipped: the files past exporters.plan2learn.max_shrink_share; null when not held. */
  held: ShrinkHold | null;
}

export function plan2learnActivities(settings: Settings) {
  return {
    async plan2learnExportAndShip(input: Plan2LearnRunInput): Promise<Plan2LearnRunOutcome> {
      return heartbeating('reading OS2MO for Plan2Learn', async (beat) => {
        const target = shipTargetFromSettings(settings); // settings problems before MO is read
        const result = await runPlan2LearnExport(settings, {
          client: moClientFromSettings(settings),
          ship: target,
          approved: input.approved,
          log: (message) => log.info(message),
          onPage: (collection, objects) => {
            beat.stage(`reading ${collection}`);
            beat.progress(objects, 0);
          },
          shipOptions: {
            // A cancelled run stops retrying the server at once instead of after its minute of retries.
            signal: Context.current().cancellationSignal,
            onProgress: (name, bytes, total) => {
              beat.stage(`uploading ${name}`);
              beat.progress(bytes, total);
            },
          },
        });
        recordPlan2LearnFiles(result.manifest.files);
        return {
          dir: result.dir,
          today: result.manifest.today,
          files: result.manifest.files.map((f) => ({ name: f.name, rows: f.rows, before: result.onServer?.get(f.name) ?? null })),
          notes: result.notes.length,
          shipped: result.shipped?.length ?? 0,
          target: target === null ? null : `${target.host}:${target.port}`,
          held: result.held,
        };
      });
    },
  };
}
