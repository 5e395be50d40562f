// Many writes in few requests. The operations are cut, in order, into requests of `batchSize`, each a list
// of aliased single mutations. OS2MO runs the aliases of a request one after another in one transaction and
// rolls the whole request back when one fails (seen on OS2MO 66.1.2), and the requests are sent one after
// another, so operations may depend on earlier ones (a person, then their engagement) and a failure leaves
// everything before its request applied and nothing after.
//
// With `bulk`, a run of the same create/update that MO has a bulk mutation for (engagements_create, …) goes
// as one list instead. OS2MO 66 runs the inputs of a bulk mutation concurrently (asyncio.gather in
// mora/graphapi/mutators.py): two inputs for one object race, and the loser's relations (unit, job function)
// vanish from the object for good. So a run is cut before an operation whose object is already in it.
// Aliased singles are the default: they were also about 2.7x faster than bulk on moflow's first dump.
import { aliasOf, batchDocument, segmentOfAlias, variableOf } from './documents/batch.js';
import type { MutationSpec } from './documents/spec.js';
import { MoError } from './errors.js';
import { prepareOperation, type MoOperation, type PreparedOperation } from './operations.js';
import type { MoTransport } from './transport.js';

/** Writes per request and write requests in flight: chosen from `npm run bench:import:real` (README, "Speed"). */
export const DEFAULT_BATCH_SIZE = 200;
export const DEFAULT_REQUESTS_IN_FLIGHT = 8;

export interface WriteOptions {
  /** Operations per request (default 200). */
  batchSize?: number;
  /** Use the bulk mutations for runs of two or more writes of distinct objects (default false). */
  bulk?: boolean;
  /** After each request: operations done so far, and in all. */
  onProgress?: (done: number, total: number) => void;
}

export interface PlannedSegment {
  spec: MutationSpec;
  bulk: boolean;
  /** Index of the segment's first operation in the whole list. */
  first: number;
  count: number;
}

export interface PlannedBatch {
  first: number;
  count: number;
  segments: PlannedSegment[];
}

/** What planning needs of an operation: its mutation and the object it writes. */
export type PlanItem = Pick<PreparedOperation, 'spec' | 'uuid'>;

/** Cuts a list of mutations into requests and segments (pure, so the grouping is testable). */
export function planBatches(operations: readonly PlanItem[], batchSize = DEFAULT_BATCH_SIZE, bulk = false): PlannedBatch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const batches: PlannedBatch[] = [];
  for (let first = 0; first < operations.length; first += batchSize) {
    const count = Math.min(batchSize, operations.length - first);
    const segments: PlannedSegment[] = [];
    let i = first;
    while (i < first + count) {
      const { spec } = operations[i] as PlanItem;
      const run = bulk && spec.bulkField !== null ? bulkRun(operations, i, first + count) : 1;
      segments.push({ spec, bulk: run > 1, first: i, count: run });
      i += run;
    }
    batches.push({ first, count, segments });
  }
  return batches;
}

/** How many operations from `start` (before `end`) share its mutation and write distinct objects. */
function bulkRun(operations: readonly PlanItem[], start: number, end: number): number {
  const { spec } = operations[start] as PlanItem;
  const objects = new Set<string>();
  let run = 0;
  while (start + run < end) {
    const next = operations[start + run] as PlanItem;
    if (next.spec !== spec || (next.uuid !== null && objects.has(next.uuid))) break;
    if (next.uuid !== null) objects.add(next.uuid);
    run++;
  }
  return run;
}

/** Applies the operations in order; resolves to the uuid of each, in the same order. */
export async function writeOperations(transport: MoTransport, operations: readonly MoOperation[], options: WriteOptions = {}): Promise<string[]> {
  // Map every input first: a bad date fails here, before anything is written.
  const prepared = operations.map(prepareOperation);
  const plan = planBatches(prepared, options.batchSize, options.bulk ?? false);
  const uuids: string[] = [];
  for (const batch of plan) {
    const document = batchDocument(batch.segments);
    const variables: Record<string, unknown> = {};
    batch.segments.forEach((segment, s) => {
      variables[variableOf(s)] = segment.bulk
        ? prepared.slice(segment.first, segment.first + segment.count).map((p) => p.variable)
        : prepared[segment.first]?.variable;
    });
    let data: Record<string, unknown>;
    try {
      data = await transport.request<Record<string, unknown>>(document, variables);
    } catch (error) {
      throw error instanceof MoError ? placeError(error, batch) : error;
    }
    batch.segments.forEach((segment, s) => {
      const answer = data[aliasOf(s)];
      const got = segment.bulk ? (Array.isArray(answer) ? answer : []) : [answer];
      if (got.length !== segment.count || got.some((g) => typeof (g as { uuid?: unknown } | null)?.uuid !== 'string')) {
        throw new MoError({
          kind: 'graphql',
          operationName: document.operationName,
          description: `${aliasOf(s)} answered ${got.length} uuids for ${segment.count} operations`,
        }).inBatch({ alias: aliasOf(s), field: segmentField(segment), operationIndexes: indexes(segment), committedBefore: batch.first + batch.count });
      }
      for (const g of got) uuids.push((g as { uuid: string }).uuid);
    });
    options.onProgress?.(batch.first + batch.count, operations.length);
  }
  return uuids;
}

const segmentField = (segment: PlannedSegment): string => (segment.bulk ? (segment.spec.bulkField as string) : segment.spec.field);

const indexes = (segment: { first: number; count: number }): number[] => Array.from({ length: segment.count }, (_, k) => segment.first + k);

/** Which of the caller's operations the error belongs to: the failing alias, else the whole request. */
function placeError(error: MoError, batch: PlannedBatch): MoError {
  const s = segmentOfAlias(error.path?.[0]);
  const segment = s === null ? undefined : batch.segments[s];
  if (s === null || !segment) {
    return error.inBatch({ alias: null, field: null, operationIndexes: indexes(batch), committedBefore: batch.first });
  }
  // A bulk mutation may report the failing list element as the next path entry.
  const element = segment.bulk && typeof error.path?.[1] === 'number' ? error.path[1] : null;
  const operationIndexes = element !== null && element < segment.count ? [segment.first + element] : indexes(segment);
  return error.inBatch({ alias: aliasOf(s), field: segmentField(segment), operationIndexes, committedBefore: batch.first });
}
