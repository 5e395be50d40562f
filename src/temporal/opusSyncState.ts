// What the OPUS sync does next, from the source's dumps and the run history in Temporal, as DIPEX's
// next_xml_file did from run_db: the dumps newer than the newest one imported or skipped, strictly oldest
// first; the import compares each with the newest imported (not skipped) dump before it. A dump whose import
// failed for good blocks every later dump until an operator resumes or skips it.
import type { Client } from '@temporalio/client';
import type { DumpName } from '../opus/dumpName.js';
import { fromCopenhagenWallTime } from '../util/copenhagenClock.js';
import { parseDumpName } from '../opus/dumpName.js';
import { currentGeneration, dumpRunState, runningSyncs, type DumpRunState } from './opusHistory.js';

export interface NextDump {
  name: string;
  /** KMD's local timestamp, YYYY-MM-DDTHH:MM:SS. */
  timestamp: string;
  /** The same moment as an instant (ISO, UTC), for the Datetime search attribute. */
  instant: string;
}

export interface SyncState {
  /** Another sync started before this one and still runs: this one must not import. */
  otherSync: string | null;
  /** The next dumps to import, oldest first (at most `limit`). */
  next: NextDump[];
  /** How many dumps wait in all. */
  waiting: number;
  /** The dump the first of `next` is compared with; null when nothing was imported yet. */
  previous: string | null;
  /** The dump whose failed import holds the others back, and why; null when nothing blocks. */
  blocked: { dump: string; workflowId: string; reason: string } | null;
  /** The rebuild generation whose chain the sync continues (0: the original one); absent in older histories. */
  generation?: number;
}

export interface SyncStateOptions {
  /** This sync's workflow id, so it does not count itself. */
  self: string;
  /** Import a failed dump again instead of stopping at it (`moflow opus resume`). */
  resume: boolean;
  limit: number;
}

export async function syncState(client: Client, dumps: readonly DumpName[], options: SyncStateOptions): Promise<SyncState> {
  const syncs = await runningSyncs(client);
  const others = syncs.filter((s) => s.workflowId !== options.self);
  const selfRun = syncs.find((s) => s.workflowId === options.self);
  // Two syncs that start together must not both give way: the older one goes on.
  const older = others.find((o) => !selfRun || o.startTime < selfRun.startTime || (o.startTime.getTime() === selfRun.startTime.getTime() && o.workflowId < options.self));
  const empty = { next: [], waiting: 0, previous: null, blocked: null };
  if (older) return { otherSync: older.workflowId, ...empty };
  // After a rebuild, its chain is the one to continue: the original runs describe another MO's history.
  const chain = await currentGeneration(client);
  const from = chain.from === null ? null : parseDumpName(chain.from);
  const inChain = from?.ok ? dumps.filter((d) => d.timestamp >= from.dump.timestamp) : dumps;
  return { ...(await chainState(client, inChain, chain.generation, options)), generation: chain.generation };
}

async function chainState(client: Client, dumps: readonly DumpName[], generation: number, options: SyncStateOptions): Promise<SyncState> {
  // Newest first, until the newest imported dump: everything after the newest done one is still to do.
  const states = new Map<number, DumpRunState>();
  let done = -1;
  let previous: string | null = null;
  for (let i = dumps.length - 1; i >= 0; i--) {
    const state = await dumpRunState(client, dumps[i]!.timestamp, generation);
    states.set(i, state);
    if ((state.state === 'imported' || state.state === 'skipped') && done < 0) done = i;
    if (state.state === 'imported') {
      previous = dumps[i]!.name;
      break;
    }
  }
  const todo = dumps.slice(done + 1);
  const first = states.get(done + 1);
  if (first?.state === 'failed' && !options.resume) {
    return { otherSync: null, next: [], waiting: todo.length, previous, blocked: { dump: todo[0]!.name, workflowId: first.workflowId, reason: first.reason } };
  }
  if (first?.state === 'running') {
    const reason = `it is being imported by ${first.workflowId} (run ${first.runId}) since ${first.since.toISOString()}`;
    return { otherSync: null, next: [], waiting: todo.length, previous, blocked: { dump: todo[0]!.name, workflowId: first.workflowId, reason } };
  }
  return {
    otherSync: null,
    next: todo.slice(0, options.limit).map((d) => ({ name: d.name, timestamp: d.timestamp, instant: copenhagenInstant(d.timestamp) })),
    waiting: todo.length,
    previous,
    blocked: null,
  };
}

/** A naive Copenhagen wall-clock time (YYYY-MM-DDTHH:MM:SS) as an ISO instant (the offset is +01:00 or +02:00; a DST gap moves on an hour). */
export function copenhagenInstant(naive: string): string {
  const [y, mo, d, h, mi, s] = [naive.slice(0, 4), naive.slice(5, 7), naive.slice(8, 10), naive.slice(11, 13), naive.slice(14, 16), naive.slice(17, 19)].map(Number);
  return new Date(fromCopenhagenWallTime(y!, mo!, d!, h, mi, s)).toISOString();
}
