import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planTimeline, type MoPeriod, type TimelineWrite, type Wanted } from '../../src/sync/plan/timeline.js';

type V = { unit: string };
const X = '2024-03-01';
const opts = (anchored = true) => ({ effective: X, anchored, equal: (a: V, b: V) => a.unit === b.unit, describe: (a: V, b: V) => `unit ${a.unit} → ${b.unit}` });
const p = (from: string | null, to: string | null, unit = 'A'): MoPeriod<V> => ({ from, to, values: { unit } });
const w = (from: string, to: string | null, unit = 'A'): Wanted<V> => ({ from, to, values: { unit } });
const plan = (mo: MoPeriod<V>[], wanted: Wanted<V> | null, anchored = true) =>
  planTimeline(mo, wanted, opts(anchored)).map(({ reason: _r, ...rest }) => rest as Omit<TimelineWrite, 'reason'>);

/** Applies writes to periods the way MO does, to check that planning again finds nothing. */
function apply(mo: MoPeriod<V>[], writes: TimelineWrite[], wanted: Wanted<V> | null): MoPeriod<V>[] {
  const DAYS = ['0001-01-01', '2019-01-01', '2020-01-01', '2022-06-01', '2023-01-01', X, '2024-06-01', '2025-01-01', '2026-01-01', '9999-12-31'];
  const at = (day: string) => mo.find((q) => (q.from === null || q.from <= day) && (q.to === null || day < q.to));
  let state = DAYS.map((day) => ({ day, values: at(day)?.values ?? null }));
  for (const write of writes) {
    state = state.map((s) => {
      // terminate {to}: inactive from `to` on; terminate {from, to}: inactive on [from, to); update: [from, to).
      const hit =
        write.action === 'terminate'
          ? write.from === undefined
            ? s.day >= write.to
            : s.day >= write.from && s.day < write.to
          : s.day >= write.from && (write.to === null || s.day < write.to);
      if (!hit) return s;
      return { day: s.day, values: write.action === 'terminate' ? null : wanted!.values };
    });
  }
  const out: MoPeriod<V>[] = [];
  state.forEach((s, i) => {
    if (!s.values) return;
    const to = state.slice(i + 1).find((n) => n.values?.unit !== s.values!.unit)?.day ?? null;
    const last = out.at(-1);
    if (last && last.to === s.day && last.values.unit === s.values.unit) last.to = to;
    else if (!last || last.to !== null && last.to <= s.day) out.push({ from: s.day === '0001-01-01' ? null : s.day, to, values: s.values });
  });
  return out;
}

function converges(mo: MoPeriod<V>[], wanted: Wanted<V> | null, anchored = true) {
  const writes = planTimeline(mo, wanted, opts(anchored));
  const after = apply(mo, writes, wanted);
  assert.deepEqual(plan(after, wanted, anchored), [], `planning again after ${JSON.stringify(writes)} finds nothing (MO now ${JSON.stringify(after)})`);
}

describe('planning one object against MO', () => {
  it('creates what MO does not have, from the OPUS start, even in the past', () => {
    assert.deepEqual(plan([], w('2020-01-01', null)), [{ action: 'create', from: '2020-01-01', to: null }]);
    assert.deepEqual(plan([], w('2020-01-01', '2025-01-01')), [{ action: 'create', from: '2020-01-01', to: '2025-01-01' }]);
  });

  it('plans nothing when MO already holds what OPUS wants, with history before the dump date', () => {
    assert.deepEqual(plan([p('2020-01-01', null)], w('2020-01-01', null)), []);
    assert.deepEqual(plan([p('2020-01-01', '2023-01-01', 'OLD'), p('2023-01-01', null)], w('2020-01-01', null)), []);
    assert.deepEqual(plan([], null), []);
  });

  it('writes a change from the dump date and keeps the history before it', () => {
    assert.deepEqual(plan([p('2020-01-01', null)], w('2020-01-01', null, 'B')), [{ action: 'update', from: X, to: null }]);
    converges([p('2020-01-01', null)], w('2020-01-01', null, 'B'));
  });

  it('a future object is written from its own start', () => {
    assert.deepEqual(plan([p('2025-01-01', null)], w('2025-01-01', null, 'B')), [{ action: 'update', from: '2025-01-01', to: null }]);
  });

  it('terminates at the OPUS end, and extends when OPUS ends later', () => {
    assert.deepEqual(plan([p('2020-01-01', null)], w('2020-01-01', '2024-06-01')), [{ action: 'terminate', to: '2024-06-01' }]);
    assert.deepEqual(plan([p('2020-01-01', '2024-06-01')], w('2020-01-01', '2025-01-01')), [{ action: 'update', from: X, to: '2025-01-01' }]);
    assert.deepEqual(plan([p('2020-01-01', '2024-06-01')], w('2020-01-01', null)), [{ action: 'update', from: X, to: null }]);
    converges([p('2020-01-01', null)], w('2020-01-01', '2024-06-01'));
    converges([p('2020-01-01', '2024-06-01')], w('2020-01-01', null));
  });

  it('moves an anchored start later by terminating the period before it', () => {
    assert.deepEqual(plan([p('2020-01-01', null)], w('2022-06-01', null)), [{ action: 'terminate', from: '2020-01-01', to: '2022-06-01' }]);
    converges([p('2020-01-01', null)], w('2022-06-01', null));
    // to a future start: MO keeps only the part from that start
    converges([p('2020-01-01', null)], w('2025-01-01', null));
  });

  it('moves an anchored start earlier by filling the period before MO\'s start', () => {
    assert.deepEqual(plan([p('2022-06-01', null)], w('2020-01-01', null)), [{ action: 'update', from: '2020-01-01', to: '2022-06-01' }]);
    converges([p('2022-06-01', null)], w('2020-01-01', null));
    converges([p('2025-01-01', null)], w('2020-01-01', null, 'B'));
  });

  it('never moves the start of an object whose start OPUS does not give', () => {
    assert.deepEqual(plan([p('2022-06-01', null)], w(X, null), false), []);
    assert.deepEqual(plan([p('2019-01-01', null)], w(X, null), false), []);
  });

  it('fills a gap inside the wanted period', () => {
    const mo = [p('2020-01-01', '2024-06-01'), p('2025-01-01', null)];
    assert.deepEqual(plan(mo, w('2020-01-01', null)), [{ action: 'update', from: X, to: null }]);
    converges(mo, w('2020-01-01', null));
  });

  it('terminates from the dump date what OPUS no longer has, and leaves ended objects alone', () => {
    assert.deepEqual(plan([p('2020-01-01', null)], null), [{ action: 'terminate', to: X }]);
    assert.deepEqual(plan([p('2020-01-01', '2023-01-01')], null), []);
    assert.deepEqual(plan([p('2020-01-01', X)], null), []);
    // an object that had not started yet disappears entirely
    assert.deepEqual(plan([p('2025-01-01', null)], null), [{ action: 'terminate', to: '2025-01-01' }]);
    converges([p('2020-01-01', null)], null);
  });

  it('ends at the dump date for a leave (end = effective date)', () => {
    assert.deepEqual(plan([p('2020-01-01', null)], w('2020-01-01', X)), [{ action: 'terminate', to: X }]);
    converges([p('2020-01-01', null)], w('2020-01-01', X));
  });

  it('converges for combinations of start, end and value changes', () => {
    const starts = ['2019-01-01', '2020-01-01', '2022-06-01', '2025-01-01'];
    const ends = [null, '2024-06-01', '2026-01-01'];
    for (const moStart of starts) for (const moEnd of ends) for (const start of starts) for (const end of ends) for (const unit of ['A', 'B']) {
      if (moEnd !== null && moEnd <= moStart) continue;
      if (end !== null && end <= start) continue;
      converges([p(moStart, moEnd)], w(start, end, unit));
    }
  });
});
