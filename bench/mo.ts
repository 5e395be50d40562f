// npm run bench:mo — the local MO under an import-sized load, over HTTP like a client: 2,000 units,
// 100,000 people, 100,000 engagements and 100,000 e-mail addresses written in batches (aliased mutations
// per request, or bulk mutators), then everything read back paged. Prints throughput and the time per
// 10,000 objects (it should stay flat). The service runs in a child process, as it would in production.
//
//   npm run bench:mo                                   embedded PostgreSQL in a fresh temporary folder
//   npm run bench:mo -- --database-url postgres://…    a fresh database on that server (dropped after)
//   npm run bench:mo -- --people 20000                 a smaller run
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startBenchMo } from './localMoChild.js';

const { values: opts } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    people: { type: 'string', default: '100000' },
    units: { type: 'string', default: '2000' },
  },
});

async function main(): Promise<void> {
  const t0 = performance.now();
  const mo = await startBenchMo(opts['database-url']);
  console.log(`local MO at ${mo.graphqlUrl} on ${mo.location}: started in ${ms(performance.now() - t0)}`);
  try {
    await run(mo.graphqlUrl, Number(opts.units), Number(opts.people));
  } finally {
    await mo.stop();
  }
}

const ms = (t: number) => `${t.toFixed(0)} ms`;

async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors[0]!.message}`);
  return body.data!;
}

/** n aliased mutations of one kind in one document, inputs as variables (the same text for every batch). */
function aliased(mutation: string, inputType: string, n: number): string {
  const vars = Array.from({ length: n }, (_, i) => `$i${i}: ${inputType}!`).join(', ');
  const fields = Array.from({ length: n }, (_, i) => `m${i}: ${mutation}(input: $i${i}) { uuid }`).join('\n');
  return `mutation Batch(${vars}) {\n${fields}\n}`;
}

/** Runs batches, printing the time of each 10,000 objects and the rate. */
async function phase(label: string, total: number, batch: number, send: (from: number, to: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let mark = started;
  for (let i = 0; i < total; i += batch) {
    const end = Math.min(total, i + batch);
    await send(i, end);
    if (Math.floor(end / 10_000) > Math.floor(i / 10_000) || end === total) {
      const now = performance.now();
      if (end % 10_000 === 0) console.log(`  ${label} ${end.toLocaleString('en')}: ${ms(now - mark)} for the last 10,000`);
      mark = now;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${total.toLocaleString('en')} in ${seconds.toFixed(1)} s = ${Math.round(total / seconds).toLocaleString('en')} /s`);
  return seconds;
}

function cprOf(i: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + (i % 10_000) * 86_400_000);
  const dd = String(birth.getUTCDate()).padStart(2, '0');
  const mm = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const yy = String(birth.getUTCFullYear() % 100).padStart(2, '0');
  return `${dd}${mm}${yy}${1000 + Math.floor(i / 10_000)}`;
}

async function run(url: string, unitCount: number, people: number): Promise<void> {
  const classes = (await gql(url, `{ classes(filter: {facet: {user_keys: ["employee_address_type", "primary_type"]}}) { objects { uuid current { user_key } } } }`)) as {
    classes: { objects: { uuid: string; current: { user_key: string } }[] };
  };
  const cls = (key: string) => classes.classes.objects.find((c) => c.current.user_key === key)!.uuid;
  const [email, primary, anyClass] = [cls('EmailEmployee'), cls('primary'), randomUUID()];
  const units = Array.from({ length: unitCount }, () => randomUUID());
  const persons = Array.from({ length: people }, () => randomUUID());
  const validity = { from: '2020-01-01' };
  let written = 0;
  let writeSeconds = 0;

  const unitDoc = aliased('org_unit_create', 'OrganisationUnitCreateInput', 100);
  writeSeconds += await phase('org units', unitCount, 100, async (from, to) => {
    const vars: Record<string, unknown> = {};
    for (let i = from; i < to; i++) {
      // 20 top-level units, the rest below them (created after their parents).
      vars[`i${i - from}`] = { uuid: units[i], user_key: String(1000 + i), name: `Enhed ${i}`, parent: i < 20 ? null : units[i % 20], org_unit_type: anyClass, validity };
    }
    await gql(url, to - from === 100 ? unitDoc : aliased('org_unit_create', 'OrganisationUnitCreateInput', to - from), vars);
  });
  written += unitCount;

  const personDoc = aliased('employee_create', 'EmployeeCreateInput', 250);
  writeSeconds += await phase('people', people, 250, async (from, to) => {
    const vars: Record<string, unknown> = {};
    for (let i = from; i < to; i++) vars[`i${i - from}`] = { uuid: persons[i], given_name: `Navn${i}`, surname: `Efternavn${i % 997}`, cpr_number: cprOf(i), user_key: `P${i}` };
    await gql(url, to - from === 250 ? personDoc : aliased('employee_create', 'EmployeeCreateInput', to - from), vars);
  });
  written += people;

  const engagementDoc = `mutation($input: [EngagementCreateInput!]!) { engagements_create(input: $input) { uuid } }`;
  writeSeconds += await phase('engagements', people, 500, async (from, to) => {
    const input = [];
    for (let i = from; i < to; i++) {
      input.push({ person: persons[i], org_unit: units[i % unitCount], job_function: anyClass, engagement_type: anyClass, primary, user_key: `E${i}`, fraction: 1000, validity });
    }
    await gql(url, engagementDoc, { input });
  });
  written += people;

  const addressDoc = `mutation($input: [AddressCreateInput!]!) { addresses_create(input: $input) { uuid } }`;
  writeSeconds += await phase('addresses', people, 500, async (from, to) => {
    const input = [];
    for (let i = from; i < to; i++) input.push({ person: persons[i], address_type: email, value: `person${i}@andeby.dk`, validity });
    await gql(url, addressDoc, { input });
  });
  written += people;
  console.log(`WRITE: ${written.toLocaleString('en')} objects in ${writeSeconds.toFixed(1)} s = ${Math.round(written / writeSeconds).toLocaleString('en')} objects/s`);

  const reads: [string, string, number][] = [
    ['org_units', 'uuid validities { uuid user_key name parent_uuid unit_type_uuid org_unit_level_uuid validity { from to } }', unitCount],
    ['persons', 'uuid validities { uuid user_key given_name surname cpr_number validity { from to } }', people],
    ['engagements', 'uuid validities { uuid user_key person_response { uuid } org_unit_uuid job_function_uuid engagement_type_uuid primary_uuid is_primary fraction validity { from to } }', people],
    ['addresses', 'uuid validities { uuid user_key value name address_type_uuid visibility_uuid person_response { uuid } org_unit_uuid engagement_uuid validity { from to } }', people],
  ];
  let read = 0;
  let readSeconds = 0;
  for (const [collection, fields, expected] of reads) {
    const doc = `query($cursor: Cursor) { ${collection}(limit: 1000, cursor: $cursor) { objects { ${fields} } page_info { next_cursor } } }`;
    let cursor: string | null = null;
    let count = 0;
    readSeconds += await phase(`read ${collection}`, expected, 1000, async () => {
      const data = (await gql(url, doc, { cursor })) as Record<string, { objects: unknown[]; page_info: { next_cursor: string | null } }>;
      const page = data[collection]!;
      count += page.objects.length;
      cursor = page.page_info.next_cursor;
    });
    if (count !== expected || cursor !== null) throw new Error(`read ${count} ${collection}, expected ${expected}`);
    read += count;
  }
  console.log(`READ: ${read.toLocaleString('en')} objects in ${readSeconds.toFixed(1)} s = ${Math.round(read / readSeconds).toLocaleString('en')} objects/s`);
}

await main();
