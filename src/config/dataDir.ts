// moflow's data folder (`moflow.data_dir`, default ./data in the project): the embedded PostgreSQL, Temporal's
// history, cached dumps and digests, export files. One definition, so every part agrees where it is.
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../temporal/binary.js';
import { generalKeys } from './keys.js';
import type { Settings } from './load.js';

export function dataDirOf(settings: Settings): string {
  return resolve(settings.get(generalKeys.dataDir) ?? join(PROJECT_ROOT, 'data'));
}
