// The OPUS sync on a real Temporal dev server, a worker in this process and each MO — the local MO and the
// real OS2MO 66.1.2 (written once, see test/support/moTargets.ts): it ends where the direct import ends; a
// dump that cannot be read blocks the later ones until it is resumed or skipped; a mass change waits for an
// operator's approval. Operators' steps go through the real `moflow` CLI.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { generateDumps } from '../../src/opus/generate/index.js';
import { parseDumpName } from '../../src/opus/dumpName.js';
import type { ImportRunReport } from '../../src/opusRuns/types.js';
import { dumpRunState } from '../../src/temporal/opusHistory.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { opusStatus } from '../../src/temporal/opusStatus.js';
import { importDumpWorkflowId, importProgress, MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';
import { dumpName } from '../support/importEnv.js';
import { moflow } from '../support/moflowCli.js';
import { dumpXml, TREE, type EmployeeSpec } from '../support/opusXml.js';
import { moKinds, moSkip, type MoKind } from '../support/moTargets.js';
import { FAST, useOpusWorld, type OpusWorld } from '../support/opusWorld.js';
import { temporalSkip, useTemporal, type TemporalTestEnv } from '../support/temporal.js';

const timestampOf = (name: string) => {
  const parsed = parseDumpName(name);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.dump.timestamp;
};
const report = (temporal: TemporalTestEnv, name: string): Promise<ImportRunReport> =>
  temporal.client.workflow.getHandle(importDumpWorkflowId(timestampOf(name))).result();
const failureOf = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    (value) => assert.fail(`the sync should have failed, but returned ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WorkflowFailedError, String(error));
  return error.cause?.message ?? '';
};

// The real OS2MO writes ~30–50 objects/s (the local MO ~10,000/s): a smaller municipality keeps its run to minutes.
const FIVE_DUMPS: Record<MoKind, { units: number; employees: number }> = { local: { units: 30, employees: 400 }, os2mo: { units: 15, employees: 100 } };

for (const kind of moKinds()) describe(`the OPUS sync on Temporal (${kind} MO)`, { skip: temporalSkip() || (await moSkip(kind)) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const sync = async (world: OpusWorld, taskQueue: string, resume = false) => {
    const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST, resume });
    return handle.result();
  };

  describe('five generated dumps', () => {
    const world = useOpusWorld({}, { kind });

    it('are imported oldest first, one child per dump, ending in the same MO state as the direct import', async () => {
      const size = FIVE_DUMPS[kind];
      const { files } = await generateDumps({ outDir: world.dumpsDir, ...size, days: 4, seed: 11 });
      const names = files.map((f) => f.name);
      const uninterrupted = world.uninterrupted(names);
      const taskQueue = temporal.taskQueue('sync');
      const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
      const [result, nextNight] = await worker.runUntil(async () => [await sync(world, taskQueue), await sync(world, taskQueue)]);
      assert.deepEqual(result, { outcome: 'up to date', note: null, imported: 5, last: names[4] });
      assert.deepEqual(nextNight, { outcome: 'up to date', note: null, imported: 0, last: null }, 'the next night finds nothing new');

      // Each dump is one workflow id, derived from its timestamp; each run compared it with the one before.
      const reports = await Promise.all(names.map((name) => report(temporal, name)));
      assert.deepEqual(reports.map((r) => r.previous), [null, ...names.slice(0, 4)]);
      assert.ok(reports.every((r) => r.status === 'imported' && r.failureCount === 0), JSON.stringify(reports.map((r) => r.failures)));
      // At least a unit per unit and a person and an engagement per employment.
      const created = reports[0]!.totals.created ?? 0;
      assert.ok(created > size.units + 2 * size.employees, `the first dump creates the organisation (${JSON.stringify(reports[0]!.totals)})`);
      assert.match(reports[0]!.sha256 ?? '', /^[0-9a-f]{64}$/);

      const direct = await uninterrupted;
      const [viaTemporal, viaDirect] = await Promise.all([world.mo.snapshot(), direct.snapshot()]);
      assert.deepEqual(viaTemporal.counts, viaDirect.counts, 'the same objects of each kind (no duplicates)');
      assert.deepEqual(viaTemporal.kinds, viaDirect.kinds, 'the same objects with the same history');

      const status = await opusStatus(temporal.client);
      assert.equal(status.lines.length, 5);
      assert.match(status.lines[0]!, /^id: 1, dump date: 2024-01-01 \d\d:\d\d:\d\d CET, status: Import ended \d{4}-\d\d-\d\d [\d:]+ CES?T, created \d+/);
      assert.equal(status.canStart, true);
      assert.equal(status.verdict, `next run: can start (last done: ${names[4]})`);

      // The runs are findable by their search attributes.
      const found = [];
      for await (const run of temporal.client.workflow.list({ query: `OpusMunicipality='Andeby Kommune' AND OpusDumpTimestamp >= '2024-01-03T00:00:00Z'` })) found.push(run.workflowId);
      assert.deepEqual(found.sort(), names.slice(2).map((n) => importDumpWorkflowId(timestampOf(n))).sort());
    });
  });

  describe('a dump that cannot be read', () => {
    const world = useOpusWorld({}, { kind });
    let generated = '';
    let names: string[] = [];
    before(async () => {
      generated = mkdtempSync(join(tmpdir(), 'moflow-gen-'));
      // Its own dates: the run history is per namespace, and the other suites' dumps are in it too.
      names = (await generateDumps({ outDir: generated, units: 10, employees: 60, days: 5, seed: 3, startDate: '2024-02-01' })).files.map((f) => f.name);
    });
    after(() => rmSync(generated, { recursive: true, force: true }));
    const put = (name: string, broken = false) => {
      const text = readFileSync(join(generated, name), 'utf8');
      // A mangled closing tag inside the first employee: malformed XML, found at that record.
      writeFileSync(join(world.dumpsDir, name), broken ? text.replace('</lastName>', '</lastNam>') : text);
    };

    it('blocks the later dumps, says why in status, and a resume after the fix imports the rest', async () => {
      for (const [i, name] of names.slice(0, 4).entries()) put(name, i === 1);
      const taskQueue = temporal.taskQueue('blocked');
      const target = { settingsFile: world.settingsFile, address: temporal.server.address, taskQueue };
      const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
      await worker.runUntil(async () => {
        const why = await failureOf(sync(world, taskQueue));
        assert.match(why, new RegExp(`${names[1]}: validating failed: ${names[1]}:\\d+: malformed XML: .* inside employee id=\\d+.*the later dumps wait`));
        assert.equal((await dumpRunState(temporal.client, timestampOf(names[2]!))).state, 'none', 'the later dumps wait');
        assert.equal((await report(temporal, names[0]!)).status, 'imported');

        const again = await failureOf(sync(world, taskQueue));
        assert.match(again, new RegExp(`^${names[1]} was not imported \\(.*\\); 2 later dump\\(s\\) wait\\. .*moflow opus resume`));

        const status = await moflow(target, ['opus', 'status']);
        assert.equal(status.code, 0, status.stderr);
        // The namespace's history holds the other suites' runs too: look at this suite's dumps.
        const all = status.stdout.trim().split('\n');
        const lines = all.filter((l) => l.includes('dump date: 2024-02-'));
        assert.match(lines[0]!, /^id: \d+, dump date: 2024-02-01 .*status: Import ended/);
        assert.match(lines[1]!, /^id: \d+, dump date: 2024-02-02 .*status: Import failed .* \(failed\): .*validating failed: .*:\d+: malformed XML: .* inside employee id=\d+/);
        assert.equal(lines.length, 2);
        assert.match(all.at(-1)!, new RegExp(`^next run: cannot start: ${names[1]} failed \\(.*:\\d+: malformed XML.*\\); later dumps wait\\. Fix the cause, then \`moflow opus resume\``));

        put(names[1]!);
        const resumed = await moflow(target, ['opus', 'resume', '--wait']);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.deepEqual(JSON.parse(resumed.stdout.trim().split('\n').at(-1)!), { outcome: 'up to date', note: null, imported: 3, last: names[3] });
        assert.equal((await report(temporal, names[1]!)).previous, names[0], 'the resumed dump is compared with the one before it');
        const after = await opusStatus(temporal.client);
        assert.equal(after.lines.filter((l) => l.includes('dump date: 2024-02-')).length, 5, 'the failed run stays in the history next to the resumed one');
        assert.equal(after.canStart, true);
      });
    });

    it('a skipped dump is recorded with its reason, and the next dump is compared with the last imported one', async () => {
      put(names[4]!, true);
      const taskQueue = temporal.taskQueue('skip');
      const target = { settingsFile: world.settingsFile, address: temporal.server.address, taskQueue };
      const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
      await worker.runUntil(async () => {
        await failureOf(sync(world, taskQueue));
        const skipped = await moflow(target, ['opus', 'skip', names[4]!, '--reason', 'KMD sent a broken file (ticket 42)']);
        assert.equal(skipped.code, 0, skipped.stderr);
        const recorded = await report(temporal, names[4]!);
        assert.equal(recorded.status, 'skipped');
        assert.equal(recorded.skipped?.reason, 'KMD sent a broken file (ticket 42)');
        assert.match(recorded.skipped?.by ?? '', /.+@.+/);
        const twice = await moflow(target, ['opus', 'skip', names[4]!, '--reason', 'again']);
        assert.notEqual(twice.code, 0);
        assert.match(twice.stderr, /was already skipped/);

        put(names[5]!);
        assert.deepEqual(await sync(world, taskQueue), { outcome: 'up to date', note: null, imported: 1, last: names[5] });
        assert.equal((await report(temporal, names[5]!)).previous, names[3], 'compared with the last imported dump, not the skipped one');
        const status = await opusStatus(temporal.client);
        assert.ok(status.lines.some((l) => new RegExp(`status: Skipped .*KMD sent a broken file \\(ticket 42\\)`).test(l)), status.lines.join('\n'));
      });
    });
  });

  describe('the mass-change guard', () => {
    const world = useOpusWorld({ 'integrations.opus.mass_change.min_count': 10 }, { kind });

    it('holds the import until `moflow opus approve`, and the report says who approved', async () => {
      const staff = (n: number): EmployeeSpec[] =>
        Array.from({ length: n }, (_, i) => ({ id: String(2000 + i), cpr: `0101${String(70 + (i % 30))}${String(4000 + i).slice(-4)}`, orgUnit: i % 2 ? '3' : '2' }));
      writeFileSync(join(world.dumpsDir, dumpName('2024-03-01')), dumpXml(TREE, staff(30)));
      writeFileSync(join(world.dumpsDir, dumpName('2024-03-02')), dumpXml(TREE, staff(10)));
      const held = dumpName('2024-03-02');
      const taskQueue = temporal.taskQueue('guard');
      const target = { settingsFile: world.settingsFile, address: temporal.server.address, taskQueue };
      const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
      await worker.runUntil(async () => {
        const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST });
        const child = temporal.client.workflow.getHandle(importDumpWorkflowId(timestampOf(held)));
        let waiting: string | null = null;
        for (let i = 0; i < 200 && waiting === null; i++) {
          waiting = (await child.query(importProgress).catch(() => null))?.awaitingApproval ?? null;
          if (waiting === null) await sleep(100);
        }
        assert.match(waiting ?? '', /mass-change guard: it would end 20 of 30 active engagements/);
        const status = await opusStatus(temporal.client);
        assert.match(status.verdict, new RegExp(`cannot start: ${held} waits for mass-change approval .*moflow opus approve ${held}`));
        assert.match(status.lines.at(-1)!, /status: Waiting for mass-change approval since/);

        const approved = await moflow(target, ['opus', 'approve', held]);
        assert.equal(approved.code, 0, approved.stderr);
        assert.deepEqual(await handle.result(), { outcome: 'up to date', note: null, imported: 2, last: held });
        const done = await child.result();
        assert.match(done.approvedBy ?? '', /.+@.+/);
        assert.equal(done.totals.terminated, 20);
        assert.equal((await world.mo.client.engagements.read({}, 'current')).length, 10);
      });
    });
  });
});
