// npm run bench:plan2learn:pure — times the pure Plan2Learn export (snapshot in memory → five CSV buffers) on
// synthetic organisations of 5,000 / 20,000 / 50,000 engagements. Target: < 5 s at 20,000, linear growth.
// Prints figures; asserts nothing. BENCH_SIZES=5000,20000 and BENCH_RUNS=3 override the defaults.
import { performance } from 'node:perf_hooks';
import { randomFor } from '../src/opus/generate/prng.js';
import { exportPlan2Learn } from '../src/plan2learn/export.js';
import type { Plan2LearnOptions, Plan2LearnVariant } from '../src/plan2learn/options.js';
import type {
  AddressSlice,
  EngagementSlice,
  ManagerSlice,
  MoClassRecord,
  MoSnapshot,
  OrgUnitSlice,
  PersonSlice,
  Versioned,
} from '../src/plan2learn/snapshot.js';

const TODAY = '2024-05-15';
const sizes = (process.env.BENCH_SIZES ?? '5000,20000,50000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const uuid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** An organisation with `engagements` engagements: ~40 per unit, ~1.15 per person, 3 addresses per person. */
function syntheticSnapshot(engagements: number): { snapshot: MoSnapshot; options: Omit<Plan2LearnOptions, 'variant'> } {
  // The generator's seeded PRNG: every run measures the same organisation.
  const random = randomFor(engagements, 'bench-plan2learn');
  const rnd = () => random.next();
  const pick = <T>(list: readonly T[]): T => random.pick(list);
  const facet = (n: number) => uuid(0x11111111, n);
  const classes: MoClassRecord[] = [];
  const cls = (n: number, name: string, facetUuid: string, scope: string | null = null) => {
    classes.push({ uuid: uuid(0xcccccccc, n), name, scope, facetUuid });
    return uuid(0xcccccccc, n);
  };
  const jobFunctions = Array.from({ length: 300 }, (_, i) => cls(1000 + i, `Stilling ${i}`, facet(1)));
  const [maaned, time, other] = [cls(1, 'Månedsløn', facet(2)), cls(2, 'Timeløn', facet(2)), cls(3, 'Ulønnet', facet(2))];
  const [email, privateEmail, mobile, phone, dar] = [
    cls(10, 'Email', facet(3), 'EMAIL'),
    cls(11, 'Privat email', facet(3), 'EMAIL'),
    cls(12, 'Mobil', facet(3), 'PHONE'),
    cls(13, 'Telefon', facet(3), 'PHONE'),
    cls(14, 'Postadresse', facet(4), 'DAR'),
  ];
  const [pub, secret] = [cls(20, 'Offentlig', facet(5), 'PUBLIC'), cls(21, 'Hemmelig', facet(5), 'SECRET')];
  const levels = [cls(30, 'Niveau 1', facet(6)), cls(31, 'Afdelings-niveau', facet(6)), cls(32, 'NY1-niveau', facet(6))];
  const responsibilities = [cls(40, 'Personaleledelse', facet(7)), cls(41, 'Budgetansvar', facet(7)), cls(42, 'Personale: ansættelse/afskedigelse', facet(7))];

  // Units: a root, then each new unit under a random earlier one (a bushy tree a few levels deep).
  const unitCount = Math.max(2, Math.round(engagements / 40));
  const orgUnits: Versioned<OrgUnitSlice>[] = [];
  const addresses: Versioned<AddressSlice>[] = [];
  const managers: Versioned<ManagerSlice>[] = [];
  let addressNo = 0;
  for (let u = 0; u < unitCount; u++) {
    const parentUuid = u === 0 ? null : uuid(0xaaaaaaaa, Math.floor(rnd() * u));
    orgUnits.push({
      uuid: uuid(0xaaaaaaaa, u),
      validities: [{ from: '2000-01-01', to: null, name: `Enhed ${u}`, parentUuid, orgUnitLevelUuid: u === 0 ? levels[0]! : pick(levels) }],
    });
    addresses.push({
      uuid: uuid(0xdddddddd, addressNo++),
      validities: [{ from: '2010-01-01', to: null, value: uuid(0xdada, u), name: `Vej ${u}, ${u % 3 === 0 ? '1. th, ' : ''}${8000 + (u % 900)} By`, addressTypeUuid: dar, visibilityUuid: null, personUuid: null, orgUnitUuid: uuid(0xaaaaaaaa, u) }],
    });
  }

  const personCount = Math.round(engagements / 1.15);
  const persons: Versioned<PersonSlice>[] = [];
  for (let p = 0; p < personCount; p++) {
    const personUuid = uuid(0xbbbbbbbb, p);
    persons.push({ uuid: personUuid, validities: [{ from: null, to: null, givenName: `Fornavn${p}`, surname: `Efternavn${p % 997}`, cprNumber: p % 50 === 0 ? null : String(1000000000 + p) }] });
    const person = { personUuid, orgUnitUuid: null };
    addresses.push(
      { uuid: uuid(0xdddddddd, addressNo++), validities: [{ from: '2020-01-01', to: null, value: `p${p}@andeby.dk`, addressTypeUuid: pick([email, privateEmail]), visibilityUuid: pick([pub, secret, null]), ...person }] },
      { uuid: uuid(0xdddddddd, addressNo++), validities: [{ from: '2019-01-01', to: null, value: String(20000000 + p), addressTypeUuid: mobile, visibilityUuid: pick([pub, secret]), ...person }] },
      { uuid: uuid(0xdddddddd, addressNo++), validities: [{ from: rnd() < 0.1 ? '2024-07-01' : '2018-01-01', to: null, value: String(80000000 + p), addressTypeUuid: phone, visibilityUuid: null, ...person }] },
    );
  }

  // Engagements: one per person, the rest as second engagements; some with history, some future, some ended.
  const engagementList: Versioned<EngagementSlice>[] = [];
  for (let e = 0; e < engagements; e++) {
    const p = e < personCount ? e : Math.floor(rnd() * personCount);
    const base = {
      userKey: `AB-${String(e).padStart(5, '0')}`,
      personUuid: uuid(0xbbbbbbbb, p),
      jobFunctionUuid: rnd() < 0.02 ? null : pick(jobFunctions),
      engagementTypeUuid: pick([maaned, maaned, time, other]),
      isPrimary: e < personCount,
      extensions: [`Titel ${e % 500}`, null, rnd() < 0.5 ? `Viborg-titel ${e % 300}` : null],
    };
    const unitA = uuid(0xaaaaaaaa, Math.floor(rnd() * unitCount));
    const unitB = uuid(0xaaaaaaaa, Math.floor(rnd() * unitCount));
    const r = rnd();
    const validities: EngagementSlice[] =
      r < 0.05
        ? [{ ...base, from: '2024-06-01', to: null, orgUnitUuid: unitA }] // future
        : r < 0.1
          ? [{ ...base, from: '2015-01-01', to: '2023-01-01', orgUnitUuid: unitA }] // ended
          : r < 0.4
            ? [
                { ...base, from: '2012-08-01', to: '2020-01-01', orgUnitUuid: unitA },
                { ...base, from: '2020-01-01', to: null, orgUnitUuid: unitB },
              ]
            : [{ ...base, from: '2018-03-01', to: null, orgUnitUuid: unitA }];
    engagementList.push({ uuid: uuid(0xeeeeeeee, e), validities });
  }

  for (let u = 0; u < unitCount; u++) {
    const count = rnd() < 0.1 ? 2 : 1;
    for (let m = 0; m < count; m++) {
      managers.push({
        uuid: uuid(0xffffffff, managers.length),
        validities: [{ from: '2020-01-01', to: null, personUuid: rnd() < 0.05 ? null : uuid(0xbbbbbbbb, Math.floor(rnd() * personCount)), orgUnitUuid: uuid(0xaaaaaaaa, u), responsibilityUuids: [pick(responsibilities), pick(responsibilities)].filter((x, i, a) => a.indexOf(x) === i) }],
      });
    }
  }

  const facets = [
    'engagement_job_function',
    'engagement_type',
    'employee_address_type',
    'org_unit_address_type',
    'visibility',
    'org_unit_level',
    'responsibility',
  ].map((userKey, i) => ({ uuid: facet(i + 1), userKey }));
  return {
    snapshot: { facets, classes, orgUnits, persons, engagements: engagementList, addresses, managers },
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

console.log(`Plan2Learn export, pure (snapshot in memory → five CSV buffers); median of ${RUNS} runs after a warm-up`);
console.log('engagements  variant  seconds  µs/engagement  rows (bruger/org/eng/stk/leder)  CSV bytes  heap MB');
for (const size of sizes) {
  const { snapshot, options } = syntheticSnapshot(size);
  for (const variant of ['Viborg', 'RSD'] as Plan2LearnVariant[]) {
    exportPlan2Learn(snapshot, { ...options, variant }); // warm-up: JIT and the time zone formatter
    const times: number[] = [];
    let result = exportPlan2Learn(snapshot, { ...options, variant });
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      result = exportPlan2Learn(snapshot, { ...options, variant });
      times.push((performance.now() - start) / 1000);
    }
    const seconds = median(times);
    const bytes = result.files.reduce((sum, f) => sum + f.content.length, 0);
    console.log(
      [
        String(size).padStart(11),
        variant.padEnd(7),
        seconds.toFixed(3).padStart(7),
        ((seconds * 1e6) / size).toFixed(1).padStart(13),
        result.files.map((f) => f.rows).join('/').padStart(31),
        String(bytes).padStart(10),
        (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0).padStart(7),
      ].join('  '),
    );
  }
}
