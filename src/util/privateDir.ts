// A folder only moflow's user may read (it holds CPR numbers or a database cluster). Its missing parents are
// made with the usual mode: a recursive mkdir would make them private too, and the embedded PostgreSQL, which
// runs as the postgres user when moflow runs as root, could no longer reach its cluster under ./data.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export function makePrivateDir(dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}
