// The sync's look at where things stand: the source's dumps against the run history in Temporal.
import { getClient } from '@temporalio/activity';
import type { OpusRunContext } from '../src/opusRuns/context.js';
import { opusImportOptions } from '../src/config/opus.js';
import { recordDumpsPending } from '../src/metrics/registry.js';
import { syncState, type SyncState } from '../src/temporal/opusSyncState.js';
import { heartbeating } from './support.js';

export function opusSyncActivities(ctx: OpusRunContext) {
  return {
    async opusSyncState(input: { self: string; resume: boolean; limit: number }): Promise<SyncState & { municipality: string }> {
      return heartbeating('listing dumps', async () => {
        const municipality = opusImportOptions(ctx.settings).municipalityName;
        const source = ctx.openSource();
        try {
          const { dumps } = await source.list();
          const state = await syncState(getClient(), dumps, input);
          if (state.otherSync === null) recordDumpsPending(state.waiting);
          return { municipality, ...state };
        } finally {
          await source.close();
        }
      });
    },
  };
}
