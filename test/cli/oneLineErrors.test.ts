// Operator mistakes end in one line that says what to do, never a stack trace: an SMB host where nothing
// listens (after the retries), and the local MO asked to listen beyond this machine without authentication.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../../src/util/ports.js';
import { temporalSkip } from '../support/temporal.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function moflow(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, ['bin/moflow.js', ...args], { cwd: ROOT, timeout: 120_000, env: { ...process.env, MOFLOW_SETTINGS: '', DATABASE_URL: '', ...env } }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    ),
  );
}

describe('one line for what the operator must fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moflow-one-line-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opus dumps with an SMB host where nothing listens: where, and what to check', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const settings = join(dir, 'smb.json');
    writeFileSync(settings, JSON.stringify({ 'integrations.opus.smb_host': `127.0.0.1:${port}/opus`, 'integrations.opus.smb_user': 'u', 'integrations.opus.smb_password': 'p' }));
    const { code, stderr } = await moflow(['--settings', settings, 'opus', 'dumps']);
    assert.equal(code, 1, stderr);
    const last = stderr.trim().split('\n').at(-1)!;
    assert.equal(last, `moflow: nothing answers at 127.0.0.1:${port} (connection refused): check that the server runs and that the host and port settings name it.`);
    assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  });

  it('start --mo-port <taken>: one line naming the port, and nothing of the data folder left running', { timeout: 180_000, skip: temporalSkip() }, async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const dataDir = join(dir, 'start-data');
    mkdirSync(dataDir);
    chmodSync(dir, 0o755); // as root, the embedded PostgreSQL runs as "postgres" and must enter the data folder
    chmodSync(dataDir, 0o755);
    try {
      const { code, stderr } = await moflow(['start', '--once', '--mo-port', String(port), '--port', String(await freePort()), '--ui-port', String(await freePort())], { MOFLOW_DATA_DIR: dataDir });
      assert.equal(code, 1, stderr);
      assert.equal(stderr.trim().split('\n').at(-1), `moflow: port ${port} on 127.0.0.1 is taken by another program: choose another port with the command's port option, or stop what listens there (ss -ltnp 'sport = :${port}').`);
      assert.doesNotMatch(stderr, /unexpected error|^\s+at /m);
      const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(dataDir));
      assert.deepEqual(left, []);
    } finally {
      taken.close();
    }
  });

  it('mo serve --host 0.0.0.0 without authentication is refused before anything starts', async () => {
    const { code, stderr } = await moflow(['mo', 'serve', '--host', '0.0.0.0'], { MOFLOW_DATA_DIR: join(dir, 'data') });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /^moflow: --host 0\.0\.0\.0 without authentication would give every employee's CPR number to anyone on the network\. Set moflow\.mo\.auth\.client_id and moflow\.mo\.auth\.client_secret/);
    assert.doesNotMatch(stderr, /embedded PostgreSQL/);
  });
});
