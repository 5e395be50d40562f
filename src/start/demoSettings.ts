// The settings `npm start` runs with, written as a settings.json under the data folder, so the CLI can be
// pointed at the running demo at once: `npx moflow --settings data/demo-settings.json opus status`. It is
// written on every start (the ports may differ) and holds what the start derived — the local MO's URL, the
// Temporal address, the sample's dump folder, municipality and Plan2Learn settings, the DAR stand-in — on
// top of what was configured. Secrets are left out: the CLI reads them where `npm start` did (environment).
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ALL_SETTINGS, generalKeys, temporalKeys } from '../config/keys.js';
import type { Settings } from '../config/load.js';

export const DEMO_SETTINGS_FILE = 'demo-settings.json';

/** Writes the file and returns its path. */
export function writeDemoSettings(dataDir: string, settings: Settings, temporal: { address: string; namespace: string; taskQueue: string }): string {
  const values: Record<string, unknown> = {};
  for (const spec of ALL_SETTINGS) {
    if (spec.secret || !settings.has(spec)) continue;
    values[spec.key] = settings.get(spec);
  }
  values[generalKeys.dataDir.key] = dataDir;
  values[temporalKeys.address.key] = temporal.address;
  values[temporalKeys.namespace.key] = temporal.namespace;
  values[temporalKeys.taskQueue.key] = temporal.taskQueue;
  const path = join(dataDir, DEMO_SETTINGS_FILE);
  writeFileSync(path, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** The path as typed from the current folder (relative when it lies below it). */
export function shownPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/') ? rel : path;
}
