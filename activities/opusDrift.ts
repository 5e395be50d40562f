// The drift check (src/opusRuns/drift.ts) as one activity: find the newest imported dump in Temporal's run
// history, plan it against MO with every record compared, write the report, and fix when asked (the workflow's
// input, else moflow.drift.fix). Only counts and a few lines go back into the history.
import { join } from 'node:path';
import { getClient, log } from '@temporalio/activity';
import { driftKeys } from '../src/config/schedules.js';
import type { OpusRunContext } from '../src/opusRuns/context.js';
import { checkDrift, newestImported, syncInTheWay, type DriftResult } from '../src/opusRuns/drift.js';
import { heartbeating } from './support.js';

export interface DriftCheckInput {
  /** Write the differences back; absent: the moflow.drift.fix setting. */
  fix?: boolean;
  /** When the check started (the workflow's start time, ISO): names the report file. */
  checkedAt: string;
}

export function opusDriftActivities(ctx: OpusRunContext) {
  return {
    async checkOpusDrift(input: DriftCheckInput): Promise<DriftResult> {
      return heartbeating('finding the newest imported dump', async (beat) => {
        const fix = input.fix ?? ctx.settings.get(driftKeys.fix) ?? false;
        const source = ctx.openSource();
        try {
          const busy = await syncInTheWay(getClient());
          const ref = busy === null ? await newestImported(getClient(), (await source.list()).dumps) : null;
          if (ref === null) {
            const note = busy ?? 'no dump has been imported yet (moflow opus status)';
            return { dump: null, previous: null, checkedAt: input.checkedAt, differences: 0, counts: {}, issues: 0, first: [], reportFile: null, fix: null, note };
          }
          const opened = await ctx.openImport((message) => (message.startsWith('DAR: ') ? log.debug(message) : log.info(message)));
          try {
            const result = await checkDrift(ctx.moClient(), source, ref, opened.settings, {
              fix,
              reportDir: join(ctx.dataDir, 'opus', 'drift'),
              journalDir: ctx.reportsDir,
              checkedAt: input.checkedAt,
              onStage: (stage) => beat.stage(stage),
              onProgress: (done, total) => beat.progress(done, total),
            });
            log.info(`drift check against ${ref.name}: ${result.differences} difference(s)${result.fix ? `, fixed ${result.fix.written}` : ''}; report ${result.reportFile}`);
            return result;
          } finally {
            await opened.close();
          }
        } finally {
          await source.close();
        }
      });
    },
  };
}
