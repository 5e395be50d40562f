// The MO client of interactive commands: an operator at a terminal is better served by a quick, explained
// failure than by the nightly runs' patience (Temporal retries those for hours).
import type { Settings } from '../config/load.js';
import { moClientFromSettings, type MoClient } from '../mo/index.js';
import { log } from './output.js';

export function interactiveMoClient(settings: Settings): MoClient {
  return moClientFromSettings(settings, { retry: { retries: 3, minTimeoutMs: 1000, maxTimeoutMs: 4000, onRetry: log } });
}
