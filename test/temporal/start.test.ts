import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { freePort } from '../../src/util/ports.js';
import { temporalSkip } from '../support/temporal.js';

const root = new URL('../../', import.meta.url).pathname;

describe('moflow start', { skip: temporalSkip() }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'moflow-start-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('--once starts the dev server with its UI and a worker, runs a round of work and stops', async () => {
    const [port, uiPort] = [await freePort(), await freePort()];
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['bin/moflow.js', 'start', '--once', '--port', String(port), '--ui-port', String(uiPort)],
      { cwd: root, env: { ...process.env, MOFLOW_DATA_DIR: dataDir, MOFLOW_SETTINGS: '' }, timeout: 120_000 },
    );
    assert.match(stderr, new RegExp(`Temporal UI http://127\\.0\\.0\\.1:${uiPort}`));
    assert.match(stderr, /worker answered .*"reply":"pong: moflow start"/);
    assert.match(stderr, /moflow: stopped/);
    assert.ok(existsSync(join(dataDir, 'temporal.db')), 'the run history is kept in the data folder');
  });
});
