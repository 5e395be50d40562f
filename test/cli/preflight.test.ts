// `opus plan` / `opus apply` ask MO and DAR once before they start anything: one that cannot be reached ends
// the command at once in one line naming the setting, with nothing started (no DAR cache database, no dump
// read); with both answering, the plan goes on.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateDumps } from '../../src/opus/generate/index.js';
import { freePort } from '../../src/util/ports.js';
import { DarServer } from '../support/darServer.js';
import { moKinds, moSkip, useMo } from '../support/moTargets.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function moflow(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) =>
    execFile(process.execPath, ['bin/moflow.js', ...args], { cwd: ROOT, timeout: 120_000, env: { ...process.env, MOFLOW_SETTINGS: '', DATABASE_URL: '' } }, (error, stdout, stderr) =>
      // A first run after an edit rebuilds the CLI and says so: not the command's output.
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr: stderr.replace(/^moflow: built dist\/cli\/.*\n/m, ''), ms: Date.now() - started }),
    ),
  );
}

for (const kind of moKinds()) {
  describe(`opus plan and apply probe MO and DAR first (${kind} MO)`, { skip: await moSkip(kind) }, () => {
    const mo = useMo(kind);
    const dir = mkdtempSync(join(tmpdir(), 'moflow-preflight-'));
    let dar: DarServer;
    before(async () => {
      // The DAR cache's embedded PostgreSQL (run as the postgres user under root) must reach the data folders.
      chmodSync(dir, 0o755);
      dar = await DarServer.start();
      mkdirSync(join(dir, 'dumps'));
      await generateDumps({ outDir: join(dir, 'dumps'), units: 5, employees: 20, days: 0, seed: 3 });
    });
    after(async () => {
      await dar.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const settingsWith = (name: string, extra: Record<string, unknown>) => {
      const file = join(dir, `${name}.json`);
      const dataDir = join(dir, `data-${name}`);
      writeFileSync(file, JSON.stringify({ 'municipality.name': 'Andeby Kommune', 'integrations.opus.import.xml_path': join(dir, 'dumps'), 'moflow.data_dir': dataDir, ...mo.settings(), ...extra }));
      return { file, dataDir };
    };

    for (const command of ['plan', 'apply']) {
      it(`${command}: MO where nothing answers ends in one line, at once, with nothing started`, async () => {
        const port = await freePort();
        const { file, dataDir } = settingsWith(`mo-down-${command}`, { 'mora.base': `http://127.0.0.1:${port}`, 'moflow.dar.base_url': dar.url });
        const { code, stderr, ms } = await moflow(['--settings', file, 'opus', command]);
        assert.equal(code, 1, stderr);
        assert.equal(stderr.trim(), `moflow: MO at http://127.0.0.1:${port} cannot be reached (ECONNREFUSED). Fix: check mora.base and that MO runs (moflow config show).`);
        assert.ok(ms < 15_000, `${ms} ms`);
        assert.ok(!existsSync(join(dataDir, 'postgres')), 'the DAR cache database was not started');
      });
    }

    it('DAR where nothing answers ends in one line naming moflow.dar.base_url and moflow.dar.enabled', async () => {
      const port = await freePort();
      const { file, dataDir } = settingsWith('dar-down', { 'moflow.dar.base_url': `http://127.0.0.1:${port}` });
      const { code, stderr } = await moflow(['--settings', file, 'opus', 'plan']);
      assert.equal(code, 1, stderr);
      assert.match(stderr.trim(), new RegExp(`^moflow: DAR at http://127\\.0\\.0\\.1:${port} did not answer: .*ECONNREFUSED.*\\. Fix: check moflow\\.dar\\.base_url, or set moflow\\.dar\\.enabled to false .*$`));
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.ok(!existsSync(join(dataDir, 'postgres')));
    });

    it('with MO and DAR answering, or DAR off, the plan goes on', async () => {
      for (const [name, extra] of [['dar-up', { 'moflow.dar.base_url': dar.url }], ['dar-off', { 'moflow.dar.enabled': false }]] as const) {
        const { file } = settingsWith(name, extra);
        const { code, stdout, stderr } = await moflow(['--settings', file, 'opus', 'plan']);
        assert.equal(code, 0, `${name}: ${stderr}`);
        assert.match(stdout, /write/, name);
      }
    });
  });
}
