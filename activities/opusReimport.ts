// The one-employment re-import (src/opusRuns/reimportEmployee.ts) as an activity.
import { log } from '@temporalio/activity';
import type { OpusRunContext } from '../src/opusRuns/context.js';
import { LISTED } from '../src/opusRuns/importSteps.js';
import { reimportEmployee, type ReimportRequest, type ReimportResult } from '../src/opusRuns/reimportEmployee.js';
import { heartbeating } from './support.js';

export function opusReimportActivities(ctx: OpusRunContext) {
  return {
    async reimportOneEmployee(request: ReimportRequest): Promise<ReimportResult> {
      return heartbeating(`re-importing employment ${request.employmentId}`, async (beat) => {
        const opened = await ctx.openImport((message) => log.info(message));
        const source = ctx.openSource();
        try {
          const result = await reimportEmployee(ctx.moClient(), source, opened.settings, request, { onStage: (stage) => beat.stage(stage) });
          return { ...result, failures: result.failures.slice(0, LISTED) };
        } finally {
          await source.close();
          await opened.close();
        }
      });
    },
  };
}
