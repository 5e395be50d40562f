// Every time `moflow opus status` shows carries its zone: Copenhagen time says CET or CEST, so nobody reads
// it as the log's UTC.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dumpTime, stamp } from '../../src/util/shownTime.js';

describe('opus status times', () => {
  it('an instant is Copenhagen wall time with CET in winter and CEST in summer', () => {
    assert.equal(stamp(new Date('2024-01-05T22:40:12Z')), '2024-01-05 23:40:12 CET');
    assert.equal(stamp(new Date('2024-07-05T22:40:12Z')), '2024-07-06 00:40:12 CEST');
    assert.equal(stamp(undefined), '?');
  });

  it("a dump's timestamp (OPUS's wall time) gets the zone of that day", () => {
    assert.equal(dumpTime('2024-01-05T22:40:12'), '2024-01-05 22:40:12 CET');
    assert.equal(dumpTime('2024-07-05T22:40:12'), '2024-07-05 22:40:12 CEST');
  });
});
