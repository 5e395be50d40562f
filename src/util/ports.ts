// Free TCP ports on the loopback interface, for servers started by moflow itself or by tests.
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';

/**
 * A port nothing listens on now, for a server that binds it later. Picked at random below the kernel's
 * ephemeral range: there the port can still be taken before the bind by another server, but never by the
 * local end of an outgoing connection (of which a busy test run opens thousands), as a port the kernel hands
 * out for listen(0) can.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const range = belowEphemeralRange();
  for (let attempt = 0; range && attempt < 20; attempt++) {
    const port = range.low + Math.floor(Math.random() * (range.high - range.low + 1));
    if (await isPortFree(port, host)) return port;
  }
  return kernelChosenPort(host);
}

let cachedRange: { low: number; high: number } | null | undefined;

/** 10,000 ports under the ephemeral range (Linux's /proc; elsewhere null: the kernel chooses). */
function belowEphemeralRange(): { low: number; high: number } | null {
  if (cachedRange !== undefined) return cachedRange;
  let low: number | undefined;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    low = undefined;
  }
  cachedRange = low !== undefined && Number.isInteger(low) && low > 11_024 ? { low: low - 10_000, high: low - 1 } : null;
  return cachedRange;
}

function kernelChosenPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether nothing listens on the port (on loopback). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Listens on host:port. When the port is taken and `orFree` is given, listens on a free port instead and tells
 * `orFree` which: checking first and binding later would race with every other process picking ports.
 */
export async function listen(server: Server, port: number, host: string, orFree?: (instead: number) => void): Promise<void> {
  try {
    await listenOnce(server, port, host);
  } catch (error) {
    if (!orFree || port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await listenOnce(server, 0, host);
    orFree((server.address() as AddressInfo).port);
  }
}

function listenOnce(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The preferred port when it is free, else any free one, after `onTaken` has been told which. */
export async function preferredPort(preferred: number, onTaken: (instead: number) => void): Promise<number> {
  if (await isPortFree(preferred)) return preferred;
  const instead = await freePort();
  onTaken(instead);
  return instead;
}

/** Whether a server accepts TCP connections at host:port yet (a daemon that is starting is ready when it does). */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
