// Which of a phase's write requests may be in flight at once. A request is a list of writes MO applies in
// order, so writes in one request may depend on each other; two requests at once may not. A request waits
// for the earlier ones that write an object it writes or refers to (a unit's parent written in the same
// phase, an IT user's engagement, the same engagement twice): everything else of a phase is independent, since
// phases run one after another (plan/types.ts). Phases whose order is not expressed in the writes' inputs
// (units narrowed children first, classes before what refers to them) go one request at a time.
import type { Phase, PlanOp } from './plan/types.js';

export interface ScheduledBatch {
  ops: PlanOp[];
  /** Indexes of earlier batches that must be done before this one is sent. */
  after: number[];
}

/** Phases written strictly in order: their writes' inputs do not name what they must follow. */
const SEQUENTIAL: ReadonlySet<Phase> = new Set<Phase>(['catalog', 'unitEndings']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Cuts one phase's writes, in order, into requests of at most `batchSize` and says which must wait for which.
 * With `inFlight` requests at once, the number of requests is a multiple of `inFlight` and their sizes differ
 * by at most one: 2,000 writes at 200 × 8 as ten requests would leave six of eight slots idle for the
 * second half of the phase, while sixteen of 125 keep MO's workers busy to the end of it.
 */
export function scheduleBatches(phase: Phase, ops: readonly PlanOp[], batchSize: number, inFlight = 1): ScheduledBatch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(inFlight) || inFlight < 1) throw new RangeError(`requests in flight must be a positive integer, got ${inFlight}`);
  const written = new Set<string>();
  for (const op of ops) {
    const own = ownUuid(op);
    if (own) written.add(own);
  }
  const batches: ScheduledBatch[] = [];
  /** Per object: the last batch that writes it or refers to it. */
  const lastTouch = new Map<string, number>();
  const sizes = requestSizes(ops.length, batchSize, SEQUENTIAL.has(phase) ? 1 : inFlight);
  for (let k = 0, first = 0; k < sizes.length; first += sizes[k]!, k++) {
    const batch: ScheduledBatch = { ops: ops.slice(first, first + sizes[k]!), after: [] };
    const after = new Set<number>();
    if (SEQUENTIAL.has(phase) && k > 0) after.add(k - 1);
    for (const op of batch.ops) {
      for (const uuid of uuidsIn(op.op.input)) {
        if (!written.has(uuid)) continue;
        const j = lastTouch.get(uuid);
        if (j !== undefined && j !== k) after.add(j);
        lastTouch.set(uuid, k);
      }
    }
    batch.after = [...after].sort((a, b) => a - b);
    batches.push(batch);
  }
  return batches;
}

/** `n` writes as requests of at most `batchSize`, their count a multiple of `inFlight` where `n` allows. */
export function requestSizes(n: number, batchSize: number, inFlight: number): number[] {
  if (n === 0) return [];
  const atLeast = Math.ceil(n / batchSize);
  const count = Math.min(n, Math.ceil(atLeast / inFlight) * inFlight);
  const base = Math.floor(n / count);
  return Array.from({ length: count }, (_, k) => base + (k < n % count ? 1 : 0));
}

function ownUuid(op: PlanOp): string | null {
  const uuid = (op.op.input as { uuid?: unknown }).uuid;
  return typeof uuid === 'string' ? uuid : null;
}

/** Every uuid in a write's input (its own, and those it refers to), at any depth. */
function uuidsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (UUID.test(value)) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) uuidsIn(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) uuidsIn(v, out);
  }
  return out;
}
