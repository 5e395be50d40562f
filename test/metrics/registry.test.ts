// moflow's metrics without Temporal: the settings (default port, "off"), the reason labels of failures, and
// the HTTP endpoint (its path, a taken port said in one line instead of a crash).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSettings } from '../../src/config/load.js';
import { failureReason, recordImportStep, recordLastSuccess, registry } from '../../src/metrics/registry.js';
import { restoreLastImport } from '../../src/metrics/restore.js';
import { serveMetrics } from '../../src/metrics/server.js';
import { metricsConfig } from '../../src/metrics/settings.js';
import { outcomeOf } from '../../src/metrics/workflowInterceptor.js';
import { freePort } from '../../src/util/ports.js';
import { parseSamples, scrape, valueOf } from './scrape.js';

const settingsWith = (env: Record<string, string>) => loadSettings({ env });

describe('moflow.metrics settings', () => {
  it('default to 127.0.0.1:9464; a port and host are taken from the settings; 0 and "off" switch them off', () => {
    assert.deepEqual(metricsConfig(settingsWith({})), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(metricsConfig(settingsWith({ MOFLOW_METRICS_PORT: '9999', MOFLOW_METRICS_HOST: '0.0.0.0' })), { host: '0.0.0.0', port: 9999 });
    assert.equal(metricsConfig(settingsWith({ MOFLOW_METRICS_PORT: 'off' })), null);
    assert.equal(metricsConfig(settingsWith({ MOFLOW_METRICS_PORT: '0' })), null);
    assert.throws(() => metricsConfig(settingsWith({ MOFLOW_METRICS_PORT: 'nine' })), /moflow\.metrics\.port/);
  });
});

describe('the import failure counters', () => {
  it("count MO's error key, 'skipped' and 'refused' (no free text), and writes per kind and outcome without unchanged", async () => {
    const before = parseSamples(await registry.metrics());
    recordImportStep({
      counts: { engagement: { created: 3, failed: 2, skipped: 1, unchanged: 7 }, person: { updated: 1 } },
      failures: [
        { opusId: '1', subject: 'employment 1 (010101-1234)', write: 'engagement create', reason: 'x: 010101-1234 not allowed', errorKey: 'V_MISSING_REQUIRED_VALUE' },
        { opusId: '2', subject: 'employment 2', write: 'engagement create', reason: 'y: refused', errorKey: null },
        { opusId: '3', subject: 'employment 3', write: 'engagement update', reason: 'skipped: needs a failed write', errorKey: null },
      ],
    });
    const after = parseSamples(await registry.metrics());
    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    assert.equal(delta('moflow_mo_writes_total', { kind: 'engagement', outcome: 'created' }), 3);
    assert.equal(delta('moflow_mo_writes_total', { kind: 'engagement', outcome: 'failed' }), 2);
    assert.equal(delta('moflow_mo_writes_total', { kind: 'person', outcome: 'updated' }), 1);
    assert.equal(delta('moflow_mo_writes_total', { outcome: 'unchanged' }), 0, 'an unchanged object is no write');
    assert.equal(delta('moflow_import_failures_total', { reason: 'V_MISSING_REQUIRED_VALUE' }), 1);
    assert.equal(delta('moflow_import_failures_total', { reason: 'refused' }), 1);
    assert.equal(delta('moflow_import_failures_total', { reason: 'skipped' }), 1);
    assert.doesNotMatch(await registry.metrics(), /010101/);
    assert.equal(failureReason({ errorKey: null, reason: 'skipped: x' }), 'skipped');
  });
});

describe('the outcome of a finished run', () => {
  it("is an import's status, and an export's shipped (to a server) or exported (written only)", () => {
    assert.equal(outcomeOf({ dump: 'ZLPE20240101224012_delta.xml', status: 'imported' }), 'imported');
    assert.equal(outcomeOf({ dump: 'ZLPE20240101224012_delta.xml', status: 'skipped' }), 'skipped');
    assert.equal(outcomeOf({ files: [], shipped: 5, target: 'ftp.plan2learn.dk:21', held: null }), 'shipped');
    assert.equal(outcomeOf({ files: [], shipped: 0, target: null, held: null }), 'exported');
    assert.equal(outcomeOf(undefined), 'completed');
  });
});

describe('the metrics endpoint', () => {
  it('serves /metrics on the port asked for and nothing else', async () => {
    const port = await freePort();
    const served = await serveMetrics({ host: '127.0.0.1', port }, { sdkMetrics: null, log: (line) => assert.fail(line) });
    assert.ok(served);
    try {
      assert.equal(served.url, `http://127.0.0.1:${port}/metrics`);
      const { text } = await scrape(served.url);
      assert.match(text, /^# HELP moflow_import_runs_total /m);
      assert.match(text, /^# TYPE moflow_last_success_timestamp_seconds gauge$/m);
      // Present at 0 before the first failed run, so an alert on increase() sees that run.
      assert.match(text, /^moflow_import_runs_total\{outcome="failed"\} 0$/m);
      assert.match(text, /^moflow_plan2learn_runs_total\{outcome="failed"\} 0$/m);
      assert.match(text, /^process_resident_memory_bytes \d+/m, "Node's process metrics");
      assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404);
    } finally {
      await served.close();
    }
  });

  it('says in one line that the port is taken and returns null, so the worker runs on', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    const lines: string[] = [];
    try {
      const served = await serveMetrics({ host: '127.0.0.1', port }, { sdkMetrics: null, log: (line) => lines.push(line) });
      assert.equal(served, null);
      assert.equal(lines.length, 1);
      assert.match(lines[0]!, new RegExp(`metrics port 127\\.0\\.0\\.1:${port} is taken.*moflow\\.metrics\\.port`));
      assert.doesNotMatch(lines[0]!, /\n/);
    } finally {
      holder.close();
    }
  });

  it("appends the SDK exporter's text, or says in a comment that it did not answer", async () => {
    const sdk = await freePort();
    const port = await freePort();
    const served = await serveMetrics({ host: '127.0.0.1', port }, { sdkMetrics: `127.0.0.1:${sdk}`, log: (line) => assert.fail(line) });
    try {
      const { text } = await scrape(served!.url);
      assert.match(text, new RegExp(`^# the Temporal SDK's metrics at 127\\.0\\.0\\.1:${sdk} did not answer`, 'm'));
      assert.match(text, /^# HELP moflow_mo_writes_total /m);
    } finally {
      await served!.close();
    }
  });
});

describe('the last successful import after a restart', () => {
  it('is the newest run report in the reports folder (step files and journals aside), unless one is newer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moflow-metrics-reports-'));
    try {
      const at = (name: string, seconds: number) => {
        writeFileSync(join(dir, name), '{}');
        utimesSync(join(dir, name), seconds, seconds);
      };
      at('ZLPE20240101224012_delta.xml.json', 1_700_000_000);
      at('ZLPE20240102224012_delta.xml.json', 1_700_086_400);
      at('ZLPE20240103224012_delta.xml.units.json', 1_800_000_000);
      at('ZLPE20240103224012_delta.xml.writes.jsonl', 1_800_000_000);
      const gauge = async () => valueOf(parseSamples(await registry.metrics()), 'moflow_last_success_timestamp_seconds', { flow: 'opus_import' });
      restoreLastImport(join(dir, 'missing'));
      assert.equal(await gauge(), 0, 'no reports: no value');
      restoreLastImport(dir);
      assert.equal(await gauge(), 1_700_086_400);
      recordLastSuccess('opus_import', new Date(1_750_000_000_000));
      restoreLastImport(dir);
      assert.equal(await gauge(), 1_750_000_000, 'an import this worker saw is newer');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
