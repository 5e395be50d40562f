// Operators' side of the OPUS workflows on a real dev server, against each MO (the local MO and the real
// OS2MO 66.1.2, written once): two `moflow opus import` at once start one sync; `moflow schedules apply` twice
// leaves one schedule per job; a re-import requested with the temporal CLI's plain `workflow signal` (and
// with `moflow opus reimport`) puts a tampered employment right again.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ScheduleOverlapPolicy, type Connection } from '@temporalio/client';
import { addDays, copenhagenToday } from '../../src/mo/index.js';
import { temporalCliPath } from '../../src/temporal/binary.js';
import { ensureControl } from '../../src/temporal/opusOps.js';
import { ensureSearchAttributes } from '../../src/temporal/searchAttributes.js';
import { MOFLOW_SEARCH_ATTRIBUTES, OPUS_CONTROL_ID, OPUS_DRIFT_SCHEDULE_ID, OPUS_SYNC_ID, OPUS_SYNC_SCHEDULE_ID, PLAN2LEARN_SCHEDULE_ID, reimportLog } from '../../workflows/definitions.js';
import type { opusSync } from '../../workflows/index.js';
import { dumpName, UUIDS } from '../support/importEnv.js';
import { moflow } from '../support/moflowCli.js';
import { dumpXml, TREE } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';
import { FAST, useOpusWorld } from '../support/opusWorld.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';

const STAFF = [
  { id: '1000', cpr: '0101801234', orgUnit: '2' },
  { id: '1001', cpr: '0202801234', orgUnit: '3' },
];

for (const kind of moKinds()) describe(`operating the OPUS workflows (${kind} MO)`, { skip: temporalSkip() || (await moSkip(kind)) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld({}, { kind });
  const target = (taskQueue: string) => ({ settingsFile: world.settingsFile, address: temporal.server.address, taskQueue });
  // Within the last 30 days, so the re-import below finds them.
  const days = [addDays(copenhagenToday(), -3), addDays(copenhagenToday(), -2)];

  it('two `moflow opus import` at once start one sync, and both name it', async () => {
    for (const day of days) writeFileSync(join(world.dumpsDir, dumpName(day)), dumpXml(TREE, STAFF));
    const since = new Date(Date.now() - 1000).toISOString();
    const taskQueue = temporal.taskQueue('twice');
    // No worker yet: the first sync is certainly still running when the second command looks.
    const [a, b] = await Promise.all([moflow(target(taskQueue), ['opus', 'import']), moflow(target(taskQueue), ['opus', 'import'])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual([a.stdout.trim(), b.stdout.trim()].sort(), [`joined ${OPUS_SYNC_ID}`, `started ${OPUS_SYNC_ID}`]);

    const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
    const result = await worker.runUntil(temporal.client.workflow.getHandle<typeof opusSync>(OPUS_SYNC_ID).result());
    assert.deepEqual(result, { outcome: 'up to date', note: null, imported: 2, last: dumpName(days[1]!) });
    assert.equal((await temporal.client.workflow.count(`WorkflowType='opusSync' AND StartTime > '${since}'`)).count, 1);
  });

  it('`moflow schedules apply` twice gives one schedule per job; a changed cron updates it and keeps a pause', async () => {
    const taskQueue = temporal.taskQueue('schedules');
    const settings = JSON.parse(readFileSync(world.settingsFile, 'utf8')) as Record<string, unknown>;
    const withCron = (cron: string) => writeFileSync(world.settingsFile, JSON.stringify({ ...settings, 'moflow.schedules.opus_sync': cron }));
    try {
      withCron('15 2 * * *');
      const first = await moflow(target(taskQueue), ['schedules', 'apply']);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(
        first.stdout,
        `${OPUS_SYNC_SCHEDULE_ID}: created (15 2 * * *, Europe/Copenhagen)\n${PLAN2LEARN_SCHEDULE_ID}: created (0 5 * * *, Europe/Copenhagen)\n` +
          `${OPUS_DRIFT_SCHEDULE_ID}: created (0 3 * * 0, Europe/Copenhagen)\n`,
      );
      const second = await moflow(target(taskQueue), ['schedules', 'apply']);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(
        second.stdout,
        `${OPUS_SYNC_SCHEDULE_ID}: unchanged (15 2 * * *, Europe/Copenhagen)\n${PLAN2LEARN_SCHEDULE_ID}: unchanged (0 5 * * *, Europe/Copenhagen)\n` +
          `${OPUS_DRIFT_SCHEDULE_ID}: unchanged (0 3 * * 0, Europe/Copenhagen)\n`,
      );
      const ids = [];
      for await (const s of temporal.client.schedule.list()) ids.push(s.scheduleId);
      assert.deepEqual(ids.sort(), [OPUS_DRIFT_SCHEDULE_ID, OPUS_SYNC_SCHEDULE_ID, PLAN2LEARN_SCHEDULE_ID]);

      const handle = temporal.client.schedule.getHandle(OPUS_SYNC_SCHEDULE_ID);
      const described = await handle.describe();
      assert.equal(described.spec.timezone, 'Europe/Copenhagen');
      assert.deepEqual([described.spec.calendars?.[0]?.hour, described.spec.calendars?.[0]?.minute], [[{ start: 2, end: 2, step: 1 }], [{ start: 15, end: 15, step: 1 }]]);
      assert.equal(described.policies.overlap, ScheduleOverlapPolicy.SKIP);
      assert.equal(described.action.type === 'startWorkflow' && described.action.workflowType, 'opusSync');
      assert.equal(described.action.type === 'startWorkflow' && described.action.taskQueue, taskQueue);

      await handle.pause('maintenance');
      withCron('45 3 * * *');
      const third = await moflow(target(taskQueue), ['schedules', 'apply']);
      assert.match(third.stdout, new RegExp(`^${OPUS_SYNC_SCHEDULE_ID}: updated \\(45 3 \\* \\* \\*, Europe/Copenhagen\\)\n${PLAN2LEARN_SCHEDULE_ID}: unchanged`));
      const updated = await handle.describe();
      assert.deepEqual(updated.spec.calendars?.[0]?.hour, [{ start: 3, end: 3, step: 1 }]);
      assert.equal(updated.state.paused, true, "an operator's pause survives");
      assert.equal((await temporal.client.workflow.getHandle(OPUS_CONTROL_ID).describe()).status.name, 'RUNNING', 'apply starts opus-control');
    } finally {
      writeFileSync(world.settingsFile, JSON.stringify(settings));
      for (const id of [OPUS_SYNC_SCHEDULE_ID, PLAN2LEARN_SCHEDULE_ID, OPUS_DRIFT_SCHEDULE_ID]) await temporal.client.schedule.getHandle(id).delete().catch(() => {});
      await temporal.client.workflow.getHandle(OPUS_CONTROL_ID).terminate('test done').catch(() => {});
    }
  });

  it('a re-import signalled with `temporal workflow signal` (and `moflow opus reimport`) puts tampered employments right', async () => {
    const taskQueue = temporal.taskQueue('reimport');
    const client = world.mo.client;
    const engagement = async (id: string) => (await client.engagements.read({ userKeys: [id] }, 'current'))[0]!;
    const unitOf = async (id: string) => (await engagement(id)).validities.at(-1)!.orgUnitUuid;
    const yesterday = addDays(copenhagenToday(), -1);
    for (const [id, elsewhere] of [['1000', '3'], ['1001', '2']] as const) {
      const { uuid } = await engagement(id);
      await client.write([{ kind: 'engagement', action: 'update', input: { uuid, orgUnitUuid: UUIDS.unit(elsewhere), from: yesterday, to: null } }]);
      assert.equal(await unitOf(id), UUIDS.unit(elsewhere), 'tampered');
    }

    const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
    await worker.runUntil(async () => {
      await ensureControl(temporal.client, taskQueue, FAST);
      await promisify(execFile)(temporalCliPath(), [
        'workflow', 'signal',
        '--address', temporal.server.address,
        '--workflow-id', OPUS_CONTROL_ID,
        '--name', 'reimportEmployee',
        '--input', '{"employmentId":"1000","days":30}',
      ]);
      const control = temporal.client.workflow.getHandle(OPUS_CONTROL_ID);
      let log = await control.query(reimportLog);
      for (let i = 0; i < 300 && log.done.length === 0; i++) {
        await sleep(100);
        log = await control.query(reimportLog);
      }
      assert.equal(log.done.length, 1);
      const [entry] = log.done;
      assert.equal(entry!.error, null);
      assert.deepEqual(entry!.request, { employmentId: '1000', days: 30 });
      assert.deepEqual(entry!.result?.imported.map((i) => i.dump), [dumpName(days[0]!)], 'the record is the same in both dumps: imported once');
      assert.equal(await unitOf('1000'), UUIDS.unit('2'), 'back where OPUS has it');

      const cli = await moflow(target(taskQueue), ['opus', 'reimport', '1001', '--days', '30', '--wait']);
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, /^queued re-import of employment 1001 on opus-control\n\{.*"error":null/);
      assert.equal(await unitOf('1001'), UUIDS.unit('3'));

      const missing = await moflow(target(taskQueue), ['opus', 'reimport', '9999', '--days', '30', '--wait']);
      assert.equal(missing.code, 1);
      assert.match(missing.stdout, /employment 9999 is in none of the 2 dump\(s\) from the last 30 days/);
      assert.equal(await unitOf('1000'), UUIDS.unit('2'), 'the other employments are left alone');
      await control.terminate('test done');
    });
  });
});

describe('search attributes on a server that lacks them', { skip: temporalSkip() }, () => {
  const temporal = useTemporal();

  it('are registered once, with their types, and a second call changes nothing', async () => {
    const connection = temporal.client.connection as Connection;
    assert.deepEqual(await ensureSearchAttributes(connection, 'default'), ['OpusDumpTimestamp', 'OpusMunicipality']);
    assert.deepEqual(await ensureSearchAttributes(connection, 'default'), []);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    // temporal.api.enums.v1.IndexedValueType: KEYWORD = 2, DATETIME = 6.
    assert.deepEqual([customAttributes?.OpusDumpTimestamp, customAttributes?.OpusMunicipality], [6, 2]);
  });
});
