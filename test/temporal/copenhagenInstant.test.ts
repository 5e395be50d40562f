// A dump's timestamp is KMD's Copenhagen wall clock; the Datetime search attribute needs the instant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copenhagenInstant } from '../../src/temporal/opusSyncState.js';

describe('copenhagenInstant', () => {
  it('applies +01:00 in winter and +02:00 in summer', () => {
    assert.equal(copenhagenInstant('2024-01-05T22:40:12'), '2024-01-05T21:40:12.000Z');
    assert.equal(copenhagenInstant('2024-07-05T22:40:12'), '2024-07-05T20:40:12.000Z');
  });

  it('handles the nights the clocks change', () => {
    // 2024-03-31 02:30 does not exist in Copenhagen; it is read as 03:30 summer time.
    assert.equal(copenhagenInstant('2024-03-31T02:30:00'), '2024-03-31T01:30:00.000Z');
    assert.equal(copenhagenInstant('2024-03-31T01:59:59'), '2024-03-31T00:59:59.000Z');
    assert.equal(copenhagenInstant('2024-10-27T03:30:00'), '2024-10-27T02:30:00.000Z');
  });
});
