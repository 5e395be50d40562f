// The worker's metrics endpoint: GET /metrics answers moflow's metrics (registry.ts) followed by the Temporal
// SDK's own (workers, pollers, task latencies, sticky cache). The SDK's Rust core exports its metrics only
// on an HTTP port of its own; binding that to a free loopback port and appending its text here keeps one
// port and one scrape target for the operator, and the SDK's port never leaves the host.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, listen } from '../util/ports.js';
import { collectProcessMetrics, registry } from './registry.js';
import { restoreLastImport } from './restore.js';
import type { MetricsConfig } from './settings.js';

/** Where the SDK should export its metrics: a free loopback port, given to installRuntime(). */
export async function sdkMetricsAddress(): Promise<string> {
  return `127.0.0.1:${await freePort('127.0.0.1')}`;
}

export interface MetricsServer {
  /** http://host:port/metrics */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** host:port of the SDK's own exporter (sdkMetricsAddress), or null when it has none. */
  sdkMetrics: string | null;
  /** Told, in one line, when the port is taken: the worker runs on without metrics. */
  log: (line: string) => void;
  /** When given and the port is taken: serve on a free port instead, said here (for an unconfigured default). */
  portTaken?: (instead: number) => void;
  /** The OPUS run reports' folder: the newest report sets the last successful import (restore.ts). */
  reportsDir?: string;
}

/** Serves /metrics on the configured address; null (and one line said) when the port cannot be had. */
export async function serveMetrics(config: MetricsConfig, options: ServeOptions): Promise<MetricsServer | null> {
  collectProcessMetrics();
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('moflow serves its metrics at /metrics\n');
      return;
    }
    scrape(options.sdkMetrics).then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`),
    );
  });
  try {
    await listen(server, config.port, config.host, options.portTaken);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'is taken' : code === 'EACCES' ? 'is not allowed' : `cannot be used (${(error as Error).message})`;
    options.log(
      `warning: the metrics port ${config.host}:${config.port} ${why}, so this worker serves no metrics; set moflow.metrics.port to a free port, or "off"`,
    );
    return null;
  }
  if (options.reportsDir) restoreLastImport(options.reportsDir);
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}/metrics`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** moflow's metrics, then the SDK's (a comment line instead when its exporter does not answer). */
async function scrape(sdkMetrics: string | null): Promise<string> {
  const own = await registry.metrics();
  if (sdkMetrics === null) return own;
  try {
    const response = await fetch(`http://${sdkMetrics}/metrics`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return `${own}\n${await response.text()}`;
  } catch (error) {
    return `${own}\n# the Temporal SDK's metrics at ${sdkMetrics} did not answer: ${(error as Error).message}\n`;
  }
}
