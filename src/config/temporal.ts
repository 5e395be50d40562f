// Typed view of the Temporal connection settings.
import { temporalKeys } from './keys.js';
import type { Settings } from './load.js';

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  tls: boolean;
  apiKey: string | null;
}

export function temporalConfig(settings: Settings): TemporalConfig {
  const apiKey = settings.get(temporalKeys.apiKey) ?? null;
  return {
    address: settings.get(temporalKeys.address) ?? '127.0.0.1:7233',
    namespace: settings.get(temporalKeys.namespace) ?? 'default',
    taskQueue: settings.get(temporalKeys.taskQueue) ?? 'moflow',
    tls: settings.get(temporalKeys.tls) ?? apiKey !== null,
    apiKey,
  };
}
