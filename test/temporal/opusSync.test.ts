// The OPUS sync on a real Temporal dev server, a worker in this process and a real local MO: it ends where
// the direct import ends, keeps its history in Temporal, and leaves the next night nothing to do.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateDumps } from '../../src/opus/generate/index.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { opusStatus } from '../../src/temporal/opusStatus.js';
import { importDumpWorkflowId, MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';
import type { ImportRunReport } from '../../src/opusRuns/types.js';
import { moSnapshot } from '../support/moSnapshot.js';
import { useOpusWorld } from '../support/opusWorld.js';
import { postgresSkip } from '../support/postgres.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';

const FAST = { heartbeatTimeout: '5 seconds', retryInitialInterval: '200 milliseconds', retryMaximumInterval: '2 seconds' } as const;

describe('the OPUS sync on Temporal', { skip: temporalSkip() || (await postgresSkip()) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld();

  it('imports 5 dumps oldest first, one child per dump, and ends in the same MO state as the direct import', async () => {
    const { files } = await generateDumps({ outDir: world.dumpsDir, units: 30, employees: 400, days: 4, seed: 11 });
    const names = files.map((f) => f.name);
    const taskQueue = temporal.taskQueue('sync');
    const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
    const result = await worker.runUntil(async () => {
      const { handle, started } = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST });
      assert.equal(started, true);
      return handle.result();
    });
    assert.deepEqual(result, { outcome: 'up to date', note: null, imported: 5, last: names[4] });

    // Each dump is one workflow id, derived from its timestamp; each report compared it with the one before.
    const reports: ImportRunReport[] = [];
    for (const file of files) {
      const timestamp = file.name.replace(/^ZLPE(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_delta\.xml$/, '$1-$2-$3T$4:$5:$6');
      reports.push(await temporal.client.workflow.getHandle(importDumpWorkflowId(timestamp)).result());
    }
    assert.deepEqual(reports.map((r) => r.previous), [null, ...names.slice(0, 4)]);
    assert.ok(reports.every((r) => r.status === 'imported' && r.failureCount === 0), JSON.stringify(reports.map((r) => r.failures)));
    assert.ok((reports[0]!.totals.created ?? 0) > 1000, `the first dump creates the organisation (${JSON.stringify(reports[0]!.totals)})`);

    const direct = await world.extraMo();
    await world.directImport(direct, names);
    const [viaTemporal, viaDirect] = await Promise.all([moSnapshot(world.mo.client), moSnapshot(direct.client)]);
    assert.deepEqual(viaTemporal.counts, viaDirect.counts, 'the same objects of each kind (no duplicates)');
    assert.deepEqual(viaTemporal.kinds, viaDirect.kinds, 'the same objects with the same history');

    const status = await opusStatus(temporal.client);
    assert.equal(status.lines.length, 5);
    assert.match(status.lines[0]!, /^id: 1, dump date: 2024-01-01 \d\d:\d\d:\d\d, status: Import ended \d{4}-\d\d-\d\d [\d:]+, created \d+/);
    assert.equal(status.canStart, true);
    assert.match(status.verdict, new RegExp(`next run: can start \\(last done: ${names[4]}\\)`));
  });
});
