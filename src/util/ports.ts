// Free TCP ports on the loopback interface, for servers started by moflow itself or by tests.
import { connect, createServer } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
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
