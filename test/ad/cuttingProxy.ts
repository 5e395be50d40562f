// A TCP proxy in front of a test server that resets its first connection once the server has sent a
// given number of bytes: a domain controller dropping the connection in the middle of a paged search.
import { connect, createServer, type Socket } from 'node:net';

export interface CuttingProxy {
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function cuttingProxy(target: { host: string; port: number }, cutAfterBytes: number): Promise<CuttingProxy> {
  let connections = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const first = connections++ === 0;
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    let sent = 0;
    upstream.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (first && sent > cutAfterBytes) {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.pipe(upstream);
    upstream.on('end', () => client.end());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy has no address');
  return {
    url: `ldap://127.0.0.1:${address.port}`,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
