// Ports moflow chooses for the servers it starts: the preferred one when free, else another, said aloud.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort, isPortFree, preferredPort } from '../../src/util/ports.js';

describe('preferredPort', () => {
  it('takes the preferred port when nothing listens there, without a word', async () => {
    const port = await freePort();
    const told: number[] = [];
    assert.equal(await preferredPort(port, (p) => told.push(p)), port);
    assert.deepEqual(told, []);
  });

  it('takes another free port when the preferred one is taken, and says which', async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    try {
      assert.equal(await isPortFree(port), false);
      const told: number[] = [];
      const chosen = await preferredPort(port, (p) => told.push(p));
      assert.notEqual(chosen, port);
      assert.deepEqual(told, [chosen]);
      assert.equal(await isPortFree(chosen), true);
    } finally {
      server.close();
    }
  });
});
