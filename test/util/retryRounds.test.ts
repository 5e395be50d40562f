// MO down (nothing listens on its port): the reads that run side by side fail together, and the operator
// reads one line per retry round, not one per read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransport } from '../../src/mo/transport.js';
import { MoError } from '../../src/mo/errors.js';
import { freePort } from '../../src/util/ports.js';
import { RetryRounds } from '../../src/util/retry.js';

describe('retry rounds', () => {
  it('eleven reads against an unreachable MO print one line per retry round', async () => {
    const port = await freePort(); // free: nothing listens there
    const lines: string[] = [];
    const transport = createTransport({
      baseUrl: `http://127.0.0.1:${port}`,
      auth: null,
      timeoutMs: 2000,
      retry: { retries: 3, minTimeoutMs: 20, maxTimeoutMs: 60, onRetry: (line) => lines.push(line) },
    });
    const reads = Array.from({ length: 11 }, (_, i) =>
      transport.request({ operationName: `Read${i}`, text: `query Read${i} { __typename }`, mutation: false }, {}).then(
        () => assert.fail('MO is down'),
        (error: unknown) => assert.ok(error instanceof MoError && error.kind === 'network', String(error)),
      ),
    );
    await Promise.all(reads);
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.deepEqual(lines.map((l) => /attempt (\d)/.exec(l)?.[1]), ['1', '2', '3']);
    assert.match(lines[0]!, /ECONNREFUSED/);
    assert.match(lines[1]!, /retrying, 2 left \(10 other request\(s\) failed alike in the round before\)/);
  });

  it('a success starts afresh, so a later outage is reported again', () => {
    const rounds = new RetryRounds(1000);
    assert.deepEqual(rounds.speaks(1, 0), { speak: true, others: 0 });
    assert.deepEqual(rounds.speaks(1, 10), { speak: false, others: 0 });
    rounds.succeeded();
    assert.deepEqual(rounds.speaks(1, 20), { speak: true, others: 0 });
    // Long after the last round, the same attempt number is news again.
    assert.deepEqual(rounds.speaks(1, 5000), { speak: true, others: 0 });
  });
});
