// Ports moflow chooses for the servers it starts: the preferred one when free, else another, said aloud.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort, isPortFree, listen, preferredPort } from '../../src/util/ports.js';

describe('freePort', () => {
  it('picks a port nothing listens on, below the ephemeral range where outgoing connections take theirs', async () => {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) as [number];
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      assert.ok(port >= low - 10_000 && port < low, `${port} is below ${low}`);
      assert.equal(await isPortFree(port), true);
    }
    assert.ok(new Set(ports).size > 10, 'chosen at random, not one port for everybody');
  });
});

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

describe('listen', () => {
  it('binds the port asked for; when it is taken, a free one is bound in the same step and named', async () => {
    const holder = createServer();
    await listen(holder, 0, '127.0.0.1');
    const taken = (holder.address() as { port: number }).port;
    const server = createServer();
    try {
      const told: number[] = [];
      await listen(server, taken, '127.0.0.1', (p) => told.push(p));
      const bound = (server.address() as { port: number }).port;
      assert.notEqual(bound, taken);
      assert.deepEqual(told, [bound]);
      assert.equal(await isPortFree(bound), false, 'the fallback port is held, not just chosen');
    } finally {
      server.close();
      holder.close();
    }
  });

  it('without a fallback, a taken port is an EADDRINUSE error', async () => {
    const holder = createServer();
    await listen(holder, 0, '127.0.0.1');
    try {
      await assert.rejects(listen(createServer(), (holder.address() as { port: number }).port, '127.0.0.1'), { code: 'EADDRINUSE' });
    } finally {
      holder.close();
    }
  });
});
