// MO goes away for 30 s in the middle of an import — the local MO stopped, then started again on the same
// port and database; the real OS2MO 66.1.2 cut off behind its gate, then reachable again (written once): the
// run waits, keeps its activities alive, and completes as if nothing had happened.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { parseDumpName } from '../../src/opus/dumpName.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { MOFLOW_SEARCH_ATTRIBUTES, importDumpWorkflowId } from '../../workflows/definitions.js';
import type { ImportRunReport } from '../../src/opusRuns/types.js';
import { moKinds, moSkip, type MoKind } from '../support/moTargets.js';
import { FAST, useOpusWorld } from '../support/opusWorld.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';

const OUTAGE_MS = 30_000;
// The real OS2MO writes ~30–50 objects/s (the local MO ~10,000/s): a smaller municipality, still writing
// employees for well over the outage's start.
const SIZE: Record<MoKind, { units: number; employees: number }> = { local: { units: 60, employees: 2000 }, os2mo: { units: 20, employees: 150 } };
// The retry after the outage waits about one MO request timeout before it plans (activities/opusImport.ts): a
// shorter one than production's 120 s, still far above a request's time here.
const MO_TIMEOUT_SECONDS: Record<MoKind, number> = { local: 10, os2mo: 45 };

for (const kind of moKinds()) describe(`MO down in the middle of an import (${kind} MO)`, { skip: temporalSkip() || (await moSkip(kind)) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld({ 'moflow.mo.timeout_seconds': MO_TIMEOUT_SECONDS[kind] }, { kind });

  it('the run waits for MO and completes; MO ends as after an undisturbed import', async () => {
    const { files } = await generateDumps({ outDir: world.dumpsDir, ...SIZE[kind], days: 1, seed: 5 });
    const names = files.map((f) => f.name);
    const uninterrupted = world.uninterrupted(names);
    const parsed = parseDumpName(names[0]!);
    assert.ok(parsed.ok);
    const first = temporal.client.workflow.getHandle(importDumpWorkflowId(parsed.dump.timestamp));
    const taskQueue = temporal.taskQueue('modown');
    const worker = await temporal.createWorker({ taskQueue, settings: world.settings() });
    await worker.runUntil(async () => {
      const { handle } = await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST });
      // Once the first dump's employees step runs (planning against MO, then writing), take MO away.
      let stage: string | undefined;
      for (const deadline = Date.now() + 180_000; stage !== 'writing employees' && Date.now() < deadline; ) {
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
    const direct = await uninterrupted;
    const [waited, undisturbed] = await Promise.all([world.mo.snapshot(), direct.snapshot()]);
    assert.deepEqual(waited.counts, undisturbed.counts);
    assert.deepEqual(waited.kinds, undisturbed.kinds);
  });
});
