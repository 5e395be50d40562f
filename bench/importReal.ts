// npm run bench:import:real — moflow's OPUS import against the real OS2MO 66.1.2 (the tests' harness: OS2MO's
// own source, its database on the local PostgreSQL, the Keycloak stand-in), next to OS2MO's write ceiling
// measured in the same run, so the figure is a ratio that holds on any machine. Per number of uvicorn workers:
//   ceiling  the same kinds of write (units, people, engagements) sent as fast as OS2MO takes them: plain
//            independent creates through moflow's transport, no plan, at several requests in flight;
//   moflow   a first import of a generated municipality, then its nightly deltas, end to end;
//   table    (--table) moflow's write phase on a smaller first import for each batch size × requests in flight.
// Every measurement gets a fresh OS2MO database (a template copy). Figures go into the README and closing notes.
//
//   npm run bench:import:real                                   20,000 employments, 1,000 units, 5 deltas; 1 and 2 workers
//   npm run bench:import:real -- --employees 2000 --units 100 --workers 1 --table
//   npm run bench:import:real -- --workers 2 --in-flight 8 --skip-ceiling    moflow with other than its defaults
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { opusImportDefaults } from '../src/config/opus.js';
import { createMoClient, type MoClient, type MoOperation } from '../src/mo/index.js';
import { generateDumps, type GeneratedFile } from '../src/opus/generate/index.js';
import { LocalFolderSource } from '../src/sources/local.js';
import { importDump, importSettings } from '../src/sync/importDump.js';
import { forEachLimited } from '../src/util/pool.js';
import { os2moUnavailable, startOs2mo, type Os2moInstance } from '../test/support/os2mo/index.js';

const { values: opts } = parseArgs({
  options: {
    employees: { type: 'string', default: '20000' },
    units: { type: 'string', default: '1000' },
    days: { type: 'string', default: '6' },
    workers: { type: 'string', default: '1,2' },
    'ceiling-people': { type: 'string', default: '600' },
    'in-flight': { type: 'string' },
    batch: { type: 'string' },
    'skip-ceiling': { type: 'boolean', default: false },
    table: { type: 'boolean', default: false },
    'table-employees': { type: 'string', default: '300' },
    'table-batches': { type: 'string', default: '1,20,100,200' },
    'table-in-flight': { type: 'string', default: '1,4,8' },
  },
});

const list = (s: string) => s.split(',').map(Number);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (writes: number, ms: number) => (writes / (ms / 1000)).toFixed(1);

async function withOs2mo<T>(workers: number, fn: (mo: Os2moInstance, client: (tuning?: { batchSize: number; requestsInFlight: number }) => MoClient) => Promise<T>): Promise<T> {
  const mo = await startOs2mo({ workers });
  try {
    return await fn(mo, (tuning) => createMoClient({ ...mo.clientOptions(), timeoutMs: 600_000, ...tuning }));
  } finally {
    await mo.stop();
  }
}

/** OS2MO's ceiling: independent creates of units, people and engagements, `inFlight` requests of 100 at once. */
async function ceiling(client: MoClient, people: number, inFlight: number): Promise<{ writes: number; ms: number }> {
  const klass = async (facet: string, key: string) => (await client.ensureClass(facet, { userKey: key, name: key })).uuid;
  const unitType = await klass('org_unit_type', 'bench-enhed');
  const jobFunction = await klass('engagement_job_function', 'bench-stilling');
  const engagementType = await klass('engagement_type', 'bench-ansat');
  const units = Array.from({ length: Math.max(10, Math.round(people / 20)) }, () => randomUUID());
  const persons = Array.from({ length: people }, () => randomUUID());
  const phases: MoOperation[][] = [
    units.map((uuid, i) => ({ kind: 'orgUnit', action: 'create', input: { uuid, name: `Enhed ${i}`, userKey: `bench-${uuid}`, parentUuid: null, unitTypeUuid: unitType, from: '2020-01-01' } })),
    persons.map((uuid, i) => ({ kind: 'person', action: 'create', input: { uuid, givenName: 'Bench', surname: `Person ${i}`, cprNumber: cprOf(i) } })),
    persons.map((personUuid, i) => ({
      kind: 'engagement',
      action: 'create',
      input: { personUuid, orgUnitUuid: units[i % units.length]!, jobFunctionUuid: jobFunction, engagementTypeUuid: engagementType, userKey: `b${i}`, from: '2021-01-01' },
    })),
  ] as MoOperation[][];
  const started = performance.now();
  for (const ops of phases) {
    const requests = Array.from({ length: Math.ceil(ops.length / 100) }, (_, k) => ops.slice(k * 100, k * 100 + 100));
    await forEachLimited(requests, inFlight, async (request) => void (await client.write(request, { batchSize: request.length })));
  }
  return { writes: phases.reduce((n, p) => n + p.length, 0), ms: performance.now() - started };
}

/** Distinct valid-looking CPR numbers (day 01–28, month 01–12, any year, serial from i). */
function cprOf(i: number): string {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
  return `${day}${month}${String(50 + (Math.floor(i / 336) % 40)).padStart(2, '0')}${String(1000 + (i % 9000)).slice(-4)}`;
}

interface ImportFigures {
  writes: number;
  applyMs: number;
  totalMs: number;
  failures: number;
}

async function importOne(client: MoClient, source: LocalFolderSource, name: string, previous: string | null): Promise<ImportFigures> {
  const settings = importSettings(opusImportDefaults('Andeby Kommune'));
  const started = performance.now();
  const { plan, report } = await importDump(client, source, { name, previous }, { ...settings, approveMassChange: true });
  return { writes: plan.ops.length, applyMs: report.durationMs, totalMs: performance.now() - started, failures: report.failures.length };
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
    const small = opts.table ? (await generateDumps({ outDir: join(dir, 'small'), units: 20, employees: Number(opts['table-employees']), days: 1, seed: 7 })).files[0]! : null;

    for (const workers of list(opts.workers!)) {
      console.log(`\n== OS2MO 66.1.2 with ${workers} uvicorn worker${workers > 1 ? 's' : ''}`);
      let best = 0;
      for (const inFlight of opts['skip-ceiling'] ? [] : [1, 4, 8]) {
        const c = await withOs2mo(workers, (_, client) => ceiling(client(), Number(opts['ceiling-people']), inFlight));
        best = Math.max(best, c.writes / (c.ms / 1000));
        console.log(`ceiling, 100 writes per request, ${inFlight} in flight: ${c.writes} creates in ${seconds(c.ms)} = ${rate(c.writes, c.ms)} writes/s`);
      }
      if (best > 0) console.log(`ceiling: ${best.toFixed(1)} writes/s`);

      await withOs2mo(workers, async (_, client) => {
        const defaults = client().writeTuning;
        const moflow = client({ batchSize: Number(opts.batch ?? defaults.batchSize), requestsInFlight: Number(opts['in-flight'] ?? defaults.requestsInFlight) });
        console.log(`moflow: ${moflow.writeTuning.batchSize} writes per request, ${moflow.writeTuning.requestsInFlight} in flight (defaults ${defaults.batchSize}, ${defaults.requestsInFlight})`);
        for (const [i, file] of files.entries()) {
          const f = await importOne(moflow, source, file.name, i === 0 ? null : files[i - 1]!.name);
          const label = i === 0 ? 'first import' : `nightly delta ${i}`;
          const extra = i === 0 ? `, ${(f.writes / file.employments).toFixed(2)} writes per employment` : '';
          console.log(
            `${label.padEnd(16)} ${seconds(f.totalMs).padStart(8)} end to end, ${String(f.writes).padStart(6)} writes, write phase ${seconds(f.applyMs)} = ${rate(f.writes, f.applyMs)} writes/s` +
              `${best > 0 ? ` (${((100 * f.writes) / (f.applyMs / 1000) / best).toFixed(0)} % of the ceiling)` : ''}${extra}${f.failures ? `, ${f.failures} FAILED` : ''}`,
          );
        }
      });

      if (small) await table(workers, small, join(dir, 'small'));
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
