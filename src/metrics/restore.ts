// A restarted worker's last-success gauge: without it, a restart would read as "never imported" until the
// next import, and an alert on the gauge's age would fire (or stay silent, if it ignores an absent series).
// The run report `<dump>.json` is written when a dump's import is recorded, so the newest one's time is the
// last successful import this data folder has seen.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { restoreLastSuccess } from './registry.js';

const RUN_REPORT = /_delta\.xml\.json$/i;

export function restoreLastImport(reportsDir: string): void {
  let newest = 0;
  try {
    for (const name of readdirSync(reportsDir)) if (RUN_REPORT.test(name)) newest = Math.max(newest, statSync(join(reportsDir, name)).mtimeMs);
  } catch {
    return; // no reports yet
  }
  if (newest > 0) restoreLastSuccess('opus_import', new Date(newest));
}
