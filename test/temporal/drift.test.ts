// The drift check on a real Temporal dev server, a worker in this process and each MO (the local MO and the
// real OS2MO 66.1.2): after a sync, `moflow opus drift` finds nothing; after two hand edits in MO (a unit
// renamed, an engagement ended) it lists exactly those, says so in the run's memo, sends a 'drift-found' alert
// and exits 1; `--fix` writes MO back, and the next check finds nothing again. The weekly schedule is applied
// with the others.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addDays, copenhagenToday } from '../../src/mo/index.js';
import type { DriftDifference } from '../../src/opusRuns/driftText.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { applySchedules } from '../../src/temporal/schedules.js';
import { MOFLOW_SEARCH_ATTRIBUTES, OPUS_DRIFT_SCHEDULE_ID } from '../../workflows/definitions.js';
import { startWebhook, type TestWebhook } from '../alerts/servers.js';
import { dumpName, UUIDS } from '../support/importEnv.js';
import { moflow } from '../support/moflowCli.js';
import { dumpXml, TREE } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';
import { FAST, useOpusWorld } from '../support/opusWorld.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';

const STAFF = [
  { id: '1000', cpr: '0101801234', orgUnit: '2' },
  { id: '1001', cpr: '0202801234', orgUnit: '3' },
  { id: '1002', cpr: '0303801234', orgUnit: '4' },
];

for (const kind of moKinds()) describe(`the drift check (${kind} MO)`, { skip: temporalSkip() || (await moSkip(kind)) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld({}, { kind });
  let hook: TestWebhook;
  before(async () => {
    hook = await startWebhook();
  });
  after(() => hook?.stop());

  it('lists exactly the hand edits, alerts, and with --fix writes MO back', async () => {
    const days = [addDays(copenhagenToday(), -3), addDays(copenhagenToday(), -2)];
    writeFileSync(join(world.dumpsDir, dumpName(days[0]!)), dumpXml(TREE, STAFF));
    // The second dump changes a position: the newest imported dump is compared with the one before it.
    writeFileSync(join(world.dumpsDir, dumpName(days[1]!)), dumpXml(TREE, STAFF.map((e) => (e.id === '1002' ? { ...e, position: 'Leder' } : e))));
    const settings = JSON.parse(readFileSync(world.settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(world.settingsFile, JSON.stringify({ ...settings, 'moflow.alerts.webhook.url': hook.url }));
    const taskQueue = temporal.taskQueue('drift');
    const target = { settingsFile: world.settingsFile, address: temporal.server.address, taskQueue };
    const client = world.mo.client;
    const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });

    await worker.runUntil(async () => {
      const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST });
      assert.equal((await handle.result()).imported, 2);

      const clean = await moflow(target, ['opus', 'drift']);
      assert.equal(clean.code, 0, clean.stderr);
      assert.match(clean.stdout, new RegExp(`^drift check: MO against ${dumpName(days[1]!)}: no differences\n  compared with ${dumpName(days[0]!)}`));

      // Hand edits in MO: employment 1001's engagement ended today (OPUS did not change it: only a check that
      // compares every record finds it), then unit 3 renamed from today.
      const today = copenhagenToday();
      const [engagement] = await client.engagements.read({ userKeys: ['1001'] }, 'current');
      await client.write([{ kind: 'engagement', action: 'terminate', input: { uuid: engagement!.uuid, to: today } }]);
      const ended = await moflow(target, ['opus', 'drift']);
      assert.equal(ended.code, 1, `${ended.stdout}\n${ended.stderr}`);
      assert.match(ended.stdout, /: 1 difference\(s\) \(engagement \w+ 1\)\n(.*\n)*  engagement \w+ .*1001/);
      // Here and now, without a worker: the same finding (the newest imported dump still comes from Temporal,
      // or is named).
      const direct = await moflow(target, ['opus', 'drift', '--direct']);
      assert.equal(direct.code, 1, direct.stderr);
      assert.match(direct.stdout, new RegExp(`^drift check: MO against ${dumpName(days[1]!)}: 1 difference\\(s\\) \\(engagement \\w+ 1\\)`));
      const named = await moflow(target, ['opus', 'drift', '--direct', '--dump', dumpName(days[0]!)]);
      assert.match(named.stdout, new RegExp(`^drift check: MO against ${dumpName(days[0]!)}: `));

      const [unit] = await client.orgUnits.read({ uuids: [UUIDS.unit('3')] }, 'current');
      await client.write([
        { kind: 'orgUnit', action: 'update', input: { uuid: unit!.uuid, name: 'Omdøbt i hånden', parentUuid: UUIDS.unit('1'), from: today, to: null } },
      ]);
      const found = await moflow(target, ['opus', 'drift']);
      assert.equal(found.code, 1, `differences found: exit 1\n${found.stderr}`);
      assert.match(found.stdout, /^drift check: MO against \S+: 2 difference\(s\) \(engagement \w+ 1, orgUnit update 1\)\n/);
      assert.match(found.stdout, /report only: `moflow opus drift --fix`/);
      const reportFile = /every difference is in (\S+)/.exec(found.stdout)?.[1];
      assert.ok(reportFile?.startsWith(join(world.dataDir, 'opus', 'drift')), found.stdout);
      const report = JSON.parse(readFileSync(reportFile!, 'utf8')) as { differences: DriftDifference[] };
      assert.deepEqual(
        report.differences.map((d) => `${d.kind} ${d.opusId}`).sort(),
        ['engagement 1001', 'orgUnit 3'],
        'exactly the two hand edits',
      );

      // The run: its memo says what it found, and the alert went out.
      const workflowId = /started (opus-drift-\S+);/.exec(found.stderr)?.[1];
      assert.ok(workflowId, found.stderr);
      const memo = (await temporal.client.workflow.getHandle(workflowId).describe()).memo as Record<string, unknown>;
      assert.equal(memo.status, 'differences found');
      assert.match(String(memo.summary), /2 difference\(s\)/);
      assert.equal((memo.first as string[]).length, 2);
      const alerts = hook.accepted() as { moflow: { event: string; workflowId: string } }[];
      assert.deepEqual(alerts.map((a) => a.moflow.event), ['drift-found', 'drift-found'], 'one alert per check that found something');
      assert.equal(alerts[1]!.moflow.workflowId, workflowId);

      const fixed = await moflow(target, ['opus', 'drift', '--fix']);
      assert.equal(fixed.code, 0, `${fixed.stdout}\n${fixed.stderr}`);
      assert.match(fixed.stdout, /2 difference\(s\) .*; fixed: \d+ write\(s\)\n/);
      const [unitNow] = await client.orgUnits.read({ uuids: [UUIDS.unit('3')] }, 'current');
      assert.equal(unitNow!.validities.at(-1)!.name, 'Enhed 3', 'the name the dump has');
      const [engagementNow] = await client.engagements.read({ userKeys: ['1001'] }, 'current');
      assert.equal(engagementNow!.validities.at(-1)!.to, null, 'the engagement runs on, as in the dump');

      const again = await moflow(target, ['opus', 'drift']);
      assert.equal(again.code, 0, again.stdout);
      assert.match(again.stdout, /: no differences\n/);

      // While a sync writes, MO is between two dumps: the check (and a fix) waits for another time.
      const { handle: syncing } = await startOrJoinSync(temporal.client, temporal.taskQueue('no-worker'), { tuning: FAST });
      try {
        const busy = await moflow(target, ['opus', 'drift', '--fix']);
        assert.equal(busy.code, 1);
        assert.equal(busy.stdout, `drift check: nothing to compare: a sync is running (${syncing.workflowId}); check again when it has stopped (moflow opus status)\n`);
      } finally {
        await syncing.terminate('test done');
      }
    });
  });

  it('runs weekly: `schedules apply` makes its schedule, Sundays 03:00 Copenhagen by default', async () => {
    const taskQueue = temporal.taskQueue('drift-schedule');
    const outcomes = await applySchedules(temporal.client, taskQueue, { timeZone: 'Europe/Copenhagen', opusSync: null, plan2learnExport: null, opusDrift: '0 3 * * 0' });
    assert.deepEqual(outcomes.find((o) => o.scheduleId === OPUS_DRIFT_SCHEDULE_ID), { scheduleId: OPUS_DRIFT_SCHEDULE_ID, outcome: 'created', cron: '0 3 * * 0' });
    const described = await temporal.client.schedule.getHandle(OPUS_DRIFT_SCHEDULE_ID).describe();
    assert.equal(described.action.type === 'startWorkflow' && described.action.workflowType, 'opusDriftCheck');
    assert.deepEqual(described.spec.calendars?.[0]?.dayOfWeek, [{ start: 'SUNDAY', end: 'SUNDAY', step: 1 }]);
    await temporal.client.schedule.getHandle(OPUS_DRIFT_SCHEDULE_ID).delete();
  });
});
