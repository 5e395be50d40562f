// RSD start dates are MO's DateTimes at Copenhagen midnight (spec §1.3: "2000-06-29T00:00:00+02:00").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copenhagenMidnight } from '../../src/plan2learn/copenhagenTime.js';

describe('Copenhagen midnight', () => {
  it('uses +02:00 in summer and +01:00 in winter', () => {
    assert.equal(copenhagenMidnight('2000-06-29'), '2000-06-29T00:00:00+02:00'); // the spec's example
    assert.equal(copenhagenMidnight('2024-01-01'), '2024-01-01T00:00:00+01:00');
  });

  it('is right on the days the clocks change (at 01:00 UTC, after local midnight)', () => {
    assert.equal(copenhagenMidnight('2024-03-31'), '2024-03-31T00:00:00+01:00'); // spring forward later that night
    assert.equal(copenhagenMidnight('2024-04-01'), '2024-04-01T00:00:00+02:00');
    assert.equal(copenhagenMidnight('2024-10-27'), '2024-10-27T00:00:00+02:00'); // fall back later that night
    assert.equal(copenhagenMidnight('2024-10-28'), '2024-10-28T00:00:00+01:00');
  });

  it('has no summer time before 1980 (Danish rules)', () => {
    assert.equal(copenhagenMidnight('1975-07-01'), '1975-07-01T00:00:00+01:00');
  });
});
