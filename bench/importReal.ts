// npm run bench:import:real — moflow's OPUS import against the real OS2MO 66.1.2 (the tests' harness: OS2MO's
// own source, its database on the local PostgreSQL, the Keycloak stand-in), next to OS2MO's write ceiling
// measured in the same run, so the figure is a ratio that holds on any machine. Per number of uvicorn workers:
//   ceiling  the creates of a first import (the same kinds of write, in the same proportions) sent as fast as
//            OS2MO takes them: phase by phase, cut as moflow cuts them (its batch size, a multiple of the
//            requests in flight), at 8 in flight, none of moflow's logic; at the import's size unless
//            --ceiling-employees says otherwise (OS2MO's writes grow dearer as its database grows, so a smaller
//            ceiling overstates what one worker reaches at 20,000: about half an hour per worker count);
//   moflow   a first import of a generated municipality, direct (one plan, one apply: its write phase is what
//            the ceiling is for), then its nightly deltas as the product runs them: each the Temporal workflow
//            opusImportDump on a moflow worker (fetchDump, parseDump, diffUnits, diffEmployees, computePrimary,
//            recordRun), end to end from its start to its result, on a Temporal dev server started once for the
//            bench (bench/temporalDeltas.ts). Both read the same settings: moflow's DAR cache in a database of
//            its own, the DAR stand-in, the dump digests under the data folder. --direct-deltas runs the deltas
//            directly instead, as before, for comparison;
//   table    (--table) moflow's write phase on a smaller first import for each batch size × requests in flight.
// Every measurement gets a fresh OS2MO database (a template copy). Figures go into the README and closing notes.
//
//   npm run bench:import:real                                   20,000 employments, 1,000 units, 6 deltas; 1 and 2 workers
//   npm run bench:import:real -- --ceiling-employees 2000 --ceiling-in-flight 4,8    a quicker, rougher ceiling
//   npm run bench:import:real -- --employees 2000 --units 100 --workers 1 --table
//   npm run bench:import:real -- --workers 2 --in-flight 8 --skip-ceiling    moflow with other than its defaults
//   npm run bench:import:real -- --employees 300 --units 30 --days 3 --workers 1 --skip-ceiling    a quick look
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSettings, type Settings } from '../src/config/load.js';
import { opusImportDefaults, opusImportOptions } from '../src/config/opus.js';
import { openDarResolver } from '../src/dar/open.js';
import { createMoClient, type MoClient } from '../src/mo/index.js';
import { generateDumps, type GeneratedFile } from '../src/opus/generate/index.js';
import { LocalFolderSource } from '../src/sources/local.js';
import type { ImportFailure, PhaseTiming } from '../src/sync/apply.js';
import { importDump, importSettings, planDump, type ImportSettings } from '../src/sync/importDump.js';
import { digestsOf } from '../src/opusRuns/context.js';
import { requestSizes } from '../src/sync/schedule.js';
import { PHASES } from '../src/sync/plan/types.js';
import { forEachLimited } from '../src/util/pool.js';
import { DarServer } from '../test/support/darServer.js';
import { os2moUnavailable, startOs2mo, type Os2moInstance } from '../test/support/os2mo/index.js';
import { createTestDatabase, dropTestDatabase } from '../test/support/postgres.js';
import type { ImportRunReport } from '../src/opusRuns/types.js';
import { runTemporalDeltas, startTemporal, type TemporalBench, type TemporalDelta } from './temporalDeltas.js';

const { values: opts } = parseArgs({
  options: {
    employees: { type: 'string', default: '20000' },
    units: { type: 'string', default: '1000' },
    days: { type: 'string', default: '6' },
    workers: { type: 'string', default: '1,2' },
    /** Default: --employees. */
    'ceiling-employees': { type: 'string' },
    'ceiling-in-flight': { type: 'string', default: '8' },
    'in-flight': { type: 'string' },
    batch: { type: 'string' },
    'skip-ceiling': { type: 'boolean', default: false },
    'direct-deltas': { type: 'boolean', default: false },
    table: { type: 'boolean', default: false },
    'table-employees': { type: 'string', default: '500' },
    'table-workers': { type: 'string', default: '1' },
    'table-batches': { type: 'string', default: '1,20,100,200' },
    'table-in-flight': { type: 'string', default: '1,4,8' },
  },
});

const list = (s: string) => s.split(',').map(Number);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (writes: number, ms: number) => (writes / (ms / 1000)).toFixed(1);

const MUNICIPALITY = 'Andeby Kommune';

/**
 * What runs now (OS2MO, the Temporal server, moflow's DAR database, the DAR stand-in): stopped on Ctrl-C too,
 * newest first, so an interrupted bench leaves nothing behind.
 */
const running: (() => Promise<unknown>)[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping OS2MO and Temporal …`);
    void (async () => {
      for (const stop of running.splice(0).reverse()) await stop().catch(() => {});
    })().finally(() => process.exit(130));
  });
}

/** Registers `stop` for Ctrl-C; the function returned stops it now (unless Ctrl-C already does). */
function hold(stop: () => Promise<unknown>): () => Promise<void> {
  running.push(stop);
  return async () => {
    const at = running.indexOf(stop);
    if (at < 0) return;
    running.splice(at, 1);
    await stop();
  };
}

/** `fn` with `stop` registered for Ctrl-C, then `stop`. */
async function holding<T>(stop: () => Promise<unknown>, fn: () => Promise<T>): Promise<T> {
  const release = hold(stop);
  try {
    return await fn();
  } finally {
    await release();
  }
}

type MoClients = (tuning?: { batchSize: number; requestsInFlight: number }) => MoClient;

async function withOs2mo<T>(workers: number, fn: (mo: Os2moInstance, client: MoClients) => Promise<T>, darBaseUrl: string | null = null): Promise<T> {
  const mo = await startOs2mo({ workers, darBaseUrl });
  return holding(() => mo.stop(), () => fn(mo, (tuning) => createMoClient({ ...mo.clientOptions(), timeoutMs: 600_000, ...tuning })));
}

/**
 * The settings a moflow worker reads (as test/support/opusWorld.ts makes them for the real OS2MO): this OS2MO
 * and its Keycloak client with the bench's write tuning, the generated dumps, a data folder (dump cache,
 * digests, reports), moflow's DAR cache in a fresh database of its own, and the DAR stand-in.
 */
async function moflowSettings(root: string, mo: Os2moInstance, dumps: string, darUrl: string, tuning: MoClient['writeTuning'], database: string): Promise<Settings> {
  const auth = mo.clientOptions().auth!;
  mkdirSync(root, { recursive: true });
  const values = {
    'municipality.name': MUNICIPALITY,
    'integrations.opus.import.xml_path': dumps,
    'mora.base': mo.url,
    'crontab.AUTH_SERVER': mo.authServer,
    'crontab.CLIENT_ID': auth.clientId,
    'crontab.CLIENT_SECRET': auth.clientSecret,
    'moflow.mo.timeout_seconds': 600,
    'moflow.mo.batch_size': tuning.batchSize,
    'moflow.mo.requests_in_flight': tuning.requestsInFlight,
    'moflow.mo.database_url': database,
    'moflow.data_dir': join(root, 'data'),
    'moflow.dar.base_url': darUrl,
    // Generated dumps end a few engagements a day; the guard must never hold one back.
    'integrations.opus.mass_change.min_count': 100_000,
  };
  writeFileSync(join(root, 'settings.json'), JSON.stringify(values, null, 2), { mode: 0o600 });
  return loadSettings({ settingsPath: join(root, 'settings.json'), env: {} });
}

/**
 * OS2MO's ceiling for moflow's own mix of writes: the creates of a first import's plan (units, people,
 * engagements, IT accounts, addresses, managers, in those proportions), sent phase by phase, cut as moflow
 * cuts them (requests of at most `batchSize`, their number a multiple of `inFlight`), with `inFlight` at once
 * and none of moflow's logic (no scheduling, no failure isolation). Classes and units go one request at a time
 * (units refer to parents written before them). Updates are left out: a first import has about 1 per 100
 * writes, and two writes of one object cannot be sent at once.
 */
async function ceiling(client: MoClient, source: LocalFolderSource, dump: string, batchSize: number, inFlight: number): Promise<{ writes: number; ms: number; phases: PhaseTiming[] }> {
  const { plan } = await planDump(client, source, { name: dump, previous: null }, importSettings(opusImportDefaults(MUNICIPALITY)));
  const phases: PhaseTiming[] = [];
  const started = performance.now();
  for (const phase of PHASES) {
    const ops = plan.ops.filter((o) => o.phase === phase && o.op.action === 'create').map((o) => o.op);
    if (ops.length === 0) continue;
    const t = performance.now();
    const parallel = phase === 'catalog' || phase === 'units' ? 1 : inFlight;
    const requests: (typeof ops)[] = [];
    for (let first = 0, k = 0, sizes = requestSizes(ops.length, batchSize, parallel); k < sizes.length; first += sizes[k]!, k++) requests.push(ops.slice(first, first + sizes[k]!));
    await forEachLimited(requests, parallel, async (request) => void (await client.write(request, { batchSize: request.length })));
    phases.push({ phase, writes: ops.length, requests: requests.length, ms: performance.now() - t });
  }
  return { writes: phases.reduce((n, p) => n + p.writes, 0), ms: performance.now() - started, phases };
}

const phaseLine = (p: PhaseTiming) =>
  `  ${p.phase.padEnd(14)} ${String(p.writes).padStart(6)} writes in ${String(p.requests).padStart(3)} requests, ${seconds(p.ms).padStart(8)} = ${rate(p.writes, p.ms)} writes/s`;

/** The first few failures of an import, one line each. */
const failureLines = (failures: ImportFailure[]) => failures.slice(0, 3).map((f) => `  FAILED ${f.write} ${f.subject}${f.opusId ? ` (OPUS ${f.opusId})` : ''}: ${f.reason}`);

interface ImportFigures {
  writes: number;
  applyMs: number;
  totalMs: number;
  failures: number;
  phases: PhaseTiming[];
  /** Reading the dump (and the previous one) until the first read of MO. */
  readMs: number;
  /** From the first read of MO to the first write: MO's reads and the plan, twice when something re-plans. */
  planMs: number;
  /** Why a second, wider plan was made (a unit that widens, or changes outside OPUS). */
  replans: string[];
  /** What DAR did (with settings), or null. */
  dar: string | null;
  /** The first few failures, one line each. */
  failed: string[];
}

/**
 * One import, direct (no Temporal): with `settings`, planned as the worker plans (its import options, a DAR
 * resolver opened from them as each activity opens one, its dump digests); else with the defaults and no DAR.
 */
async function importOne(client: MoClient, source: LocalFolderSource, name: string, previous: string | null, settings?: Settings): Promise<ImportFigures> {
  const dar = settings ? await openDarResolver(settings) : null;
  try {
    const config = settings ? importSettings(opusImportOptions(settings), { postal: dar!.resolver, digests: digestsOf(settings) }) : importSettings(opusImportDefaults(MUNICIPALITY));
    return { ...(await timedImport(client, source, name, previous, config)), dar: dar?.summary() ?? null };
  } finally {
    await dar?.close();
  }
}

async function timedImport(client: MoClient, source: LocalFolderSource, name: string, previous: string | null, settings: ImportSettings): Promise<Omit<ImportFigures, 'dar'>> {
  const started = performance.now();
  // Where planning goes: reading the dumps until the first read of MO, then MO's reads (and a second plan when
  // a unit widens or changes outside OPUS) until the writes start.
  let firstMoRead: number | null = null;
  let writesStart: number | null = null;
  const replans: string[] = [];
  const onStep = (what: string) => {
    if (firstMoRead === null && what.startsWith('reading MO:')) firstMoRead = performance.now();
    if (what.startsWith('applying ')) writesStart = performance.now();
    if (/; comparing (every employment|their employments) with MO$/.test(what)) replans.push(what.replace(/; comparing.*/, ''));
  };
  const { plan, report } = await importDump(client, source, { name, previous }, { ...settings, approveMassChange: true }, { onStep });
  const totalMs = performance.now() - started;
  const readMs = (firstMoRead ?? started) - started;
  const planMs = (writesStart ?? started + totalMs) - (firstMoRead ?? started);
  return { writes: plan.ops.length, applyMs: report.durationMs, totalMs, failures: report.failures.length, phases: report.phases ?? [], readMs, planMs, replans, failed: failureLines(report.failures) };
}

async function main(): Promise<void> {
  const why = await os2moUnavailable();
  if (why) throw new Error(`the real OS2MO cannot start here: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'moflow-bench-real-'));
  // For the whole bench: the DAR stand-in (it answers "no such address" to everything, as in the tests) and,
  // unless --direct-deltas, the Temporal dev server the deltas run on.
  const dar = await DarServer.start();
  const releaseDar = hold(() => dar.stop());
  let temporal: TemporalBench | null = null;
  let releaseTemporal = async () => {};
  try {
    let t = performance.now();
    const { files } = await generateDumps({ outDir: join(dir, 'daily'), units: Number(opts.units), employees: Number(opts.employees), days: Number(opts.days), seed: 2026 });
    console.log(`generated ${files.length} dumps of ${files[0]!.employments.toLocaleString('en')} employments and ${files[0]!.units} units in ${seconds(performance.now() - t)}`);
    const source = new LocalFolderSource(join(dir, 'daily'));
    const ceilingEmployees = Number(opts['ceiling-employees'] ?? opts.employees);
    const ceilingFile = (await generateDumps({ outDir: join(dir, 'ceiling'), units: Math.max(10, Math.round(ceilingEmployees / 20)), employees: ceilingEmployees, days: 1, seed: 11 })).files[0]!;
    const ceilingSource = new LocalFolderSource(join(dir, 'ceiling'));
    const small = opts.table ? (await generateDumps({ outDir: join(dir, 'small'), units: 20, employees: Number(opts['table-employees']), days: 1, seed: 7 })).files[0]! : null;
    if (!opts['direct-deltas']) {
      t = performance.now();
      const started = await startTemporal();
      temporal = started;
      releaseTemporal = hold(() => started.stop());
      console.log(`Temporal dev server at ${started.server.address} in ${seconds(performance.now() - t)}; nightly deltas run as the workflow opusImportDump`);
    }

    for (const workers of list(opts.workers!)) {
      console.log(`\n== OS2MO 66.1.2 with ${workers} uvicorn worker${workers > 1 ? 's' : ''}`);
      let best = 0;
      for (const inFlight of opts['skip-ceiling'] ? [] : list(opts['ceiling-in-flight']!)) {
        const c = await withOs2mo(workers, (_, client) => {
          const raw = client();
          return ceiling(raw, ceilingSource, ceilingFile.name, Number(opts.batch ?? raw.writeTuning.batchSize), inFlight);
        });
        best = Math.max(best, c.writes / (c.ms / 1000));
        console.log(`ceiling, ${ceilingFile.employments} employments, ${inFlight} in flight: ${c.writes} creates in ${seconds(c.ms)} = ${rate(c.writes, c.ms)} writes/s`);
        for (const p of c.phases) console.log(phaseLine(p));
      }
      if (best > 0) console.log(`ceiling: ${best.toFixed(1)} writes/s`);

      await withOs2mo(
        workers,
        async (mo, client) => {
          const defaults = client().writeTuning;
          const moflow = client({ batchSize: Number(opts.batch ?? defaults.batchSize), requestsInFlight: Number(opts['in-flight'] ?? defaults.requestsInFlight) });
          console.log(`moflow: ${moflow.writeTuning.batchSize} writes per request, ${moflow.writeTuning.requestsInFlight} in flight (defaults ${defaults.batchSize}, ${defaults.requestsInFlight})`);
          const database = await createTestDatabase('moflow_bench_dar');
          const releaseDatabase = hold(() => dropTestDatabase(database));
          try {
            const settings = await moflowSettings(join(dir, `moflow-${workers}`), mo, join(dir, 'daily'), dar.url, moflow.writeTuning, database);
            // The first import always direct; the deltas too with --direct-deltas, else through Temporal below.
            for (const [i, file] of (temporal ? files.slice(0, 1) : files).entries()) {
              const f = await importOne(moflow, source, file.name, i === 0 ? null : files[i - 1]!.name, settings);
              const label = i === 0 ? 'first import' : `nightly delta ${i} (direct)`;
              const extra = i === 0 ? `, ${(f.writes / file.employments).toFixed(2)} writes per employment` : '';
              console.log(
                `${label.padEnd(26)} ${seconds(f.totalMs).padStart(8)} end to end, ${String(f.writes).padStart(6)} writes, write phase ${seconds(f.applyMs)} = ${rate(f.writes, f.applyMs)} writes/s` +
                  `${best > 0 ? ` (${((100 * f.writes) / (f.applyMs / 1000) / best).toFixed(0)} % of the ceiling)` : ''}${extra}${f.failures ? `, ${f.failures} FAILED` : ''}`,
              );
              console.log(`  dumps read ${seconds(f.readMs)}, MO read and planned ${seconds(f.planMs)}${f.replans.length ? ` (planned again: ${f.replans.join('; ')})` : ''}`);
              for (const line of f.failed) console.log(line);
              if (i === 0) {
                if (f.dar) console.log(`  ${f.dar}`);
                // Where the first import's time goes: each phase's writes, requests and rate.
                for (const p of f.phases) console.log(phaseLine(p));
              }
            }
            if (temporal) {
              await runTemporalDeltas(temporal, settings, files.map((f) => f.name), MUNICIPALITY, {
                warm: (ms) => console.log(`moflow worker up; its first workflow (ping, not counted) took ${seconds(ms)}`),
                delta: (i, d) => temporalLine(i, d),
              });
            }
          } finally {
            await releaseDatabase();
          }
        },
        dar.url,
      );

      if (small && list(opts['table-workers']!).includes(workers)) await table(workers, small, join(dir, 'small'));
    }
  } finally {
    await releaseTemporal();
    await releaseDar();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A Temporal delta: end to end, writes planned, failures; then where the time went, step by step. */
function temporalLine(i: number, d: TemporalDelta): void {
  const { report } = d;
  const failures = report.failureCount;
  console.log(
    `${`nightly delta ${i} (Temporal)`.padEnd(26)} ${seconds(d.ms).padStart(8)} end to end, ${String(d.planned ?? '?').padStart(6)} writes planned, ` +
      `${failures ? `${failures} FAILED` : 'no failures'} (the workflow's own clock ${seconds(report.durationMs)}${report.retries ? `, ${report.retries} retries` : ''})`,
  );
  const took = (names: string[]) => d.activities.filter((a) => names.includes(a.name)).reduce((n, a) => n + a.ms, 0);
  const fetchParse = took(['fetchDump', 'parseDump', 'fetchDumps', 'validateDump']);
  // A step's time less its writes is what it read (MO, the dump) and planned.
  const stepTime = (s: ImportRunReport['steps'][number]) => `${s.step} ${seconds(s.durationMs)}${s.writeMs !== undefined ? ` (writing ${seconds(s.writeMs)})` : ''}`;
  console.log(`  fetch+parse ${seconds(fetchParse)}; steps ${report.steps.map(stepTime).join(', ')}; record ${seconds(took(['recordRun', 'recordImportRun']))}`);
  const kinds = Object.entries(report.counts).map(([kind, outcomes]) => `${kind} ${Object.entries(outcomes).map(([o, n]) => `${o} ${n}`).join('/')}`);
  console.log(`  writes by kind: ${kinds.join(', ')}`);
  console.log(`  activities (scheduled → completed): ${d.activities.map((a) => `${a.name} ${seconds(a.ms)}`).join(', ')}`);
  for (const line of failureLines(report.failures)) console.log(line);
}

/** moflow's write phase on the same small first import for each batch size × requests in flight. */
async function table(workers: number, file: GeneratedFile, folder: string): Promise<void> {
  const batches = list(opts['table-batches']!);
  const flights = list(opts['table-in-flight']!);
  console.log(`\nmoflow's write phase, first import of ${file.employments} employments, writes/s (${workers} worker${workers > 1 ? 's' : ''}):`);
  console.log(`${'batch \\ in flight'.padEnd(18)}${flights.map((f) => String(f).padStart(8)).join('')}`);
  for (const batchSize of batches) {
    const cells: string[] = [];
    for (const requestsInFlight of flights) {
      const f = await withOs2mo(workers, (_, client) => importOne(client({ batchSize, requestsInFlight }), new LocalFolderSource(folder), file.name, null));
      cells.push(`${rate(f.writes, f.applyMs)}${f.failures ? '!' : ''}`.padStart(8));
    }
    console.log(`${String(batchSize).padEnd(18)}${cells.join('')}`);
  }
}

await main();
