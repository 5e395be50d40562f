// MO goes away for 30 s in the middle of an import (the local MO stopped, then started again on the same port
// and database): the run waits, keeps its activities alive, and completes as if nothing had happened.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { parseDumpName } from '../../src/opus/dumpName.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { MOFLOW_SEARCH_ATTRIBUTES, importDumpWorkflowId } from '../../workflows/definitions.js';
import type { ImportRunReport } from '../../src/opusRuns/types.js';
import { moSnapshot } from '../support/moSnapshot.js';
import { FAST, useOpusWorld } from '../support/opusWorld.js';
import { postgresSkip } from '../support/postgres.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';

const OUTAGE_MS = 30_000;

describe('MO down in the middle of an import', { skip: temporalSkip() || (await postgresSkip()) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld();

  it('the run waits for MO and completes; MO ends as after an undisturbed import', async () => {
    const { files } = await generateDumps({ outDir: world.dumpsDir, units: 60, employees: 2000, days: 1, seed: 5 });
    const names = files.map((f) => f.name);
    const parsed = parseDumpName(names[0]!);
    assert.ok(parsed.ok);
    const first = temporal.client.workflow.getHandle(importDumpWorkflowId(parsed.dump.timestamp));
    const taskQueue = temporal.taskQueue('modown');
    const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
    await worker.runUntil(async () => {
      const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST });
      // Once the first dump's employees step runs (planning against MO, then writing), take MO away.
      let stage: string | undefined;
      for (let i = 0; i < 1200 && stage !== 'writing employees'; i++) {
        stage = ((await first.describe().catch(() => null))?.memo as { stage?: string } | undefined)?.stage;
        if (stage !== 'writing employees') await sleep(25);
      }
      assert.equal(stage, 'writing employees');
      await sleep(Math.random() * 1000);
      const stopped = Date.now();
      await world.mo.stop();
      await sleep(OUTAGE_MS);
      assert.equal((await handle.describe()).status.name, 'RUNNING', 'the import cannot finish without MO: it waits');
      await world.mo.start();
      const result = await handle.result();
      assert.deepEqual(result, { outcome: 'up to date', note: null, imported: 2, last: names[1] });
      assert.ok(Date.now() - stopped >= OUTAGE_MS);
    });

    const report: ImportRunReport = await first.result();
    assert.equal(report.failureCount, 0, JSON.stringify(report.failures.slice(0, 3)));
    const direct = await world.extraMo();
    await world.directImport(direct, names);
    const [waited, undisturbed] = await Promise.all([moSnapshot(world.mo.client), moSnapshot(direct.client)]);
    assert.deepEqual(waited.counts, undisturbed.counts);
    assert.deepEqual(waited.kinds, undisturbed.kinds);
  });
});
