// npm run bench:import:real — moflow's OPUS import against the real OS2MO 66.1.2 (the tests' harness: OS2MO's
// own source, its database on the local PostgreSQL, the Keycloak stand-in), next to OS2MO's write ceiling
// measured in the same run, so the figure is a ratio that holds on any machine. Per number of uvicorn workers:
//   ceiling  the creates of a first import (the same kinds of write, in the same proportions) sent as fast as
//            OS2MO takes them: phase by phase, cut as moflow cuts them (its batch size, a multiple of the
//            requests in flight), 4 and 8 in flight, none of moflow's logic;
//   moflow   a first import of a generated municipality, then its nightly deltas, end to end (with the dump
//            digests the CLI and the worker keep);
//   table    (--table) moflow's write phase on a smaller first import for each batch size × requests in flight.
// Every measurement gets a fresh OS2MO database (a template copy). Figures go into the README and closing notes.
//
//   npm run bench:import:real                                   20,000 employments, 1,000 units, 5 deltas; 1 and 2 workers
//   npm run bench:import:real -- --employees 2000 --units 100 --workers 1 --table
//   npm run bench:import:real -- --workers 2 --in-flight 8 --skip-ceiling    moflow with other than its defaults
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { opusImportDefaults } from '../src/config/opus.js';
import { createMoClient, type MoClient } from '../src/mo/index.js';
import { generateDumps, type GeneratedFile } from '../src/opus/generate/index.js';
import { LocalFolderSource } from '../src/sources/local.js';
import type { PhaseTiming } from '../src/sync/apply.js';
import { DigestCache } from '../src/sync/digestCache.js';
import { importDump, importSettings, planDump } from '../src/sync/importDump.js';
import { requestSizes } from '../src/sync/schedule.js';
import { PHASES } from '../src/sync/plan/types.js';
import { forEachLimited } from '../src/util/pool.js';
import { os2moUnavailable, startOs2mo, type Os2moInstance } from '../test/support/os2mo/index.js';

const { values: opts } = parseArgs({
  options: {
    employees: { type: 'string', default: '20000' },
    units: { type: 'string', default: '1000' },
    days: { type: 'string', default: '6' },
    workers: { type: 'string', default: '1,2' },
    'ceiling-employees': { type: 'string', default: '2000' },
    'ceiling-in-flight': { type: 'string', default: '4,8' },
    'in-flight': { type: 'string' },
    batch: { type: 'string' },
    'skip-ceiling': { type: 'boolean', default: false },
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

/** The OS2MO running now: stopped on Ctrl-C too, so an interrupted bench leaves no server behind. */
let running: Os2moInstance | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping OS2MO …`);
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function withOs2mo<T>(workers: number, fn: (mo: Os2moInstance, client: (tuning?: { batchSize: number; requestsInFlight: number }) => MoClient) => Promise<T>): Promise<T> {
  const mo = await startOs2mo({ workers });
  running = mo;
  try {
    return await fn(mo, (tuning) => createMoClient({ ...mo.clientOptions(), timeoutMs: 600_000, ...tuning }));
  } finally {
    running = null;
    await mo.stop();
  }
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
  const { plan } = await planDump(client, source, { name: dump, previous: null }, importSettings(opusImportDefaults('Andeby Kommune')));
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
}

async function importOne(client: MoClient, source: LocalFolderSource, name: string, previous: string | null, digests?: DigestCache): Promise<ImportFigures> {
  const settings = { ...importSettings(opusImportDefaults('Andeby Kommune')), ...(digests ? { digests } : {}) };
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
  return { writes: plan.ops.length, applyMs: report.durationMs, totalMs, failures: report.failures.length, phases: report.phases ?? [], readMs, planMs, replans };
}

async function main(): Promise<void> {
  const why = await os2moUnavailable();
  if (why) throw new Error(`the real OS2MO cannot start here: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'moflow-bench-real-'));
  try {
    let t = performance.now();
    const { files } = await generateDumps({ outDir: join(dir, 'daily'), units: Number(opts.units), employees: Number(opts.employees), days: Number(opts.days), seed: 2026 });
    console.log(`generated ${files.length} dumps of ${files[0]!.employments.toLocaleString('en')} employments and ${files[0]!.units} units in ${seconds(performance.now() - t)}`);
    const source = new LocalFolderSource(join(dir, 'daily'));
    const ceilingFile = (await generateDumps({ outDir: join(dir, 'ceiling'), units: Math.max(10, Math.round(Number(opts['ceiling-employees']) / 20)), employees: Number(opts['ceiling-employees']), days: 1, seed: 11 })).files[0]!;
    const ceilingSource = new LocalFolderSource(join(dir, 'ceiling'));
    const small = opts.table ? (await generateDumps({ outDir: join(dir, 'small'), units: 20, employees: Number(opts['table-employees']), days: 1, seed: 7 })).files[0]! : null;

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

      await withOs2mo(workers, async (_, client) => {
        const defaults = client().writeTuning;
        const moflow = client({ batchSize: Number(opts.batch ?? defaults.batchSize), requestsInFlight: Number(opts['in-flight'] ?? defaults.requestsInFlight) });
        console.log(`moflow: ${moflow.writeTuning.batchSize} writes per request, ${moflow.writeTuning.requestsInFlight} in flight (defaults ${defaults.batchSize}, ${defaults.requestsInFlight})`);
        const digests = new DigestCache(join(dir, `digests-${workers}`));
        for (const [i, file] of files.entries()) {
          const f = await importOne(moflow, source, file.name, i === 0 ? null : files[i - 1]!.name, digests);
          const label = i === 0 ? 'first import' : `nightly delta ${i}`;
          const extra = i === 0 ? `, ${(f.writes / file.employments).toFixed(2)} writes per employment` : '';
          console.log(
            `${label.padEnd(16)} ${seconds(f.totalMs).padStart(8)} end to end, ${String(f.writes).padStart(6)} writes, write phase ${seconds(f.applyMs)} = ${rate(f.writes, f.applyMs)} writes/s` +
              `${best > 0 ? ` (${((100 * f.writes) / (f.applyMs / 1000) / best).toFixed(0)} % of the ceiling)` : ''}${extra}${f.failures ? `, ${f.failures} FAILED` : ''}`,
          );
          console.log(`  dumps read ${seconds(f.readMs)}, MO read and planned ${seconds(f.planMs)}${f.replans.length ? ` (planned again: ${f.replans.join('; ')})` : ''}`);
          if (i === 0) {
            // Where the first import's time goes: each phase's writes, requests and rate.
            for (const p of f.phases) console.log(phaseLine(p));
          }
        }
      });

      if (small && list(opts['table-workers']!).includes(workers)) await table(workers, small, join(dir, 'small'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
