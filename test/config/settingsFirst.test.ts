// Settings first: `opus plan` and `opus apply` with settings missing say everything that is missing at once,
// before starting anything (the DAR cache's embedded PostgreSQL, DAR itself, the dump source).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const MOFLOW = new URL('../../bin/moflow.js', import.meta.url).pathname;

describe('opus plan and apply check their settings before starting anything', () => {
  let dir = '';
  let dar: Server;
  let darRequests = 0;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'moflow-settings-first-'));
    dar = createServer((_req, res) => {
      darRequests++;
      res.end('[]');
    });
    await new Promise<void>((resolve) => dar.listen(0, '127.0.0.1', resolve));
  });
  after(() => {
    dar.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const command of ['plan', 'apply']) {
    it(`opus ${command}: every missing setting at once, exit 2, and no DAR, database or dump touched`, async () => {
      const dataDir = join(dir, `data-${command}`);
      const settings = join(dir, `settings-${command}.json`);
      const { port } = dar.address() as { port: number };
      writeFileSync(settings, JSON.stringify({ 'integrations.opus.import.xml_path': join(dir, 'nowhere'), 'moflow.dar.base_url': `http://127.0.0.1:${port}`, 'moflow.data_dir': dataDir }));
      const result = await promisify(execFile)(process.execPath, [MOFLOW, '--settings', settings, 'opus', command], { env: { ...process.env, MOFLOW_SETTINGS: '', DATABASE_URL: '' } }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /municipality\.name is not set/);
      assert.match(result.stderr, /mora\.base is not set/);
      assert.equal(darRequests, 0, 'DAR was not asked');
      assert.ok(!existsSync(dataDir) || readdirSync(dataDir).length === 0, `nothing started in the data folder: ${existsSync(dataDir) ? readdirSync(dataDir) : ''}`);
    });
  }
});
