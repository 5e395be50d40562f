// Operator mistakes end in one line that says what to do, never a stack trace: an SMB host where nothing
// listens (after the retries), and the local MO asked to listen beyond this machine without authentication.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../../src/util/ports.js';

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

  it('mo serve --host 0.0.0.0 without authentication is refused before anything starts', async () => {
    const { code, stderr } = await moflow(['mo', 'serve', '--host', '0.0.0.0'], { MOFLOW_DATA_DIR: join(dir, 'data') });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /^moflow: --host 0\.0\.0\.0 without authentication would give every employee's CPR number to anyone on the network\. Set moflow\.mo\.auth\.client_id and moflow\.mo\.auth\.client_secret/);
    assert.doesNotMatch(stderr, /embedded PostgreSQL/);
  });
});
