// The valid-time algebra and MO's clock, without a server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTerminate, applyUpdate, normalise, type Slice } from '../../src/localmo/timeline.js';
import { copenhagenMidnight, dateWindow, formatDateTime, parseDateTime, parseSqlTimestamp } from '../../src/localmo/time.js';

const d = copenhagenMidnight;
const show = (slices: Slice[]) => slices.map((s) => [Number.isFinite(s.from) ? formatDateTime(s.from).slice(0, 10) : '-inf', Number.isFinite(s.to) ? formatDateTime(s.to).slice(0, 10) : 'inf', s.active, s.data.v]);

describe('MO time', () => {
  it('answers DateTimes with the Copenhagen offset of the date (winter +01:00, summer +02:00)', () => {
    assert.equal(formatDateTime(d('2024-01-01')), '2024-01-01T00:00:00+01:00');
    assert.equal(formatDateTime(d('2024-07-01')), '2024-07-01T00:00:00+02:00');
    // Both DST switch days keep midnight at the old offset (the switch is at 02:00/03:00).
    assert.equal(formatDateTime(d('2024-03-31')), '2024-03-31T00:00:00+01:00');
    assert.equal(formatDateTime(d('2024-10-27')), '2024-10-27T00:00:00+02:00');
  });

  it('accepts dates and ISO date-times with or without an offset', () => {
    assert.equal(parseDateTime('2024-01-01'), Date.parse('2023-12-31T23:00:00Z'));
    assert.equal(parseDateTime('2024-01-01T00:00:00+01:00'), Date.parse('2023-12-31T23:00:00Z'));
    assert.equal(parseDateTime('2024-07-01T00:00:00'), Date.parse('2024-06-30T22:00:00Z'), 'no offset: Copenhagen wall time');
    assert.equal(parseDateTime('2024-07-01T12:30:00.250Z'), Date.parse('2024-07-01T12:30:00.250Z'));
    assert.throws(() => parseDateTime('2023-02-29'));
    assert.throws(() => parseDateTime('yesterday'));
    // Before 1894 Copenhagen kept local mean time: the offset has seconds, and what the service writes it reads back.
    const old = formatDateTime(d('1880-01-01'));
    assert.equal(old, '1880-01-01T00:00:00+00:53:28');
    assert.equal(parseDateTime(old), d('1880-01-01'));
    assert.equal(parseDateTime('1880-01-01T00:00:00+0053'), d('1880-01-01') + 28_000);
  });

  it('reads PostgreSQL timestamptz text in any session time zone, infinity included', () => {
    assert.equal(parseSqlTimestamp('2023-12-31 23:00:00+00'), d('2024-01-01'));
    assert.equal(parseSqlTimestamp('2024-01-01 00:00:00+01'), d('2024-01-01'));
    assert.equal(parseSqlTimestamp('2024-01-01 05:30:00+05:30'), d('2024-01-01') + 3_600_000);
    assert.equal(parseSqlTimestamp('infinity'), Infinity);
    assert.equal(parseSqlTimestamp('-infinity'), -Infinity);
  });

  it('builds MO’s filter windows', () => {
    const now = d('2024-05-05');
    assert.deepEqual(dateWindow(undefined, undefined, now), { start: now, end: now + 1 });
    assert.deepEqual(dateWindow(d('2024-01-01'), undefined, now), { start: d('2024-01-01'), end: d('2024-01-01') + 1 });
    assert.deepEqual(dateWindow(d('2024-01-01'), null, now), { start: d('2024-01-01'), end: Infinity });
    assert.deepEqual(dateWindow(null, d('2024-01-01'), now), { start: -Infinity, end: d('2024-01-01') });
    assert.deepEqual(dateWindow(null, null, now), { start: -Infinity, end: Infinity });
  });
});

describe('validity slices', () => {
  const base: Slice[] = [{ from: d('2024-01-01'), to: Infinity, active: true, data: { v: 1, keep: 'k' } }];
  const set = (v: number) => (data: Record<string, unknown>) => ({ ...data, v });

  it('splits at an update’s edges and keeps untouched attributes', () => {
    const updated = applyUpdate(base, d('2024-03-01'), d('2024-04-01'), set(2));
    assert.deepEqual(show(updated), [
      ['2024-01-01', '2024-03-01', true, 1],
      ['2024-03-01', '2024-04-01', true, 2],
      ['2024-04-01', 'inf', true, 1],
    ]);
    assert.ok(updated.every((s) => s.data.keep === 'k'));
  });

  it('merges neighbours that end up equal', () => {
    const once = applyUpdate(base, d('2024-03-01'), d('2024-04-01'), set(2));
    assert.deepEqual(show(applyUpdate(once, d('2024-03-01'), d('2024-04-01'), set(1))), [['2024-01-01', 'inf', true, 1]]);
  });

  it('fills an update before the first slice with the nearest attributes', () => {
    assert.deepEqual(show(applyUpdate(base, d('2023-01-01'), d('2023-06-01'), set(0))), [
      ['2023-01-01', '2023-06-01', true, 0],
      ['2024-01-01', 'inf', true, 1],
    ]);
  });

  it('terminates from a date on, or only inside [from, to)', () => {
    assert.deepEqual(show(applyTerminate(base, null, d('2024-07-01'))), [
      ['2024-01-01', '2024-07-01', true, 1],
      ['2024-07-01', 'inf', false, 1],
    ]);
    assert.deepEqual(show(applyTerminate(base, d('2024-03-01'), d('2024-05-01'))), [
      ['2024-01-01', '2024-03-01', true, 1],
      ['2024-03-01', '2024-05-01', false, 1],
      ['2024-05-01', 'inf', true, 1],
    ]);
  });

  it('re-activates a terminated period when an update covers it', () => {
    const ended = applyTerminate(base, null, d('2024-07-01'));
    assert.deepEqual(show(applyUpdate(ended, d('2024-09-01'), Infinity, set(3))), [
      ['2024-01-01', '2024-07-01', true, 1],
      ['2024-07-01', '2024-09-01', false, 1],
      ['2024-09-01', 'inf', true, 3],
    ]);
  });

  it('drops empty slices and sorts', () => {
    const messy: Slice[] = [
      { from: 5, to: 9, active: true, data: { v: 2 } },
      { from: 1, to: 1, active: true, data: { v: 9 } },
      { from: 1, to: 5, active: true, data: { v: 1 } },
    ];
    assert.deepEqual(normalise(messy).map((s) => [s.from, s.to]), [[1, 5], [5, 9]]);
  });
});
