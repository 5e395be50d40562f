// `moflow opus plan` and `moflow opus apply` as an operator runs them: against each MO (the local MO, and the
// real OS2MO through Keycloak), on generated dumps, reading settings.json; readable output, exit codes, no
// CPR numbers, errors that say what to do, and the mass-change guard holding back a dump until approved.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { generateDumps } from '../../src/opus/generate/index.js';
import type { Plan } from '../../src/sync/plan/types.js';
import { moKinds, moSkip, useMo } from '../support/moTargets.js';

const MOFLOW = new URL('../../bin/moflow.js', import.meta.url).pathname;
const run = promisify(execFile);
/** A CPR number as OPUS writes it, or with the dash; masked ones (010101-xxxx) do not match. */
const CPR = /\b\d{6}-?\d{4}\b/;

for (const kind of moKinds()) {
  describe(`moflow opus plan / apply (${kind})`, { skip: await moSkip(kind) }, () => {
    const mo = useMo(kind);
    let dir = '';
    let settings = '';
    let names: string[] = [];
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'moflow-opus-cli-'));
      const { files } = await generateDumps({ outDir: join(dir, 'dumps'), units: 20, employees: 150, days: 1, seed: 5 });
      names = files.map((f) => f.name);
      settings = join(dir, 'settings.json');
      writeFileSync(
        settings,
        JSON.stringify({
          'municipality.name': 'Andeby Kommune',
          'integrations.opus.import.xml_path': join(dir, 'dumps'),
          ...mo.settings(),
          'moflow.dar.enabled': false,
          'moflow.data_dir': join(dir, 'data'),
        }),
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const moflow = (...args: string[]) => moflowWith(settings, ...args);
    const moflowWith = async (settingsFile: string, ...args: string[]) => {
      try {
        const { stdout, stderr } = await run(process.execPath, [MOFLOW, '--settings', settingsFile, ...args], { env: { ...process.env, MOFLOW_SETTINGS: '' } });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };

    it('plan prints a summary per kind, the guard and the first writes, and writes nothing', async () => {
      const jsonFile = join(dir, 'plan.json');
      const { code, stdout, stderr } = await moflow('opus', 'plan', '--dump', names[0]!, '--limit', '5', '--json', jsonFile);
      assert.equal(code, 0, stderr);
      assert.match(stdout, new RegExp(`plan for ${names[0]} \\(changes take effect 2024-01-01\\), every record compared with MO`));
      assert.match(stdout, /^kind\s+create\s+update\s+terminate\s+delete\s+unchanged$/m);
      assert.match(stdout, /^orgUnit\s+20\s+0\s+0\s+0\s+0$/m);
      // The updates are primary classes: an engagement clipped to its unit (itself clipped to its parent) starts
      // later than OPUS says, and another engagement of the person is primary until then.
      assert.match(stdout, /^engagement\s+1[45]\d\s+\d\s+0\s/m);
      assert.match(stdout, /mass-change guard: .* within limits/);
      assert.match(stdout, /… and \d+ more \(--limit to see more, --json for all\)/);
      assert.doesNotMatch(stdout + stderr, CPR);
      assert.equal((await mo.ok<{ org_units: { objects: unknown[] } }>('{ org_units(filter: { from_date: null, to_date: null }) { objects { uuid } } }')).org_units.objects.length, 0);
      // --json: the whole plan, every write with its kind, action, input, subject and reason; private (CPR numbers).
      const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as Plan;
      assert.equal(statSync(jsonFile).mode & 0o777, 0o600);
      assert.equal(json.dump, names[0]);
      assert.equal(json.ops.length, Number(/^(\d+) writes in all$/m.exec(stdout)?.[1] ?? NaN));
      assert.equal(json.ops.filter((o) => o.op.kind === 'orgUnit' && o.op.action === 'create').length, 20);
      for (const o of json.ops) assert.ok(o.phase && o.subject.label && o.reason && typeof o.op.input === 'object', JSON.stringify(o));
      assert.ok(json.ops.some((o) => o.op.kind === 'person' && CPR.test(JSON.stringify(o.op.input))), 'people to create carry their CPR number');
      assert.equal(typeof json.massChange.activeEngagements, 'number');
    });

    it('apply imports the dump and reports counts; the next plan shows only the day\'s changes', async () => {
      const applied = await moflow('opus', 'apply', '--dump', names[0]!);
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stdout, /^  orgUnit\s+created 20$/m);
      assert.match(applied.stdout, /DAR look-ups are switched off/);
      assert.doesNotMatch(applied.stdout + applied.stderr, CPR);
      const next = await moflow('opus', 'plan');
      assert.equal(next.code, 0, next.stderr);
      assert.match(next.stdout, new RegExp(`plan for ${names[1]} \\(changes take effect 2024-01-02\\), compared with ${names[0]}`));
      const total = Number(/^(\d+) writes in all$/m.exec(next.stdout)?.[1] ?? NaN);
      assert.ok(total > 0 && total < 60, `a day's changes are a few writes, not the whole municipality (${total})`);
    });

    it('the mass-change guard holds back a dump that ends half the engagements: exit 3, nothing written; --approve-mass-change applies it', async () => {
      assert.equal((await moflow('opus', 'apply', '--dump', names[1]!)).code, 0);
      // The next day's dump without every other employment: a broken export, as far as the guard can tell.
      let kept = 0;
      const cut = readFileSync(join(dir, 'dumps', names[1]!), 'utf8').replace(/ <employee [\s\S]*?<\/employee>\n/g, (element) => (kept++ % 2 === 0 ? element : ''));
      const broken = 'ZLPE20240103223000_delta.xml';
      writeFileSync(join(dir, 'dumps', broken), cut);
      const engagements = async () => (await mo.client().engagements.read({}, 'all')).map((e) => JSON.stringify(e)).sort();
      const before = await engagements();

      const plan = await moflow('opus', 'plan', '--dump', broken);
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, /mass-change guard: ends \d+ of \d+ engagements .* NEEDS APPROVAL/);
      const held = await moflow('opus', 'apply', '--dump', broken);
      assert.equal(held.code, 3, held.stderr);
      const ending = Number(/held back by the mass-change guard: it would end (\d+) of \d+ active engagements/.exec(held.stderr)?.[1] ?? NaN);
      assert.ok(ending > 30, held.stderr);
      assert.match(held.stderr, /apply with --approve-mass-change if it is right/);
      assert.doesNotMatch(held.stdout + held.stderr, CPR);
      assert.deepEqual(await engagements(), before, 'a held-back dump writes nothing');

      const approved = await moflow('opus', 'apply', '--dump', broken, '--approve-mass-change');
      assert.equal(approved.code, 0, approved.stderr);
      assert.match(approved.stdout, new RegExp(`^  engagement\\s+.*terminated ${ending}\\b`, 'm'), 'the approved dump ends what the guard counted');
      assert.doesNotMatch(approved.stdout, /^failures/m);
    });

    it('an unknown dump is an error that says where to look, with exit code 1 and no stack trace', async () => {
      const { code, stderr } = await moflow('opus', 'plan', '--dump', 'ZLPE20990101_delta.xml');
      assert.equal(code, 1);
      assert.match(stderr, /ZLPE20990101_delta.xml is not a dump in local folder .* \(moflow opus dumps lists them\)/);
      assert.doesNotMatch(stderr, /unexpected error|at .*\.ts:\d+/);
    });

    it('an unreachable MO is an error that names the setting to check', async () => {
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ 'municipality.name': 'Andeby Kommune', 'integrations.opus.import.xml_path': join(dir, 'dumps'), 'mora.base': 'http://127.0.0.1:9', 'moflow.dar.enabled': false, 'moflow.data_dir': join(dir, 'data') }));
      const { code, stderr } = await moflowWith(bad, 'opus', 'plan');
      assert.equal(code, 1);
      assert.match(stderr, /mora\.base/);
      assert.doesNotMatch(stderr, /unexpected error/);
    });
  });
}
