// The design card's steps on a real Temporal dev server, a worker in this process and each MO: one dump's
// import runs fetchDump, parseDump, diffUnits, diffEmployees, computePrimary and recordRun, in that order (read
// from the run's history), the worker reads each dump once per run and plans it once (the employees step
// writes from the units step's plan; the primary step checks only the people whose engagements it wrote), and `moflow opus primary --all` (the
// opusComputePrimary workflow) corrects a primary class changed by hand in MO. An import started before the
// card's steps (its history recorded from that code) still replays.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDumpName } from '../../src/opus/dumpName.js';
import { parseCount } from '../../src/opusRuns/parsedDumps.js';
import type { ImportRunReport } from '../../src/opusRuns/types.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { moflowWorkflowBundle } from '../../src/temporal/worker.js';
import protos from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { importDumpWorkflowId, MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';
import { dumpName } from '../support/importEnv.js';
import { moflow } from '../support/moflowCli.js';
import { dumpXml, TREE, type EmployeeSpec } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';
import { FAST, useOpusWorld } from '../support/opusWorld.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';

const CARD_STEPS = ['fetchDump', 'parseDump', 'diffUnits', 'diffEmployees', 'computePrimary', 'recordRun'];
const A = '0101801111';
const B = '0202802222';
const emp = (over: Partial<EmployeeSpec> & { id: string; cpr: string }): EmployeeSpec => ({ orgUnit: '2', ...over });

for (const kind of moKinds()) describe(`the design card's steps on Temporal (${kind} MO)`, { skip: temporalSkip() || (await moSkip(kind)) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld({}, { kind });

  it('one dump runs the six steps in order, reads the dump once, and opus primary fixes a hand edit', async () => {
    const put = (day: string, employees: EmployeeSpec[]) => {
      const name = dumpName(day);
      writeFileSync(join(world.dumpsDir, name), dumpXml(TREE, employees));
      return name;
    };
    const first = put('2024-05-01', [
      emp({ id: '2000', cpr: A, entryDate: '2015-01-01', workContractText: 'Timeløn' }),
      emp({ id: '1000', cpr: A, entryDate: '2018-01-01', workContractText: 'Månedsløn' }),
      emp({ id: '3000', cpr: B, entryDate: '2019-01-01', workPhone: '11111111' }),
    ]);
    // A's employment 1000 ends (an engagement write); only B's phone changes (none).
    const second = put('2024-05-02', [
      emp({ id: '2000', cpr: A, entryDate: '2015-01-01', workContractText: 'Timeløn' }),
      emp({ id: '1000', cpr: A, entryDate: '2018-01-01', workContractText: 'Månedsløn', leaveDate: '2024-06-30' }),
      emp({ id: '3000', cpr: B, entryDate: '2019-01-01', workPhone: '22222222' }),
    ]);
    const taskQueue = temporal.taskQueue('card');
    const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
    const workflowId = (name: string) => {
      const parsed = parseDumpName(name);
      if (!parsed.ok) throw new Error(parsed.reason);
      return importDumpWorkflowId(parsed.dump.timestamp);
    };
    const parsesBefore = parseCount();

    await worker.runUntil(async () => {
      const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST });
      assert.equal((await handle.result()).imported, 2);
      // The primary step checks the people whose engagements the employees step wrote: A and B, then A alone.
      const checked = new Map([
        [first, 2],
        [second, 1],
      ]);
      for (const name of [first, second]) {
        const run = temporal.client.workflow.getHandle(workflowId(name));
        const history = await run.fetchHistory();
        const scheduled = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
        assert.deepEqual(scheduled, CARD_STEPS, `${name}: the card's activities, in order`);
        const report: ImportRunReport = await run.result();
        assert.deepEqual(report.steps.map((s) => s.step), ['units', 'employees', 'primary']);
        // The units step wrote all of its part, so the employees step wrote from its plan, without reading MO again.
        assert.deepEqual(report.steps.map((s) => s.planReused === true), [false, true, false], `${name}: the employees step reuses the units step's plan`);
        assert.equal(report.steps[2]!.people, checked.get(name), `${name}: the people the primary step checked`);
        // Each step says how much of its time went to writing: part of it, and some (every step here writes or checks).
        for (const s of report.steps) assert.ok(s.writeMs !== undefined && s.writeMs >= 0 && s.writeMs <= s.durationMs, `${name}: ${s.step} writing ${s.writeMs} of ${s.durationMs} ms`);
        assert.ok(report.steps[0]!.durationMs - report.steps[0]!.writeMs! > report.steps[1]!.durationMs - report.steps[1]!.writeMs!, `${name}: the units step read and planned, the employees step took its plan`);
        assert.equal(report.failureCount, 0, JSON.stringify(report.failures));
      }
      // Each dump prepared once (parseDump), not once for validation and once per write step.
      assert.equal(parseCount() - parsesBefore, 2, 'one parse per dump and run');

      // "Ansat" taken from 1000 by hand: computePrimary, run alone for everybody, gives it back.
      const classes = await world.mo.client.classes.byFacet('primary_type');
      const uuidOf = (userKey: string) => classes.find((c) => c.userKey === userKey)!.uuid;
      const [e1000] = await world.mo.client.engagements.read({ userKeys: ['1000'] }, 'all');
      await world.mo.client.engagements.update({ uuid: e1000!.uuid, primaryUuid: uuidOf('non-primary'), from: '2018-01-01', to: '2024-07-01' });
      const target = { settingsFile: world.settingsFile, address: temporal.server.address, taskQueue };
      const cli = await moflow(target, ['opus', 'primary', '--all']);
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, /^primary engagement of \d+ people: 1 write\(s\), 0 failed/);
      const [fixed] = await world.mo.client.engagements.read({ userKeys: ['1000'] }, 'all');
      assert.deepEqual(fixed!.validities.map((v) => `${v.from}..${v.to ?? ''} ${v.primaryUuid === uuidOf('primary') ? 'primary' : 'other'}`), ['2018-01-01..2024-07-01 primary']);
      const again = await moflow(target, ['opus', 'primary', '1000']);
      assert.match(again.stdout, /^primary engagement of 1 people: 0 write\(s\), 0 failed/, again.stderr);
      // --direct runs it in the CLI's process: the same answer without a worker.
      const direct = await moflow(target, ['opus', 'primary', '1000', '2000', '--direct']);
      assert.match(direct.stdout, /^primary engagement of 1 people: 0 write\(s\), 0 failed/, direct.stderr);
      const neither = await moflow(target, ['opus', 'primary']);
      assert.notEqual(neither.code, 0);
      assert.match(neither.stderr, /name employment ids or give --all/);
    });
  });
});

describe('an import started before the card’s steps', { skip: temporalSkip() }, () => {
  it('replays on this code: its history takes the old activity names (patched card-steps)', async () => {
    // Recorded from the code before the card's steps: fetchDumps, validateDump, applyImportStep ×2, recordImportRun.
    const json: unknown = JSON.parse(readFileSync(new URL('../fixtures/temporal/opusImportDump-before-card-steps.json', import.meta.url), 'utf8'));
    const history = protos.temporal.api.history.v1.History.fromObject(protoObject(json) as object);
    await Worker.runReplayHistory({ workflowBundle: await moflowWorkflowBundle() }, history, 'opus-import-2024-05-01T22:30:00');
  });
});

/**
 * `temporal workflow show -o json` (proto3 JSON) as protobufjs's fromObject takes it: timestamps and durations
 * as seconds and nanos. The SDK's historyFromJSON cannot be used here: @temporalio/common carries a protobufjs
 * of its own, whose types are not @temporalio/proto's.
 */
function protoObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(protoObject);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, protoObject(v)]));
  if (typeof value !== 'string') return value;
  if (/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(value)) {
    const ms = Date.parse(value);
    const fraction = /\.(\d+)Z$/.exec(value)?.[1] ?? '';
    return { seconds: Math.floor(ms / 1000), nanos: Number(fraction.padEnd(9, '0').slice(0, 9)) };
  }
  const duration = /^(\d+)(?:\.(\d+))?s$/.exec(value);
  if (duration) return { seconds: Number(duration[1]), nanos: Number((duration[2] ?? '').padEnd(9, '0')) };
  return value;
}
