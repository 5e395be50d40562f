// An embedded PostgreSQL left running by a moflow that is gone (killed outright before moflow ran it under
// --pdeathsig) is not attached to and then left behind: `mo serve` stops it, starts its own, and on Ctrl-C
// nothing of the data folder runs any more.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/util/ports.js';
import { findExecutable } from '../support/tools.js';

const root = new URL('../../', import.meta.url).pathname;

describe('an orphaned embedded PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moflow-orphan-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as "postgres" and must enter it
  after(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const running = () =>
    execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(`${dataDir}/postgres`) && !line.includes(' ps '));

  it('is stopped by mo serve, which starts and later stops its own', { timeout: 180_000 }, async () => {
    // The orphan: a process starts the server without setpriv on its PATH (as moflow did before), then dies
    // by SIGKILL, so no exit handler stops it.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['id', 'chown', 'useradd']) {
      const path = findExecutable(tool);
      if (path) symlinkSync(path, join(bin, tool));
    }
    const script = `import { acquireEmbeddedPostgres } from './src/db/embeddedPostgres.ts';
await acquireEmbeddedPostgres(${JSON.stringify(join(dataDir, 'postgres'))});
process.kill(process.pid, 'SIGKILL');`;
    const orphanMaker = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env: { ...process.env, PATH: bin }, stdio: 'inherit' });
    await new Promise((resolve) => orphanMaker.once('exit', resolve));
    assert.equal(running().length > 0, true, 'the orphan runs');

    const serve = spawn(process.execPath, ['bin/moflow.js', 'mo', 'serve', '--port', String(await freePort())], {
      cwd: root,
      env: { ...process.env, MOFLOW_SETTINGS: '', DATABASE_URL: '', MOFLOW_DATA_DIR: dataDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    serve.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    for (let i = 0; i < 600 && !/running; stop with Ctrl-C/.test(stderr); i++) await sleep(100);
    assert.match(stderr, /was left running by a moflow that is gone; stopping it/);
    assert.match(stderr, /started the embedded PostgreSQL/, 'it runs its own');
    assert.match(stderr, /no authentication: it listens on 127\.0\.0\.1 \(this machine\) only, where any user can read every CPR number/);
    serve.kill('SIGINT');
    await exited;
    assert.match(stderr, /moflow mo: stopped/);
    for (let i = 0; i < 50 && running().length > 0; i++) await sleep(200);
    assert.deepEqual(running(), [], 'nothing of the data folder runs');
  });
});
