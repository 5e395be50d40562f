// npm run bench:plan2learn — the Plan2Learn export end to end against the local MO: a generated municipality
// of 5,000 / 20,000 / 50,000 employments is written into a fresh local MO through the MO client's bulk
// writes, then the export itself is timed: load from MO (the loader's paged reads) + build the five files +
// write them with the manifest. Target: < 5 s at 20,000 and linear growth. Prints figures; asserts nothing.
// The service runs in a child process (as in production), with a fake DAR naming the units' addresses.
//
//   npm run bench:plan2learn                                   embedded PostgreSQL in a temporary folder
//   npm run bench:plan2learn -- --database-url postgres://…    a fresh database per size on that server
//   npm run bench:plan2learn -- --sizes 20000 --runs 5 --page-size 1000
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { classUuid, facetUuid } from '../src/localmo/bootstrap.js';
import { createMoClient, type MoClient, type MoOperation } from '../src/mo/index.js';
import { randomFor } from '../src/opus/generate/prng.js';
import { exportPlan2Learn } from '../src/plan2learn/export.js';
import { loadSnapshotFromMo } from '../src/plan2learn/loadFromMo.js';
import type { Plan2LearnOptions, Plan2LearnVariant } from '../src/plan2learn/options.js';
import { writeExport } from '../src/plan2learn/writer.js';
import { startBenchMo } from './localMoChild.js';

const { values: opts } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    sizes: { type: 'string', default: '5000,20000,50000' },
    runs: { type: 'string', default: '3' },
    'page-size': { type: 'string' },
  },
});

const TODAY = '2024-05-15';
const uuid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ms = (t: number) => `${(t / 1000).toFixed(2)} s`;

/** Unique per person: a birth date from 1960 on, then a serial. */
function cprOf(p: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + (p % 10_000) * 86_400_000);
  const dd = String(birth.getUTCDate()).padStart(2, '0');
  const mm = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const yy = String(birth.getUTCFullYear() % 100).padStart(2, '0');
  return `${dd}${mm}${yy}${1000 + Math.floor(p / 10_000)}`;
}

/**
 * The municipality as MO writes: ~40 employments per unit in a bushy tree, ~1.15 per person, an e-mail, a
 * mobile and a phone per person, a DAR address per unit, ~1.1 managers per unit. 30 % of the employments
 * moved unit in 2020 (two slices), 5 % start in the future, 5 % ended.
 */
function municipality(employments: number): { ops: MoOperation[]; options: Omit<Plan2LearnOptions, 'variant'> } {
  // The generator's seeded PRNG: every run measures the same organisation.
  const random = randomFor(employments, 'bench-plan2learn-mo');
  const rnd = () => random.next();
  const pick = <T>(list: readonly T[]): T => random.pick(list);
  const classes: MoOperation[] = [];
  const cls = (n: number, facet: string, name: string, scope: string | null = null) => {
    classes.push({ kind: 'class', action: 'create', input: { uuid: uuid(0xcccccccc, n), facetUuid: facetUuid(facet), userKey: `k${n}`, name, scope } });
    return uuid(0xcccccccc, n);
  };
  const jobFunctions = Array.from({ length: 300 }, (_, i) => cls(1000 + i, 'engagement_job_function', `Stilling ${i}`));
  const [maaned, time, other] = [cls(1, 'engagement_type', 'Månedsløn'), cls(2, 'engagement_type', 'Timeløn'), cls(3, 'engagement_type', 'Ulønnet')];
  const [email, privateEmail, mobile, phone] = [
    cls(10, 'employee_address_type', 'Email', 'EMAIL'),
    cls(11, 'employee_address_type', 'Privat email', 'EMAIL'),
    cls(12, 'employee_address_type', 'Mobil', 'PHONE'),
    cls(13, 'employee_address_type', 'Telefon', 'PHONE'),
  ];
  const dar = cls(14, 'org_unit_address_type', 'Postadresse', 'DAR');
  const levels = [cls(30, 'org_unit_level', 'Niveau 1'), cls(31, 'org_unit_level', 'Afdelings-niveau'), cls(32, 'org_unit_level', 'NY1-niveau')];
  const responsibilities = [cls(40, 'responsibility', 'Personaleledelse'), cls(41, 'responsibility', 'Budgetansvar'), cls(42, 'responsibility', 'Personale: ansættelse/afskedigelse')];
  const [unitType, managerType, managerLevel] = [cls(50, 'org_unit_type', 'Afdeling'), cls(51, 'manager_type', 'Leder'), cls(52, 'manager_level', 'Niveau 1')];
  const [pub, secret] = [classUuid('visibility', 'Public'), classUuid('visibility', 'Secret')];
  const [primary, nonPrimary] = [classUuid('primary_type', 'primary'), classUuid('primary_type', 'non-primary')];

  const units: MoOperation[] = [];
  const unitAddresses: MoOperation[] = [];
  const unitCount = Math.max(2, Math.round(employments / 40));
  for (let u = 0; u < unitCount; u++) {
    const parentUuid = u === 0 ? null : uuid(0xaaaaaaaa, Math.floor(rnd() * u)); // parents are written first
    units.push({ kind: 'orgUnit', action: 'create', input: { uuid: uuid(0xaaaaaaaa, u), name: `Enhed ${u}`, parentUuid, unitTypeUuid: unitType, orgUnitLevelUuid: u === 0 ? levels[0]! : pick(levels), from: '2000-01-01' } });
    unitAddresses.push({ kind: 'address', action: 'create', input: { orgUnitUuid: uuid(0xaaaaaaaa, u), addressTypeUuid: dar, value: uuid(0x0a3f50a0, u), from: '2010-01-01' } });
  }

  const persons: MoOperation[] = [];
  const addresses: MoOperation[] = [];
  const personCount = Math.round(employments / 1.15);
  for (let p = 0; p < personCount; p++) {
    const personUuid = uuid(0xbbbbbbbb, p);
    const cprNumber = p % 50 === 0 ? null : cprOf(p);
    persons.push({ kind: 'person', action: 'create', input: { uuid: personUuid, givenName: `Fornavn${p}`, surname: `Efternavn${p % 997}`, cprNumber } });
    addresses.push(
      { kind: 'address', action: 'create', input: { personUuid, addressTypeUuid: pick([email, privateEmail]), value: `p${p}@andeby.dk`, visibilityUuid: pick([pub, secret, null]), from: '2020-01-01' } },
      { kind: 'address', action: 'create', input: { personUuid, addressTypeUuid: mobile, value: String(20000000 + p), visibilityUuid: pick([pub, secret]), from: '2019-01-01' } },
      { kind: 'address', action: 'create', input: { personUuid, addressTypeUuid: phone, value: String(80000000 + p), from: rnd() < 0.1 ? '2024-07-01' : '2018-01-01' } },
    );
  }

  const engagements: MoOperation[] = [];
  const moves: MoOperation[] = [];
  for (let e = 0; e < employments; e++) {
    const p = e < personCount ? e : Math.floor(rnd() * personCount);
    const r = rnd();
    const [from, to] = r < 0.05 ? ['2024-06-01', null] : r < 0.1 ? ['2015-01-01', '2023-01-01'] : r < 0.4 ? ['2012-08-01', null] : ['2018-03-01', null];
    engagements.push({
      kind: 'engagement',
      action: 'create',
      input: {
        uuid: uuid(0xeeeeeeee, e),
        userKey: `AB-${String(e).padStart(5, '0')}`,
        personUuid: uuid(0xbbbbbbbb, p),
        orgUnitUuid: uuid(0xaaaaaaaa, Math.floor(rnd() * unitCount)),
        jobFunctionUuid: pick(jobFunctions),
        engagementTypeUuid: pick([maaned, maaned, time, other]),
        primaryUuid: e < personCount ? primary : nonPrimary,
        extensions: [`Titel ${e % 500}`, undefined, rnd() < 0.5 ? `Viborg-titel ${e % 300}` : undefined],
        from,
        to,
      },
    });
    if (r >= 0.1 && r < 0.4) moves.push({ kind: 'engagement', action: 'update', input: { uuid: uuid(0xeeeeeeee, e), orgUnitUuid: uuid(0xaaaaaaaa, Math.floor(rnd() * unitCount)), from: '2020-01-01', to: null } });
  }

  const managers: MoOperation[] = [];
  for (let u = 0; u < unitCount; u++) {
    for (let m = rnd() < 0.1 ? 2 : 1; m > 0; m--) {
      const personUuid = rnd() < 0.05 ? null : uuid(0xbbbbbbbb, Math.floor(rnd() * personCount));
      const responsibilityUuids = [...new Set([pick(responsibilities), pick(responsibilities)])];
      managers.push({ kind: 'manager', action: 'create', input: { orgUnitUuid: uuid(0xaaaaaaaa, u), personUuid, managerTypeUuid: managerType, managerLevelUuid: managerLevel, responsibilityUuids, from: '2020-01-01' } });
    }
  }
  return {
    ops: [...classes, ...units, ...unitAddresses, ...persons, ...engagements, ...moves, ...addresses, ...managers],
    options: {
      today: TODAY,
      rootUnitUuid: uuid(0xaaaaaaaa, 0),
      allowedEngagementTypes: [maaned, time],
      phonePriority: [mobile, phone],
      emailPriority: [email],
      tooDeepLevels: ['NY1-niveau'],
    },
  };
}

/** DAWA's /adresser/{id}: a name for every address, some with floor and door. */
async function fakeDar(): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    const n = Number.parseInt((/\/adresser\/[0-9a-f-]*-([0-9a-f]{12})/.exec(req.url ?? '') ?? [])[1] ?? '0', 16);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ betegnelse: `Vej ${n}, ${n % 3 === 0 ? '1. th, ' : ''}${8000 + (n % 900)} By` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** A fresh local MO in a child process (see localMoChild.ts). */
const startService = (darBaseUrl: string) => startBenchMo(opts['database-url'], { darBaseUrl });

interface Timing {
  load: number;
  build: number;
  write: number;
  total: number;
}

async function timeExport(client: MoClient, options: Plan2LearnOptions, outDir: string): Promise<Timing & { rows: string; objects: number }> {
  const pageSize = opts['page-size'] === undefined ? {} : { pageSize: Number(opts['page-size']) };
  const t0 = performance.now();
  const { snapshot, stats } = await loadSnapshotFromMo(client, { today: options.today, variant: options.variant, phonePriority: options.phonePriority, ...pageSize });
  const t1 = performance.now();
  const exported = exportPlan2Learn(snapshot, options);
  const t2 = performance.now();
  await writeExport(outDir, exported, new Date().toISOString());
  const t3 = performance.now();
  const objects = Object.values(stats.objects).reduce((a, b) => a + b, 0);
  return { load: t1 - t0, build: t2 - t1, write: t3 - t2, total: t3 - t0, rows: exported.files.map((f) => f.rows).join('/'), objects };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const sizes = opts.sizes!.split(',').map(Number);
  const runs = Number(opts.runs);
  const dar = await fakeDar();
  const outDir = mkdtempSync(join(tmpdir(), 'moflow-bench-p2l-out-'));
  const rows: string[] = [];
  console.log(`Plan2Learn export from the local MO (${opts['database-url'] ? 'PostgreSQL server' : 'embedded PostgreSQL'}); median of ${runs} runs after a warm-up`);
  try {
    for (const size of sizes) {
      const service = await startService(dar.url);
      try {
        const client = createMoClient({ baseUrl: service.url, auth: null, timeoutMs: 300_000 });
        const { ops, options } = municipality(size);
        let t = performance.now();
        await client.write(ops, { batchSize: 1000, bulk: true });
        console.log(`${size.toLocaleString('en')} employments: wrote ${ops.length.toLocaleString('en')} objects through the client in ${ms(performance.now() - t)}`);
        await service.settle();
        for (const variant of ['Viborg', 'RSD'] as Plan2LearnVariant[]) {
          t = performance.now();
          const cold = await timeExport(client, { ...options, variant }, outDir); // warm-up: DAR names, JIT
          const timings: Timing[] = [];
          let last = cold;
          for (let i = 0; i < runs; i++) timings.push((last = await timeExport(client, { ...options, variant }, outDir)));
          const m = (k: keyof Timing) => median(timings.map((x) => x[k]));
          rows.push(
            [
              size.toLocaleString('en').padStart(11),
              variant.padEnd(7),
              last.objects.toLocaleString('en').padStart(8),
              ms(m('load')).padStart(7),
              ms(m('build')).padStart(7),
              ms(m('write')).padStart(7),
              ms(m('total')).padStart(7),
              ((m('total') * 1000) / size).toFixed(0).padStart(6),
              ms(cold.total).padStart(7),
              last.rows.padStart(26),
            ].join('  '),
          );
          console.log(`  ${variant}: ${ms(m('total'))} (load ${ms(m('load'))}, build ${ms(m('build'))}, write ${ms(m('write'))}); first run ${ms(cold.total)}`);
        }
      } finally {
        await service.stop();
      }
    }
  } finally {
    dar.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  console.log('\nemployments  variant  objects     load    build    write    total  µs/emp    first  rows (bruger/org/eng/stk/leder)');
  for (const row of rows) console.log(row);
}

await main();
