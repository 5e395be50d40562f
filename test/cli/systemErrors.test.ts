// System errors an operator can act on become one line that says what to do, never a stack trace.
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { describe, it } from 'node:test';
import { systemErrorMessage } from '../../src/cli/output.js';
import { freePort } from '../../src/util/ports.js';

const failure = (start: (done: (error: Error) => void) => void) => new Promise<Error>((resolve) => start(resolve));

describe('systemErrorMessage', () => {
  it('a port taken: which one, and what to do', async () => {
    const first = createServer();
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
    const { port } = first.address() as { port: number };
    try {
      const error = await failure((done) => createServer().once('error', done).listen(port, '127.0.0.1'));
      assert.equal(systemErrorMessage(error), `port ${port} on 127.0.0.1 is taken by another program: choose another port with the command's port option, or stop what listens there (ss -ltnp 'sport = :${port}').`);
    } finally {
      first.close();
    }
  });

  it('nothing listening: where, and what to check', async () => {
    const port = await freePort();
    const error = await failure((done) => connect(port, '127.0.0.1').once('error', done));
    assert.equal(systemErrorMessage(error), `nothing answers at 127.0.0.1:${port} (connection refused): check that the server runs and that the host and port settings name it.`);
  });

  it('anything else is not an operator error here', () => {
    assert.equal(systemErrorMessage(new Error('boom')), null);
    assert.equal(systemErrorMessage(Object.assign(new Error('odd'), { code: 'EWHATEVER' })), null);
    assert.equal(systemErrorMessage('text'), null);
  });
});
