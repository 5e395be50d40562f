import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportPlan2Learn } from '../../src/plan2learn/export.js';
import { writeExport } from '../../src/plan2learn/writer.js';
import { goldenOptions, goldenSnapshot } from './fixture.js';

const FILES = ['bruger.csv', 'engagement.csv', 'leder.csv', 'manifest.json', 'organisation.csv', 'stillingskode.csv'];

describe('writeExport', () => {
  it('writes the five files and a manifest with rows, bytes and sha256', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'moflow-p2l-')), 'out'); // created on demand
    const exp = exportPlan2Learn(goldenSnapshot(), goldenOptions('RSD'));
    const manifest = await writeExport(dir, exp, '2024-05-15T02:00:00.000Z');

    assert.deepEqual(readdirSync(dir).sort(), FILES, 'no temporary files left');
    const onDisk = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    assert.deepEqual(onDisk, manifest);
    assert.equal(manifest.variant, 'RSD');
    assert.equal(manifest.today, '2024-05-15');
    assert.equal(manifest.generatedAt, '2024-05-15T02:00:00.000Z');
    for (const file of exp.files) {
      const bytes = readFileSync(join(dir, file.name));
      assert.ok(bytes.equals(file.content), `${file.name} holds the export's bytes`);
      const entry = manifest.files.find((f) => f.name === file.name)!;
      assert.equal(entry.rows, file.rows);
      assert.equal(entry.bytes, bytes.length);
      assert.equal(entry.sha256, createHash('sha256').update(bytes).digest('hex'));
    }
    assert.deepEqual(
      manifest.files.map((f) => [f.name, f.rows]),
      [['bruger.csv', 6], ['organisation.csv', 4], ['engagement.csv', 5], ['stillingskode.csv', 2], ['leder.csv', 4]],
    );
  });

  it('replaces an earlier export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moflow-p2l-'));
    writeFileSync(join(dir, 'bruger.csv'), 'old');
    writeFileSync(join(dir, 'manifest.json'), '{"old":true}');
    const exp = exportPlan2Learn(goldenSnapshot(), goldenOptions('Viborg'));
    await writeExport(dir, exp, '2024-05-16T02:00:00.000Z');
    assert.ok(readFileSync(join(dir, 'bruger.csv')).equals(exp.files[0]!.content));
    assert.equal(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).variant, 'Viborg');
    assert.deepEqual(readdirSync(dir).sort(), FILES);
  });

  it('on failure leaves no temporary files and no manifest claiming a complete set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moflow-p2l-'));
    writeFileSync(join(dir, 'manifest.json'), '{"old":true}');
    // A non-empty directory where leder.csv goes: the rename fails, even for root.
    mkdirSync(join(dir, 'leder.csv', 'blocker'), { recursive: true });
    await assert.rejects(writeExport(dir, exportPlan2Learn(goldenSnapshot(), goldenOptions('Viborg')), 'x'), /EISDIR|ENOTEMPTY|EEXIST/);
    const left = readdirSync(dir);
    assert.deepEqual(left.filter((f) => f.endsWith('.tmp')), []);
    assert.ok(!left.includes('manifest.json'));
  });
});
