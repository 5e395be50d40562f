// `npm start -- --once` on a fresh data folder: the dev server with its UI, the local MO on embedded
// PostgreSQL, a worker, the sample municipality's sync and a Plan2Learn export — and the runs with their
// reports are still in the Temporal history (in the data folder) afterwards.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadSettings } from '../../src/config/load.js';
import { moKeys, municipalityKeys, temporalKeys } from '../../src/config/keys.js';
import { readDump } from '../../src/opus/reader.js';
import { OpusUuids } from '../../src/sync/uuids.js';
import { startDevServer } from '../../src/temporal/devServer.js';
import { MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';
import { temporalSkip } from '../support/temporal.js';

const root = new URL('../../', import.meta.url).pathname;

describe('moflow start', { skip: temporalSkip() }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'moflow-start-'));
  // As root, the embedded PostgreSQL runs as "postgres", which must be able to enter the data folder.
  chmodSync(dataDir, 0o755);
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('--once imports the sample municipality, writes the Plan2Learn files, prints the URLs and a summary, and stops', async () => {
    // No settings and no DATABASE_URL: the embedded defaults a fresh clone has. Port 0: a free one each (fixed
    // ports picked here could be taken by a parallel test before moflow binds them).
    const env = { ...process.env, MOFLOW_DATA_DIR: dataDir, MOFLOW_SETTINGS: '', DATABASE_URL: '' };
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['bin/moflow.js', 'start', '--once', '--port', '0', '--ui-port', '0', '--mo-port', '0'],
      { cwd: root, env, timeout: 240_000, maxBuffer: 16 << 20 },
    );
    const [, uiPort, port] = /Temporal UI http:\/\/127\.0\.0\.1:(\d+) .*frontend 127\.0\.0\.1:(\d+)/.exec(stderr) ?? assert.fail(stderr);
    const [, moPort] = /local MO http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr) ?? assert.fail(stderr);
    assert.ok(![uiPort, port, moPort].includes('0'), 'port 0 became a real port');
    assert.match(stderr, /embedded PostgreSQL/);
    assert.match(stderr, new RegExp(`^moflow: Temporal UI http://127\\.0\\.0\\.1:${uiPort} .*  ·  metrics http://127\\.0\\.0\\.1:\\d+/metrics`, 'm'));
    assert.match(stderr, /OPUS sync up to date: 4 dump\(s\) imported/);
    assert.match(stderr, /moflow: stopped/);
    // Output people can read: what starts, each dump's steps, the summary, the URLs — `npm start` adds 4
    // lines of its own to these, and the whole must fit in 40. The details are at --verbose.
    const output = `${stdout}${stderr}`.trim().split('\n');
    assert.ok(output.length <= 36, `${output.length} lines:\n${output.join('\n')}`);
    assert.doesNotMatch(stderr, /reading MO: |Worker state changed|\[activity /);
    assert.equal(stderr.match(/^\S+Z INFO  ZLPE2024010\d{7}_delta\.xml (units|employees): \d+ writes, 0 failed; DAR: \d+ address/gm)?.length, 8, stderr);
    // Every time carries its zone: the log's UTC "Z", Copenhagen's CET/CEST in the status.
    assert.match(stdout, /^id: 1, dump date: 2024-01-01 22:40:12 CET, status: Import ended \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T, /m);
    assert.match(stdout, /\d+ issue\(s\) in the dump \(listed in <data folder>\/opus\/reports\/ZLPE20240101224012_delta\.xml\.json\)/);
    assert.ok(existsSync(join(dataDir, 'opus', 'reports', 'ZLPE20240101224012_delta.xml.json')), 'the report the status line names is there');
    assert.match(stderr, /\(Viborg variant, [^)]*exporters\.plan2learn\.variant chooses Viborg or RSD/);
    // How to point the CLI at this demo: a settings file with its MO, Temporal and sample.
    const demo = /^moflow: the CLI on this demo \(while `npm start` runs\): npx moflow --settings (\S+) opus status/m.exec(stderr);
    assert.ok(demo, stderr);
    const demoSettings = loadSettings({ settingsPath: demo[1]!, env: {} });
    assert.equal(demoSettings.get(moKeys.base), `http://127.0.0.1:${moPort}`);
    assert.equal(demoSettings.get(temporalKeys.address), `127.0.0.1:${port}`);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.filter((l) => /^id: \d, dump date: 2024-01-0\d .*status: Import ended .*created \d+/.test(l)).length, 4, stdout);
    assert.match(stdout, /^next run: can start \(last done: ZLPE20240104\d{6}_delta\.xml\)$/m);
    assert.match(stdout, /^Plan2Learn: bruger\.csv \d+ rows, organisation\.csv 40 rows, engagement\.csv \d+ rows/m);

    const manifest = JSON.parse(readFileSync(join(dataDir, 'plan2learn', 'manifest.json'), 'utf8')) as { files: { name: string; rows: number }[] };
    assert.deepEqual(manifest.files.map((f) => f.name), ['bruger.csv', 'organisation.csv', 'engagement.csv', 'stillingskode.csv', 'leder.csv']);
    assert.ok(manifest.files.find((f) => f.name === 'engagement.csv')!.rows > 100, 'the sample municipality has its engagements exported');
    assert.ok(existsSync(join(dataDir, 'opus', 'reports')), 'the full reports are kept in the data folder');

    // Complete files: the DAR stand-in knows the sample's invented addresses, so every unit the last dump
    // gives an address has its street, postcode and city in organisation.csv.
    const dumps = readdirSync(join(dataDir, 'sample-dumps')).filter((n) => n.startsWith('ZLPE')).sort();
    const uuids = new OpusUuids(demoSettings.get(municipalityKeys.name)!);
    const addressed = new Map<string, string>();
    for await (const entry of readDump(createReadStream(join(dataDir, 'sample-dumps', dumps.at(-1)!)), { file: dumps.at(-1)! })) {
      if (entry.kind === 'orgUnit' && entry.street) addressed.set(uuids.unit(entry.id), `"${entry.street}";"${entry.zipCode}";"${entry.city}"`);
    }
    const rows = readFileSync(join(dataDir, 'plan2learn', 'organisation.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    const withAddress = rows.filter((row) => addressed.has(JSON.parse(row.split(';')[0]!) as string));
    assert.ok(withAddress.length >= 30, `${withAddress.length} of ${rows.length} units have an address in the dump`);
    for (const row of withAddress) assert.ok(row.endsWith(`;${addressed.get(JSON.parse(row.split(';')[0]!) as string)}`), row);

    // The history outlives the process: the runs and their reports are there for the UI.
    const server = await startDevServer({ uiPort: null, dbFilename: join(dataDir, 'temporal.db'), searchAttributes: MOFLOW_SEARCH_ATTRIBUTES });
    const connection = await Connection.connect({ address: server.address });
    try {
      const client = new Client({ connection });
      const runs = [];
      for await (const run of client.workflow.list({ query: `WorkflowType='opusImportDump'` })) runs.push(run);
      assert.equal(runs.length, 4);
      assert.ok(runs.every((r) => r.status.name === 'COMPLETED' && /^created \d+/.test(String((r.memo as { summary?: string }).summary))), JSON.stringify(runs.map((r) => r.memo)));
      const report = await client.workflow.getHandle(runs[0]!.workflowId).result();
      assert.equal(report.status, 'imported');
    } finally {
      await connection.close();
      await server.stop();
    }
  });

  it('MOFLOW_LOG_FORMAT=json: the worker logs one JSON object a line, for log collectors', async () => {
    const env = { ...process.env, MOFLOW_DATA_DIR: dataDir, MOFLOW_SETTINGS: '', DATABASE_URL: '', MOFLOW_LOG_FORMAT: 'json', MOFLOW_LOG_LEVEL: 'debug' };
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['bin/moflow.js', 'start', '--once', '--port', '0', '--ui-port', '0', '--mo-port', '0'],
      { cwd: root, env, timeout: 240_000, maxBuffer: 16 << 20 },
    );
    const json = stderr.split('\n').filter((line) => line.startsWith('{'));
    const entries = json.map((line) => JSON.parse(line) as { time: string; level: string; message: string; activityType?: string; workflowId?: string });
    for (const e of entries) assert.ok(/Z$/.test(e.time) && typeof e.level === 'string' && typeof e.message === 'string', JSON.stringify(e));
    const read = entries.find((e) => /^reading OS2MO as on/.test(e.message));
    assert.ok(read, stderr);
    assert.equal(read.activityType, 'plan2learnExportAndShip');
    assert.equal(read.workflowId, 'plan2learn-export');
    // At debug, the activities' stages are there too.
    assert.ok(entries.some((e) => e.level === 'DEBUG' && /^reading /.test(e.message)), stderr);
  });

  // What systemd and Docker do: signal the PID they started, which is npm's.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the PID of \`npm start\` stops it cleanly, leaving no process behind`, async () => {
      const env = { ...process.env, MOFLOW_DATA_DIR: dataDir, MOFLOW_SETTINGS: '', DATABASE_URL: '' };
      const npm = spawn('npm', ['start', '--', '--port', '0', '--ui-port', '0', '--mo-port', '0'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const running = new Promise<void>((resolve, reject) => {
        const seen = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('moflow: running; stop with Ctrl-C')) resolve();
        };
        npm.stdout.on('data', seen);
        npm.stderr.on('data', seen);
        npm.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it ran: ${output}`)));
      });
      const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
      try {
        await running;
      } catch (error) {
        npm.kill('SIGKILL');
        throw error;
      }
      if (signal === 'SIGTERM') {
        // The start printed how to point the CLI at the running demo: that works at once.
        const demo = /^moflow: the CLI on this demo: npx moflow --settings (\S+) opus status/m.exec(output);
        const status = demo
          ? await promisify(execFile)(process.execPath, ['bin/moflow.js', '--settings', demo[1]!, 'opus', 'status'], { cwd: root, env: { ...process.env, MOFLOW_SETTINGS: '' } }).catch((e: unknown) => e as { stdout: string; stderr: string })
          : null;
        if (!status || !/^next run: can start/m.test(status.stdout)) npm.kill('SIGKILL');
        assert.ok(demo, output);
        assert.match(status!.stdout, /^id: 1, dump date: 2024-01-01 22:40:12 CET, status: Import ended/m, status!.stderr);
      }
      npm.kill(signal);
      const code = await exited;
      assert.match(output, new RegExp(`moflow: ${signal}, finishing running tasks`));
      assert.match(output, /moflow: stopped/);
      assert.equal(code, 0, output);
      // Nothing of this data folder still runs: not the embedded PostgreSQL, not the Temporal server.
      const left = readdirSync('/proc')
        .filter((pid) => /^\d+$/.test(pid))
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
          } catch {
            return false;
          }
        });
      assert.deepEqual(left, [], 'processes left behind');
    });
  }
});
