// moflow.metrics.*: where the worker serves its Prometheus metrics. On by default on the loopback interface
// (a scraper on the same host, or a sidecar); 0 or "off" switches them off.
import { z } from 'zod';
import type { Settings } from '../config/load.js';
import { setting, text } from '../config/setting.js';

export const DEFAULT_METRICS_PORT = 9464;

const portOrOff = z.preprocess((v) => {
  if (typeof v !== 'string') return v === false ? 0 : v;
  const s = v.trim().toLowerCase();
  return ['off', 'false', 'no', 'disabled', ''].includes(s) ? 0 : s;
}, z.coerce.number().int('must be a port number, 0 or "off"').min(0).max(65535));

export const metricsKeys = {
  port: setting('moflow.metrics.port', portOrOff, {
    description: `port of the worker's Prometheus metrics (/metrics; default ${DEFAULT_METRICS_PORT}); 0 or "off" serves none`,
    example: String(DEFAULT_METRICS_PORT),
    env: ['MOFLOW_METRICS_PORT'],
  }),
  host: setting('moflow.metrics.host', text, {
    description: 'address the metrics port listens on (default 127.0.0.1; 0.0.0.0 for a scraper on another host)',
    example: '127.0.0.1',
    env: ['MOFLOW_METRICS_HOST'],
  }),
};

export const METRICS_SETTINGS = Object.values(metricsKeys);

export interface MetricsConfig {
  host: string;
  port: number;
}

/** Where to serve the metrics, or null when they are off. */
export function metricsConfig(settings: Settings): MetricsConfig | null {
  const port = settings.get(metricsKeys.port) ?? DEFAULT_METRICS_PORT;
  if (port === 0) return null;
  return { host: settings.get(metricsKeys.host) ?? '127.0.0.1', port };
}
