// Files holding CPR numbers are private to moflow's user: the Plan2Learn files (bruger.csv has every
// employee's CPR number) and the sample municipality's dumps, like the dump cache.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportPlan2Learn } from '../../src/plan2learn/export.js';
import { writeExport } from '../../src/plan2learn/writer.js';
import { ensureSampleDumps } from '../../src/start/sample.js';
import { goldenOptions, goldenSnapshot } from './fixture.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('file modes of files with CPR numbers', () => {
  it('the Plan2Learn files are 0600 in a 0700 folder, also when they replace 0644 files', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'moflow-p2l-modes-')), 'out');
    const previous = process.umask(0o022);
    try {
      await writeExport(dir, exportPlan2Learn(goldenSnapshot(), goldenOptions('Viborg')), '2024-05-15T02:00:00.000Z');
      assert.equal(mode(dir), '700');
      chmodSync(join(dir, 'bruger.csv'), 0o644); // as an earlier moflow left it
      await writeExport(dir, exportPlan2Learn(goldenSnapshot(), goldenOptions('Viborg')), '2024-05-16T02:00:00.000Z');
    } finally {
      process.umask(previous);
    }
    const files = readdirSync(dir);
    assert.ok(files.includes('bruger.csv'));
    for (const name of files) assert.equal(mode(join(dir, name)), '600', name);
  });

  it("the sample municipality's dumps are 0600 in a 0700 folder, also when an earlier moflow left them 0644", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'moflow-sample-modes-')), 'sample-dumps');
    mkdirSync(dir);
    const names = ['ZLPE20240101000000_delta.xml', 'ZLPE20240102000000_delta.xml', 'ZLPE20240103000000_delta.xml', 'ZLPE20240104000000_delta.xml'];
    for (const name of names) writeFileSync(join(dir, name), '<kmd/>', { mode: 0o644 });
    chmodSync(dir, 0o755);
    await ensureSampleDumps(dir, () => assert.fail('the present dumps are kept'));
    assert.equal(mode(dir), '700');
    for (const name of names) assert.equal(mode(join(dir, name)), '600', name);
  });
});
