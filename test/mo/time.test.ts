import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, copenhagenToday, dayFromMo, isDay, moToToInclusiveEnd, opusEndToMoTo, validityFromMo } from '../../src/mo/time.js';
import { windowVariables } from '../../src/mo/when.js';

describe('MO DateTimes to days', () => {
  it("takes the date of MO's Copenhagen midnights, winter (+01:00) and summer (+02:00)", () => {
    assert.equal(dayFromMo('2020-01-01T00:00:00+01:00'), '2020-01-01');
    assert.equal(dayFromMo('2020-07-01T00:00:00+02:00'), '2020-07-01');
    assert.equal(dayFromMo('2024-03-31T00:00:00+01:00'), '2024-03-31'); // DST starts later that night
    assert.equal(dayFromMo('2024-10-27T00:00:00+02:00'), '2024-10-27'); // DST ends later that night
    assert.equal(dayFromMo('2020-07-01T00:00:00.000000+02:00'), '2020-07-01');
    assert.equal(dayFromMo('2020-07-01'), '2020-07-01');
  });

  it('places other offsets on the Copenhagen wall clock', () => {
    // UTC 22:00 on 30 June is Copenhagen midnight on 1 July.
    assert.equal(dayFromMo('2020-06-30T22:00:00+00:00'), '2020-07-01');
    assert.equal(dayFromMo('2020-06-30T22:00:00Z', 'ceil'), '2020-07-01');
    assert.equal(dayFromMo('2019-12-31T23:00:00Z'), '2020-01-01');
    // UTC midnight is 01:00 in Copenhagen: inside 1 January; an exclusive end there still covers that day.
    assert.equal(dayFromMo('2020-01-01T00:00:00Z', 'floor'), '2020-01-01');
    assert.equal(dayFromMo('2020-01-01T00:00:00Z', 'ceil'), '2020-01-02');
    // A wrong DST offset is not taken at face value: +02:00 midnight in January is 23:00 the day before.
    assert.equal(dayFromMo('2020-01-01T00:00:00+02:00', 'floor'), '2019-12-31');
  });

  it('keeps null ends open and rejects garbage', () => {
    assert.equal(dayFromMo(null), null);
    assert.deepEqual(validityFromMo({ from: '2021-05-01T00:00:00+02:00', to: null }), { from: '2021-05-01', to: null });
    assert.deepEqual(validityFromMo({ from: null, to: '2022-01-01T00:00:00+01:00' }), { from: null, to: '2022-01-01' });
    assert.throws(() => dayFromMo('yesterday'), /not a MO DateTime/);
    assert.throws(() => dayFromMo('2021-02-30'), /must be a date/);
  });
});

describe('MO DateTimes before standard time (1894)', () => {
  it('reads an offset with seconds, as Python writes local mean time, for people born before 1894', () => {
    assert.equal(dayFromMo('1880-05-05T00:00:00+00:53:28'), '1880-05-05');
    assert.equal(dayFromMo('1880-05-05T00:00:00+00:50:20'), '1880-05-05');
    assert.equal(dayFromMo('1880-05-05T00:00:00.000000+00:53:28'), '1880-05-05');
    assert.throws(() => dayFromMo('1880-05-05T00:00:00+0x:53:28'), /not a MO DateTime/);
  });
});

describe('OPUS inclusive end dates to MO exclusive ends', () => {
  it('adds a day across month, year and leap-day boundaries', () => {
    assert.equal(opusEndToMoTo('2024-06-30'), '2024-07-01');
    assert.equal(opusEndToMoTo('2023-12-31'), '2024-01-01');
    assert.equal(opusEndToMoTo('2024-02-28'), '2024-02-29');
    assert.equal(opusEndToMoTo('2024-02-29'), '2024-03-01');
    assert.equal(opusEndToMoTo('2023-02-28'), '2023-03-01');
    assert.equal(opusEndToMoTo(' 2024-01-31 '), '2024-02-01');
  });

  it('treats 9999-12-31, empty and missing as open', () => {
    assert.equal(opusEndToMoTo('9999-12-31'), null);
    assert.equal(opusEndToMoTo(''), null);
    assert.equal(opusEndToMoTo(null), null);
    assert.equal(opusEndToMoTo(undefined), null);
  });

  it('refuses impossible dates instead of rolling them over', () => {
    assert.throws(() => opusEndToMoTo('2023-02-29'), /must be a date/);
    assert.throws(() => opusEndToMoTo('31-12-2023'), /must be a date/);
  });

  it('goes back to the inclusive end', () => {
    assert.equal(moToToInclusiveEnd('2024-03-01'), '2024-02-29');
    assert.equal(moToToInclusiveEnd(null), null);
    assert.equal(addDays('2024-01-01', -1), '2023-12-31');
    assert.equal(isDay('2024-02-29'), true);
    assert.equal(isDay('2100-02-29'), false);
  });

  it("knows today's date in Copenhagen, not in UTC", () => {
    assert.equal(copenhagenToday(new Date('2024-06-30T22:30:00Z')), '2024-07-01');
    assert.equal(copenhagenToday(new Date('2024-12-31T22:59:59Z')), '2024-12-31');
  });
});

describe('read windows', () => {
  const today = () => '2024-05-01';

  it('omits every date for current, so MO uses its own now', () => {
    assert.deepEqual(windowVariables('current', today), { filterDates: {} });
  });

  it('sends explicit nulls for open sides and repeats the window for validities', () => {
    assert.deepEqual(windowVariables('all', today), { filterDates: { from_date: null, to_date: null }, start: null, end: null });
    assert.deepEqual(windowVariables('future', today), { filterDates: { from_date: '2024-05-01', to_date: null }, start: '2024-05-01', end: null });
    assert.deepEqual(windowVariables('history', today), { filterDates: { from_date: null, to_date: '2024-05-01' }, start: null, end: '2024-05-01' });
    assert.deepEqual(windowVariables({ at: '2023-01-01' }, today), { filterDates: { from_date: '2023-01-01' }, start: '2023-01-01', at: '2023-01-01' });
    assert.deepEqual(windowVariables({ from: '2023-01-01', to: '2024-01-01' }, today), {
      filterDates: { from_date: '2023-01-01', to_date: '2024-01-01' },
      start: '2023-01-01',
      end: '2024-01-01',
    });
    assert.throws(() => windowVariables({ at: '2023-13-01' }, today), /must be a date/);
  });
});

describe('the DST fast path agrees with the time zone database', () => {
  it('for every Copenhagen midnight from 1950 to 2060', () => {
    // Compare the fast path (EU rule) and the slow path (Intl) on MO's own strings for each day.
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Copenhagen', timeZoneName: 'longOffset' });
    for (let t = Date.UTC(1950, 0, 1); t < Date.UTC(2060, 0, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      // Local midnight: find the offset in effect at ~midnight (offset at 12:00 UTC the day before is the
      // same except on switch days, where the midnight is still before the switch).
      const noonBefore = new Date(t - 12 * 3_600_000);
      const offset = /GMT([+-]\d{2}:\d{2})/.exec(fmt.format(noonBefore))?.[1] ?? '+01:00';
      assert.equal(dayFromMo(`${day}T00:00:00${offset}`), day, `${day}T00:00:00${offset}`);
    }
  });
});
