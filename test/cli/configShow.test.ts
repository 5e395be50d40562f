// `moflow config show` says where the settings come from and prints every value in effect: those set (with
// the file or environment variable), the defaults (marked), and the keys left unset.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const ROOT = new URL('../../', import.meta.url).pathname;
const show = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, ['bin/moflow.js', ...args, 'config', 'show'], { cwd: ROOT, env: { ...process.env, MOFLOW_SETTINGS: '', MOFLOW_DATA_DIR: '', ...env } });

describe('moflow config show', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moflow-config-show-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('without any settings: the defaults in effect, marked, and that no file is read', async () => {
    const { stdout } = await show([]);
    assert.match(stdout, /^no settings file \(give one with --settings or MOFLOW_SETTINGS\)/);
    assert.match(stdout, /^moflow\.mo\.batch_size = 200 {3}\(default\)$/m);
    assert.match(stdout, /^moflow\.temporal\.address = 127\.0\.0\.1:7233 {3}\(default\)$/m);
    assert.match(stdout, /^moflow\.data_dir = \/.*\/data {3}\(default\)$/m);
    assert.match(stdout, /^integrations\.opus\.cancelled_employments = terminate {3}\(default\)$/m);
    assert.match(stdout, /^not set, no default .*: municipality\.name, .*mora\.base/m);
  });

  it('with a file and an environment variable: each value with where it comes from', async () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ 'municipality.name': 'Andeby Kommune', 'moflow.mo.batch_size': 50 }));
    const { stdout } = await show(['--settings', file], { MOFLOW_MO_BATCH_SIZE: '75' });
    assert.match(stdout, new RegExp(`^settings from ${file}, environment variables on top`));
    assert.match(stdout, new RegExp(`^municipality\\.name = "Andeby Kommune" {3}\\[${file}\\]$`, 'm'));
    assert.match(stdout, /^moflow\.mo\.batch_size = 75 {3}\[environment variable MOFLOW_MO_BATCH_SIZE\]$/m);
    assert.doesNotMatch(stdout, /^not set.*municipality\.name/m);
  });
});
