// The worker's metrics after real runs through Temporal (a dev server, a worker in this process, the local MO):
// an OPUS sync of four dumps whose third is broken, that one skipped by `moflow opus skip`, a Plan2Learn
// export — then one scrape of /metrics, checked against the runs' reports and the files written. The figures
// do not depend on which MO is written (they come from the same reports), so the local MO serves.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSettings } from '../../src/config/load.js';
import { serveMetrics, sdkMetricsAddress, type MetricsServer } from '../../src/metrics/server.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { parseDumpName } from '../../src/opus/dumpName.js';
import type { ImportRunReport } from '../../src/opusRuns/types.js';
import { sampleSettings } from '../../src/start/sample.js';
import { installRuntime } from '../../src/temporal/logging.js';
import { startOrJoinSync } from '../../src/temporal/opusOps.js';
import { freePort } from '../../src/util/ports.js';
import { importDumpWorkflowId, MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';
import type { plan2learnExport } from '../../workflows/index.js';
import { moflow } from '../support/moflowCli.js';
import { moSkip } from '../support/moTargets.js';
import { FAST, useOpusWorld } from '../support/opusWorld.js';
import { temporalSkip, useTemporal } from '../support/temporal.js';
import { scrape, valueOf, type Sample } from './scrape.js';

// Before any worker exists: the SDK exports its own metrics only when the runtime is installed with them.
const sdkMetrics = await sdkMetricsAddress();
assert.equal(installRuntime({ level: 'WARN', format: 'text', sdkInfo: false }, sdkMetrics), true);

const timestampOf = (name: string) => {
  const parsed = parseDumpName(name);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.dump.timestamp;
};

describe('the worker metrics after real runs', { skip: temporalSkip() || (await moSkip('local')) }, () => {
  const temporal = useTemporal({ searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
  const world = useOpusWorld({}, { kind: 'local' });
  let served: MetricsServer;
  let generated = '';
  before(async () => {
    served = (await serveMetrics({ host: '127.0.0.1', port: await freePort() }, { sdkMetrics, log: (line) => assert.fail(line) }))!;
    generated = mkdtempSync(join(tmpdir(), 'moflow-metrics-gen-'));
  });
  after(async () => {
    await served?.close();
    rmSync(generated, { recursive: true, force: true });
  });

  it('count the runs by outcome, the writes as the reports count them, dumps pending, DAR, the Plan2Learn rows and the SDK', async () => {
    const started = Date.now() / 1000;
    const names = (await generateDumps({ outDir: generated, units: 10, employees: 60, days: 3, seed: 5 })).files.map((f) => f.name);
    for (const [i, name] of names.entries()) {
      const text = readFileSync(join(generated, name), 'utf8');
      // The third is malformed XML: its run fails at validation.
      writeFileSync(join(world.dumpsDir, name), i === 2 ? text.replace('</lastName>', '</lastNam>') : text);
    }
    const taskQueue = temporal.taskQueue('metrics');
    // Plan2Learn's variant, root unit and engagement types for the generated municipality, as `npm start` sets them.
    const settings = loadSettings({ settingsPath: world.settingsFile, env: await sampleSettings(world.settings(), world.dumpsDir) });
    const worker = await temporal.createWorker({ taskQueue, settings });
    const sync = async () => (await startOrJoinSync(temporal.client, taskQueue, { tuning: FAST })).handle.result();
    const { reports, p2l } = await worker.runUntil(async () => {
      await assert.rejects(sync(), 'the broken dump fails its run');
      const skipped = await moflow({ settingsFile: world.settingsFile, address: temporal.server.address, taskQueue }, ['opus', 'skip', names[2]!, '--reason', 'broken']);
      assert.equal(skipped.code, 0, skipped.stderr);
      assert.deepEqual(await sync(), { outcome: 'up to date', note: null, imported: 1, last: names[3] });
      const reports = await Promise.all(names.map((n) => temporal.client.workflow.getHandle<() => Promise<ImportRunReport>>(importDumpWorkflowId(timestampOf(n))).result()));
      const p2l = await temporal.client.workflow.execute<typeof plan2learnExport>('plan2learnExport', { taskQueue, workflowId: `p2l-${taskQueue}`, args: [{ tuning: FAST }] });
      return { reports, p2l };
    });
    const { samples, text } = await scrape(served.url);
    const value = (name: string, labels: Record<string, string> = {}) => valueOf(samples, name, labels);

    // Runs by outcome: three imported, the broken one failed, then skipped.
    assert.equal(names.length, 4);
    assert.deepEqual(reports.map((r) => r.status), ['imported', 'imported', 'skipped', 'imported']);
    assert.equal(value('moflow_import_runs_total', { outcome: 'imported' }), 3);
    assert.equal(value('moflow_import_runs_total', { outcome: 'failed' }), 1);
    assert.equal(value('moflow_import_runs_total', { outcome: 'skipped' }), 1);

    // Writes per kind and outcome: what the imported runs' reports count (an unchanged object is no write).
    const expected = new Map<string, number>();
    for (const r of reports) {
      for (const [kind, outcomes] of Object.entries(r.counts)) {
        for (const [outcome, n] of Object.entries(outcomes)) if (outcome !== 'unchanged' && n) expected.set(`${kind} ${outcome}`, (expected.get(`${kind} ${outcome}`) ?? 0) + n);
      }
    }
    const counted = new Map(samples.filter((s) => s.name === 'moflow_mo_writes_total' && s.value > 0).map((s: Sample) => [`${s.labels.kind} ${s.labels.outcome}`, s.value]));
    assert.deepEqual(Object.fromEntries([...counted].sort()), Object.fromEntries([...expected].sort()));
    assert.ok((expected.get('engagement created') ?? 0) >= 60, JSON.stringify([...expected]));
    assert.equal(value('moflow_import_failures_total'), reports.reduce((n, r) => n + r.failureCount, 0));

    // Nothing waits after the skip; both jobs succeeded during this test.
    assert.equal(value('moflow_opus_dumps_pending'), 0);
    for (const flow of ['opus_import', 'plan2learn_export']) {
      const at = value('moflow_last_success_timestamp_seconds', { flow });
      assert.ok(at >= started - 1 && at <= Date.now() / 1000 + 1, `${flow}: ${at}`);
    }

    // DAR: every address asked was answered from the cache or by DAR; the later dumps' from the cache.
    const asked = value('moflow_dar_lookups_total');
    assert.ok(asked > 0);
    assert.equal(value('moflow_dar_addresses_total'), asked);
    assert.ok(value('moflow_dar_lookups_total', { result: 'cache_hit' }) > 0);

    // Plan2Learn: the rows of each file written, as the run and the files say; no server, so 'exported'.
    assert.equal(p2l.files.length, 5);
    for (const f of p2l.files) {
      assert.equal(value('moflow_plan2learn_rows', { file: f.name }), f.rows, f.name);
      const lines = readFileSync(join(p2l.dir, f.name), 'utf8').split(/\r?\n/).filter((l) => l !== '');
      assert.equal(lines.length - 1, f.rows, `${f.name}: data rows below the header`);
    }
    assert.equal(value('moflow_plan2learn_runs_total', { outcome: 'exported' }), 1);

    // The SDK's own metrics follow moflow's on the same port.
    assert.match(text, /^temporal_\w+/m);
    assert.ok(value('temporal_workflow_completed') >= 4, text.split('\n').filter((l) => l.startsWith('temporal_workflow')).join('\n'));
    const cprs = [...readFileSync(join(world.dumpsDir, names[0]!), 'utf8').matchAll(/<cpr[^>]*>(\d{10})</g)].map((m) => m[1]!);
    assert.ok(cprs.length >= 60);
    assert.ok(!cprs.some((cpr) => text.includes(cpr) || text.includes(`${cpr.slice(0, 6)}-${cpr.slice(6)}`)), 'no CPR number in any label');
  });
});
