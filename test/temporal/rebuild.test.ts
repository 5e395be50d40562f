// `moflow opus rebuild` on a real Temporal dev server, a worker in this process and each MO (the local MO and
// the real OS2MO 66.1.2): three dumps synced into one MO, its CPR mapping exported, then a new, empty MO of the
// same kind. The rebuild refuses without --yes off a terminal, and without a mapping for an empty MO; with
// --yes it imports all three dumps again (a new chain: the original runs' ids have all run), MO ends as the
// original did with every person under their uuid, `opus status` marks the runs, the next sync is up to date
// and a new dump continues the rebuilt chain.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSettings } from '../../src/config/load.js';
import { writeCprMapFile } from '../../src/cprmap/file.js';
import { cprMapRowsFromMo } from '../../src/cprmap/fromMo.js';
import { addDays, copenhagenToday } from '../../src/mo/index.js';
import { parseDumpName } from '../../src/opus/dumpName.js';
import type { ImportRunReport } from '../../src/opusRuns/types.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { opusStatus } from '../../src/temporal/opusStatus.js';
import { importDumpWorkflowId, MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';
import { dumpName } from '../support/importEnv.js';
import { moflow } from '../support/moflowCli.js';
import { dumpXml, TREE, type EmployeeSpec } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';
import { FAST, useOpusWorld } from '../support/opusWorld.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';

const timestampOf = (name: string) => {
  const parsed = parseDumpName(name);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.dump.timestamp;
};

const STAFF: EmployeeSpec[] = [
  { id: '1000', cpr: '0101801234', orgUnit: '2' },
  { id: '1001', cpr: '0202801234', orgUnit: '3' },
  { id: '1002', cpr: '0303801234', orgUnit: '4' },
];

for (const kind of moKinds()) describe(`opus rebuild (${kind} MO)`, { skip: temporalSkip() || (await moSkip(kind)) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld({}, { kind });

  it('imports every dump again into an empty MO, keeping person uuids, marked as a rebuild; later syncs continue its chain', async () => {
    const days = [-5, -4, -3, -2].map((n) => addDays(copenhagenToday(), n));
    const names = days.map(dumpName);
    // A history: someone joins, someone moves, someone leaves.
    const dumps = [
      STAFF,
      [...STAFF, { id: '1003', cpr: '0404801234', orgUnit: '2' }],
      [...STAFF.map((e) => (e.id === '1000' ? { ...e, orgUnit: '3' } : e)), { id: '1003', cpr: '0404801234', orgUnit: '2' }].filter((e) => e.id !== '1002'),
    ];
    dumps.forEach((staff, i) => writeFileSync(join(world.dumpsDir, names[i]!), dumpXml(TREE, staff)));
    const original = await temporal.createWorker({ taskQueue: temporal.taskQueue('original'), settings: world.settings() });
    const first = await original.runUntil(async () => (await startOrJoinSync(temporal.client, original.options.taskQueue, { tuning: FAST })).handle.result());
    assert.equal(first.imported, 3);
    const people = await cprMapRowsFromMo(world.mo.client);
    assert.equal(people.length, 4);
    const before = await world.mo.snapshot();

    // The CPR mapping is exported before MO is emptied; the rebuild goes into a new MO of the same kind.
    const mapFile = join(world.root, 'cpr-map.csv');
    await writeCprMapFile(mapFile, people);
    const fresh = await world.extraMo();
    const base = JSON.parse(readFileSync(world.settingsFile, 'utf8')) as Record<string, unknown>;
    const settingsFile = join(world.root, 'rebuild-settings.json');
    const taskQueue = temporal.taskQueue('rebuild');
    const target = { settingsFile, address: temporal.server.address, taskQueue };

    writeFileSync(settingsFile, JSON.stringify({ ...base, ...fresh.settings() }));
    const unmapped = await moflow(target, ['opus', 'rebuild', '--yes']);
    assert.equal(unmapped.code, 1);
    assert.match(unmapped.stderr, /MO holds no people and integrations\.opus\.import\.cpr_uuid_map_path is not set: the rebuild would give every person a new uuid/);

    writeFileSync(settingsFile, JSON.stringify({ ...base, ...fresh.settings(), 'integrations.opus.import.cpr_uuid_map_path': mapFile }));
    const unasked = await moflow(target, ['opus', 'rebuild']);
    assert.equal(unasked.code, 1);
    assert.match(unasked.stderr, /rebuild 1: imports 3 dump\(s\) again .* which holds 0 people now/);
    assert.match(unasked.stderr, /not at a terminal: pass --yes to start the rebuild/);

    const worker = await temporal.createWorker({ taskQueue, settings: loadSettings({ settingsPath: settingsFile, env: {} }) });
    await worker.runUntil(async () => {
      const rebuilt = await moflow(target, ['opus', 'rebuild', '--yes', '--wait'], 600_000);
      assert.equal(rebuilt.code, 0, rebuilt.stderr);
      assert.match(rebuilt.stdout, /^started opus-rebuild-1\nOPUS sync up to date: 3 dump\(s\) imported\n/);

      // The same MO, and every person under the uuid they had.
      const after = await fresh.snapshot();
      assert.deepEqual(after.counts, before.counts);
      assert.deepEqual(after.kinds, before.kinds);
      assert.deepEqual(await cprMapRowsFromMo(fresh.client), people, 'every person keeps their uuid');

      // Each dump's rebuild run: its own id, compared as in the original chain, marked in its memo and status.
      const reports: ImportRunReport[] = await Promise.all(names.slice(0, 3).map((n) => temporal.client.workflow.getHandle(importDumpWorkflowId(timestampOf(n), 1)).result()));
      assert.deepEqual(reports.map((r) => r.previous), [null, names[0], names[1]]);
      const memo = (await temporal.client.workflow.getHandle(importDumpWorkflowId(timestampOf(names[2]!), 1)).describe()).memo;
      assert.equal(memo?.rebuild, 1);
      const status = await opusStatus(temporal.client);
      assert.equal(status.lines.length, 6);
      assert.deepEqual(status.lines.map((l) => /, rebuild: 1,/.test(l)), [false, false, false, true, true, true]);
      assert.match(status.verdict, new RegExp(`can start \\(last done: ${names[2]}\\)`));

      // The next night: nothing to do; then a new dump continues the rebuilt chain.
      const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST });
      assert.deepEqual(await handle.result(), { outcome: 'up to date', note: null, imported: 0, last: null });
      writeFileSync(join(world.dumpsDir, names[3]!), dumpXml(TREE, dumps[2]!.map((e) => (e.id === '1001' ? { ...e, position: 'Leder' } : e))));
      const next = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST });
      assert.deepEqual(await next.handle.result(), { outcome: 'up to date', note: null, imported: 1, last: names[3] });
      const fourth: ImportRunReport = await temporal.client.workflow.getHandle(importDumpWorkflowId(timestampOf(names[3]!), 1)).result();
      assert.equal(fourth.previous, names[2]);
    });
  });

  // The chain logic is the same for either MO; a third OS2MO would cost minutes for nothing new (and CI fails
  // on a skipped test, so it is not declared there).
  if (kind === 'local') it('--from leaves the older dumps out of the rebuilt chain', async () => {
    const names = [-5, -4, -3, -2].map((n) => dumpName(addDays(copenhagenToday(), n)));
    const people = new Map((await cprMapRowsFromMo(world.mo.client)).map((r) => [r.cpr, r.moUuid]));
    const fresh = await world.extraMo();
    const base = JSON.parse(readFileSync(world.settingsFile, 'utf8')) as Record<string, unknown>;
    const settingsFile = join(world.root, 'rebuild-from-settings.json');
    writeFileSync(settingsFile, JSON.stringify({ ...base, ...fresh.settings(), 'integrations.opus.import.cpr_uuid_map_path': join(world.root, 'cpr-map.csv') }));
    const taskQueue = temporal.taskQueue('rebuild-from');
    const target = { settingsFile, address: temporal.server.address, taskQueue };

    const unknown = await moflow(target, ['opus', 'rebuild', '--from', 'ZLPE20000101223000_delta.xml', '--yes']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /ZLPE20000101223000_delta\.xml is not a dump in .*moflow opus dumps lists them/);

    const worker = await temporal.createWorker({ taskQueue, settings: loadSettings({ settingsPath: settingsFile, env: {} }) });
    await worker.runUntil(async () => {
      const rebuilt = await moflow(target, ['opus', 'rebuild', '--from', names[2]!, '--yes', '--wait'], 600_000);
      assert.equal(rebuilt.code, 0, rebuilt.stderr);
      assert.match(rebuilt.stdout, /^started opus-rebuild-2\nOPUS sync up to date: 2 dump\(s\) imported\n/);
      const reports: ImportRunReport[] = await Promise.all(names.slice(2).map((n) => temporal.client.workflow.getHandle(importDumpWorkflowId(timestampOf(n), 2)).result()));
      assert.deepEqual(reports.map((r) => r.previous), [null, names[2]], 'the first dump of the chain is compared in full with MO');
      const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST });
      assert.deepEqual(await handle.result(), { outcome: 'up to date', note: null, imported: 0, last: null });
      for (const row of await cprMapRowsFromMo(fresh.client)) assert.equal(row.moUuid, people.get(row.cpr), 'the mapped uuid');
      assert.match((await opusStatus(temporal.client)).verdict, new RegExp(`can start \\(last done: ${names[3]}\\)`));
    });
  });
});
