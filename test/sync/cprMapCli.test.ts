// The CPR mapping's round trip and the direct re-import as operators run them: `moflow mo export-cpr-map`
// writes everybody's uuid from one MO; a fresh MO importing the same dumps with that file gives every person
// the same uuid. `moflow opus reimport --direct` (and --dry-run) puts a deleted engagement back. No CPR number
// reaches the terminal.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { generateDumps } from '../../src/opus/generate/index.js';
import { useImportEnv } from '../support/importEnv.js';
import { moKinds, moSkip } from '../support/moTargets.js';

const MOFLOW = new URL('../../bin/moflow.js', import.meta.url).pathname;
const CPR = /\b\d{6}-?\d{4}\b/;

function moflow(settingsFile: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MOFLOW, '--settings', settingsFile, ...args], { env: { ...process.env, MOFLOW_SETTINGS: '' } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

for (const kind of moKinds()) {
  describe(`the CPR mapping round trip, and the direct re-import, from the command line (${kind})`, { skip: await moSkip(kind) }, () => {
    // Two MOs of the kind: the one the mapping is exported from, and a fresh one importing with it.
    const first = useImportEnv(kind);
    const fresh = useImportEnv(kind);
    let names: string[] = [];
    let settingsFile = '';
    const mapFile = () => join(first.dir, 'cpr_uuid_map.csv');
    const uuidsByCpr = async (env: typeof first) => new Map((await env.client.persons.read({}, 'all')).map((p) => [p.validities[0]!.cprNumber!, p.uuid]));

    before(async () => {
      const { files } = await generateDumps({ outDir: first.dir, units: 12, employees: 80, days: 1, seed: 41 });
      names = files.map((f) => f.name);
      for (const name of names) writeFileSync(join(fresh.dir, name), readFileSync(join(first.dir, name)));
      settingsFile = join(first.dir, 'settings.json');
      const settings = (mo: Record<string, string>, extra: Record<string, unknown> = {}) =>
        JSON.stringify({ 'municipality.name': 'Andeby Kommune', 'integrations.opus.import.xml_path': fresh.dir, ...mo, 'moflow.dar.enabled': false, 'moflow.data_dir': join(first.dir, 'data'), ...extra });
      writeFileSync(settingsFile, settings(first.moSettings()));
      writeFileSync(join(fresh.dir, 'settings.json'), settings(fresh.moSettings(), { 'integrations.opus.import.cpr_uuid_map_path': mapFile() }));
      for (const [i, name] of names.entries()) assert.deepEqual((await first.run(name, i === 0 ? null : names[i - 1]!)).report.failures, []);
    });

    it('export-cpr-map writes every person of MO; a fresh MO importing with the file gives everybody the same uuid', async () => {
      const exported = await moflow(settingsFile, 'mo', 'export-cpr-map', mapFile());
      assert.equal(exported.code, 0, exported.stderr);
      const before = await uuidsByCpr(first);
      assert.match(exported.stderr, new RegExp(`wrote the CPR mapping of ${before.size} people to `));
      assert.doesNotMatch(exported.stdout + exported.stderr, CPR);
      const lines = readFileSync(mapFile(), 'utf8').trim().split('\n');
      assert.equal(lines[0], '"cpr";"mo_uuid";"ad_guid";"sam_account_name"');
      assert.equal(lines.length, before.size + 1);

      const mapped = fresh.settings({ cprMapPath: mapFile() });
      const { importDump } = await import('../../src/sync/importDump.js');
      for (const [i, name] of names.entries()) {
        const { report } = await importDump(fresh.client, fresh.source, { name, previous: i === 0 ? null : names[i - 1]! }, { ...mapped, approveMassChange: false });
        assert.deepEqual(report.failures, []);
      }
      const after = await uuidsByCpr(fresh);
      assert.ok(after.size > 70);
      // Without the file every person would get a new random uuid (the import never derives one from the CPR).
      for (const [cpr, uuid] of after) assert.equal(uuid, before.get(cpr), 'the same uuid as before');
    });

    it('opus reimport --direct puts a deleted engagement back; --dry-run only shows the plan', async () => {
      const settings = join(fresh.dir, 'settings.json');
      const [engagement] = await fresh.client.engagements.read({}, 'current');
      const id = engagement!.validities[0]!.userKey;
      const history = (await fresh.client.engagements.read({ userKeys: [id] }, 'all'))[0]!.validities;
      await fresh.client.engagements.delete({ uuid: engagement!.uuid });

      const dry = await moflow(settings, 'opus', 'reimport', id, '--days', '5000', '--dry-run');
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, new RegExp(`^dry run: re-import of employment ${id} from the dumps since \\d{4}-\\d\\d-\\d\\d \\(2 read, 1 replayed\\)`));
      assert.match(dry.stdout, new RegExp(`engagement create\\s+employment ${id}: new in OPUS`));
      assert.equal((await fresh.client.engagements.read({ userKeys: [id] }, 'all')).length, 0, 'a dry run writes nothing');

      const direct = await moflow(settings, 'opus', 'reimport', id, '--days', '5000', '--direct');
      assert.equal(direct.code, 0, direct.stderr);
      assert.match(direct.stdout, /^\s+engagement\s+created 1$/m);
      assert.doesNotMatch(direct.stdout + direct.stderr + dry.stdout + dry.stderr, CPR);
      assert.deepEqual((await fresh.client.engagements.read({ userKeys: [id] }, 'all'))[0]!.validities, history);

      const none = await moflow(settings, 'opus', 'reimport', '999999', '--days', '5000', '--direct');
      assert.equal(none.code, 1);
      assert.match(none.stderr, /^moflow: employment 999999 is in none of the 2 dump\(s\)/m);
      assert.doesNotMatch(none.stderr, /at .*\.ts:\d+/, 'no stack trace');
    });
  });
}
