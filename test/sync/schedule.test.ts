// Which write requests may be in flight at once: only those that share no object written in the phase.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MoOperation } from '../../src/mo/index.js';
import type { Phase, PlanOp } from '../../src/sync/plan/types.js';
import { requestSizes, scheduleBatches } from '../../src/sync/schedule.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const UNIT_TYPE = uuid(999);
const op = (phase: Phase, operation: { kind: string; action: string; input: Record<string, unknown> }): PlanOp =>
  ({ op: operation as unknown as MoOperation, phase, subject: { kind: 'unit', opusId: null, label: 'x' }, reason: 'test', needs: [] }) as PlanOp;
const unit = (n: number, parent: number | null) =>
  op('units', { kind: 'orgUnit', action: 'create', input: { uuid: uuid(n), name: `u${n}`, userKey: `${n}`, parentUuid: parent === null ? null : uuid(parent), unitTypeUuid: UNIT_TYPE, from: '2020-01-01', to: null } });
const engagement = (n: number, unitNo: number) =>
  op('engagements', { kind: 'engagement', action: 'update', input: { uuid: uuid(n), orgUnitUuid: uuid(unitNo), from: '2024-01-01', to: null } });

describe('scheduleBatches', () => {
  it('lets requests that share no object of the phase go at once, whatever else they refer to', () => {
    // Every engagement refers to unit 1 and the same class, none of which the phase writes.
    const ops = Array.from({ length: 10 }, (_, i) => engagement(100 + i, 1));
    const batches = scheduleBatches('engagements', ops, 3);
    assert.deepEqual(batches.map((b) => b.ops.length), [3, 3, 2, 2]);
    assert.deepEqual(batches.map((b) => b.after), [[], [], [], []]);
  });

  it('cuts a phase into a multiple of the requests in flight, of even size, so no slot idles at its end', () => {
    assert.deepEqual(requestSizes(2000, 200, 8), Array(16).fill(125));
    assert.deepEqual(requestSizes(2000, 200, 4), [167, 167, 167, 167, 167, 167, 167, 167, 166, 166, 166, 166]);
    assert.deepEqual(requestSizes(2000, 200, 1), Array(10).fill(200));
    assert.deepEqual(requestSizes(3, 200, 8), [1, 1, 1]);
    assert.deepEqual(requestSizes(0, 200, 8), []);
    for (const [n, size, flight] of [[9535, 200, 4], [17, 5, 3], [1, 1, 8]] as const) {
      const sizes = requestSizes(n, size, flight);
      assert.equal(sizes.reduce((a, b) => a + b, 0), n);
      assert.ok(Math.max(...sizes) <= size && Math.max(...sizes) - Math.min(...sizes) <= 1);
    }
    const ops = Array.from({ length: 2000 }, (_, i) => engagement(100 + i, 1));
    assert.equal(scheduleBatches('engagements', ops, 200, 8).length, 16);
    // The phases written in order gain nothing from more requests.
    const ends = Array.from({ length: 10 }, (_, n) => op('unitEndings', { kind: 'orgUnit', action: 'terminate', input: { uuid: uuid(n), to: '2024-01-01' } }));
    assert.equal(scheduleBatches('unitEndings', ends, 5, 8).length, 2);
  });

  it('makes a request wait for the last earlier one that writes an object it writes or refers to', () => {
    // 2 under 1, 3 under 2 (in the second request), 4 unrelated, 5 under 3 (in the third).
    const ops = [unit(1, null), unit(2, 1), unit(4, null), unit(3, 2), unit(6, null), unit(7, null), unit(5, 3)];
    const batches = scheduleBatches('units', ops, 2);
    assert.deepEqual(
      batches.map((b) => b.ops.map((o) => (o.op.input as { userKey: string }).userKey)),
      [['1', '2'], ['4', '3'], ['6', '7'], ['5']],
    );
    assert.deepEqual(batches.map((b) => b.after), [[], [0], [], [1]]);
  });

  it('orders two writes of one object, even in non-adjacent requests', () => {
    const ops = [engagement(100, 1), engagement(101, 1), engagement(102, 1), engagement(100, 2)];
    assert.deepEqual(scheduleBatches('engagements', ops, 1).map((b) => b.after), [[], [], [], [0]]);
  });

  it('sends the phases whose order the inputs do not show one request at a time', () => {
    const ends = [1, 2, 3].map((n) => op('unitEndings', { kind: 'orgUnit', action: 'terminate', input: { uuid: uuid(n), to: '2024-01-01' } }));
    assert.deepEqual(scheduleBatches('unitEndings', ends, 1).map((b) => b.after), [[], [0], [1]]);
    assert.deepEqual(scheduleBatches('endings', ends, 1).map((b) => b.after), [[], [], []]);
  });

  it('refuses a batch size that is not a positive integer', () => {
    assert.throws(() => scheduleBatches('units', [], 0), /positive integer/);
    assert.throws(() => scheduleBatches('units', [], 200, 0), /positive integer/);
  });
});
