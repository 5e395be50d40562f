// `moflow opus history`: what each recorded run did to one employment or person, from the journals the
// write steps leave, oldest dump first; against each MO, through the steps the Temporal activities run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { historyOf } from '../../src/opusRuns/history.js';
import { runImportStep } from '../../src/opusRuns/importSteps.js';
import { journalFile } from '../../src/opusRuns/journal.js';
import { writeStepReport } from '../../src/opusRuns/reportFiles.js';
import { dumpXml, TREE, type EmployeeSpec } from '../support/opusXml.js';
import { MUNICIPALITY, useImportEnv } from '../support/importEnv.js';
import { moKinds } from '../support/moTargets.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CPR_A = '0101701234';
const a = (over: Partial<EmployeeSpec> = {}): EmployeeSpec => ({ id: '101', cpr: CPR_A, firstName: 'Anna', lastName: 'And', orgUnit: '2', entryDate: '2020-01-01', ...over });
// Anna's second employment, and someone else.
const a2: EmployeeSpec = { id: '103', cpr: CPR_A, firstName: 'Anna', lastName: 'And', orgUnit: '4', entryDate: '2020-01-01' };
const b: EmployeeSpec = { id: '102', cpr: '0202702345', firstName: 'Bo', lastName: 'Bøg', orgUnit: '3', entryDate: '2020-01-01' };

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, ['bin/moflow.js', ...args], { cwd: ROOT, env: { ...process.env, MOFLOW_SETTINGS: '' } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
}

for (const kind of moKinds()) {
  describe(`moflow opus history (${kind} MO)`, () => {
    const env = useImportEnv(kind);

    async function importDay(day: string, employees: EmployeeSpec[], previous: string | null): Promise<string> {
      const name = env.dump(day, dumpXml(TREE, employees));
      for (const step of ['units', 'employees'] as const) {
        const { report } = await runImportStep(env.client, env.source, { name, previous }, env.settings(), step, { approved: true, attempt: 1, resumedAfter: null });
        writeStepReport(join(env.dir, 'data', 'opus', 'reports'), name, step, report);
      }
      return name;
    }

    it('lists every run that wrote the employment or its person, with what, why and the outcome, and nothing of others', async () => {
      const d1 = await importDay('2024-03-01', [a(), a2, b], null);
      const d2 = await importDay('2024-03-02', [a({ orgUnit: '3' }), a2, b], d1);
      const d3 = await importDay('2024-03-03', [a({ orgUnit: '3', lastName: 'Andersen' }), a2, b], d2);
      const d4 = await importDay('2024-03-04', [a({ orgUnit: '3', lastName: 'Andersen', leaveDate: '2024-03-31' }), a2, b], d3);
      const reports = join(env.dir, 'data', 'opus', 'reports');
      // The journal holds person uuids and ids, never a CPR number, and only moflow's user reads it.
      assert.doesNotMatch(readFileSync(journalFile(reports, d1), 'utf8'), /0101701234|0202702345/);
      assert.equal(statSync(journalFile(reports, d1)).mode & 0o777, 0o600);

      const runs = historyOf(reports, { opusId: '101' });
      assert.deepEqual(runs.map((r) => r.dump), [d1, d2, d3, d4]);
      const writes = (i: number) => runs[i]!.writes.map((w) => `${w.write} ${w.outcome}`).sort();
      assert.ok(writes(0).includes('engagement create created') && writes(0).includes('person create created'), writes(0).join(', '));
      assert.ok(runs[0]!.writes.every((w) => w.opusId === '101' || !/^(engagement|manager) /.test(w.write)), "employment 103's engagement is not 101's history");
      assert.deepEqual(runs[1]!.writes.filter((w) => w.write.startsWith('engagement')).map((w) => `${w.write} ${w.from}`), ['engagement update 2024-03-02']);
      // The surname is the person's: filed under whichever employment speaks for Anna, found through her uuid.
      assert.ok(writes(2).includes('person update updated'), writes(2).join(', '));
      assert.ok(writes(3).some((w) => w.startsWith('engagement terminate')), writes(3).join(', '));
      assert.ok(runs.flatMap((r) => r.writes).every((w) => w.reason.length > 0 && w.subject.length > 0));
      assert.deepEqual(historyOf(reports, { opusId: '102' }).map((r) => r.dump), [d1], 'Bo was only written by the first import');
      assert.deepEqual(historyOf(reports, { opusId: '999' }), []);

      // The issues a run's report lists for the id come along.
      const reportFile = join(reports, `${d4}.json`);
      writeFileSync(reportFile, JSON.stringify({ dump: d4, issues: [{ opusId: '101', kind: 'employment', message: 'employment 101: an issue' }, { opusId: '102', kind: 'employment', message: 'not this one' }] }));
      assert.deepEqual(historyOf(reports, { opusId: '101' }).at(-1)!.issues, ['employment 101: an issue']);

      // The command line: by employment id, and by CPR number (looked up in MO, masked in the output).
      const settingsFile = join(env.dir, 'settings.json');
      writeFileSync(settingsFile, JSON.stringify({ 'municipality.name': MUNICIPALITY, ...env.moSettings(), 'moflow.data_dir': join(env.dir, 'data'), 'integrations.opus.import.xml_path': env.dir, 'moflow.dar.enabled': false }));
      // A direct run (`opus apply`, no Temporal) is told of too.
      const d5 = env.dump('2024-03-05', dumpXml(TREE, [a({ orgUnit: '2', lastName: 'Andersen', leaveDate: '2024-03-31' }), a2, b]));
      const applied = await cli(['--settings', settingsFile, 'opus', 'apply', '--dump', d5, '--previous', d4]);
      assert.equal(applied.code, 0, applied.stderr);
      const byId = await cli(['--settings', settingsFile, 'opus', 'history', '101']);
      assert.equal(byId.code, 0, byId.stderr);
      assert.deepEqual([...byId.stdout.matchAll(/^(ZLPE\S+)/gm)].map((m) => m[1]), [d1, d2, d3, d4, d5]);
      assert.match(byId.stdout, /engagement update 2024-03-02 → /);
      assert.match(byId.stdout, /engagement update 2024-03-05 → .*apply step/);
      assert.match(byId.stderr, /employment 101: 5 run\(s\)/);
      const byCpr = await cli(['--settings', settingsFile, 'opus', 'history', '--cpr', CPR_A, '--json']);
      assert.equal(byCpr.code, 0, byCpr.stderr);
      const json = JSON.parse(byCpr.stdout) as { subject: string; runs: { writes: { opusId: string }[] }[] };
      assert.equal(json.subject, 'person 010170-xxxx');
      const ids = new Set(json.runs.flatMap((r) => r.writes.map((w) => w.opusId)));
      assert.ok(ids.has('101') && ids.has('103') && !ids.has('102'), [...ids].join(','));
      assert.doesNotMatch(byCpr.stdout + byCpr.stderr, /0101701234/);
    });
  });
}
