// The bounded pool DAR look-ups run in: the bound holds, and a failure stops new work without leaving
// calls running behind the caller's back.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { forEachLimited } from '../../src/util/pool.js';

describe('forEachLimited', () => {
  it('runs every item with at most `limit` at once', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachLimited([...Array(25).keys()], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await sleep(n % 4);
      seen.push(n);
      running--;
    });
    assert.equal(most, 3);
    assert.deepEqual(seen.sort((a, b) => a - b), [...Array(25).keys()]);
  });

  it('after a failure starts nothing new and throws once the running calls have settled', async () => {
    const started: number[] = [];
    let settled = 0;
    await assert.rejects(
      forEachLimited([...Array(20).keys()], 2, async (n) => {
        started.push(n);
        await sleep(5);
        settled++;
        if (n === 3) throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(settled, started.length, 'nothing still running');
    assert.ok(started.length <= 5, `started ${started.length}`);
  });

  it('refuses a bound that is not a positive integer', async () => {
    await assert.rejects(forEachLimited([1], 0, async () => {}), /positive integer/);
  });
});
