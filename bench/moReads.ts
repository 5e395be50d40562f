// npm run bench:mo:reads — what each of a nightly delta's reads costs on the real OS2MO 66.1.2: a generated
// municipality is imported first, then the reads one plan of the next night's dump makes are timed one kind at a
// time, alone (no other request in flight), so the figures say which read a delta's time goes to.
//
//   npm run bench:mo:reads                                 2,000 employments in 1,000 units, 1 uvicorn worker
//   npm run bench:mo:reads -- --employees 20000 --workers 2
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { opusImportDefaults } from '../src/config/opus.js';
import { createMoClient } from '../src/mo/index.js';
import { generateDumps } from '../src/opus/generate/index.js';
import { LocalFolderSource } from '../src/sources/local.js';
import { importDump, importSettings, prepareDump } from '../src/sync/importDump.js';
import { startOs2mo } from '../test/support/os2mo/index.js';
import { employmentIdsOf } from '../src/sync/prepare.js';

const { values: opts } = parseArgs({
  options: {
    employees: { type: 'string', default: '2000' },
    units: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1' },
    repeat: { type: 'string', default: '2' },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'moflow-bench-reads-'));
const mo = await startOs2mo({ workers: Number(opts.workers) });
try {
  const { files } = await generateDumps({ outDir: dir, units: Number(opts.units), employees: Number(opts.employees), days: 2, seed: 2026 });
  const source = new LocalFolderSource(dir);
  const client = createMoClient({ ...mo.clientOptions(), timeoutMs: 600_000 });
  const settings = importSettings(opusImportDefaults('Andeby Kommune'));
  let t = performance.now();
  const first = await importDump(client, source, { name: files[0]!.name, previous: null }, { ...settings, approveMassChange: true });
  console.log(`first import of ${files[0]!.employments} employments: ${first.plan.ops.length} writes in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // The keys the next night's plan reads, as planDump asks for them.
  const { input } = await prepareDump(source, { name: files[1]!.name, previous: files[0]!.name }, settings);
  const cprs = input.persons.map((p) => p.cpr);
  const ids = employmentIdsOf(input);
  const people = await client.persons.byCprs(cprs, 'all');
  const personUuids = people.map((p) => p.uuid);
  const unitUuids = input.units.units.slice(0, 100).map((u) => u.uuid);
  console.log(`the next night's plan reads ${cprs.length} people (${people.length} in MO) and ${ids.length} employments`);

  const reads: [string, () => Promise<unknown[]>][] = [
    ['every unit', () => client.orgUnits.read({}, 'all')],
    ['people by CPR', () => client.persons.byCprs(cprs, 'all')],
    ['engagements by user key', () => client.engagements.read({ userKeys: ids }, 'all')],
    ['manager roles by user key', () => client.managers.read({ userKeys: ids }, 'all')],
    ['rolebindings by user key', () => client.roleBindings.read({ userKeys: ids }, 'all')],
    ['engagements by person', () => client.engagements.read({ personUuids }, 'all')],
    ['addresses by person', () => client.addresses.read({ personUuids }, 'all')],
    ['IT users by person', () => client.itUsers.read({ personUuids }, 'all')],
    ['addresses of 100 units', () => client.addresses.read({ orgUnitUuids: unitUuids }, 'all')],
  ];
  // The same engagements, asked for with fewer fields: which of OS2MO's resolvers cost (is_primary looks its
  // class up per slice; person_response resolves the person).
  const auth = mo.clientOptions().auth!;
  const tokenAnswer = await fetch(auth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret }),
  });
  const token = ((await tokenAnswer.json()) as { access_token: string }).access_token;
  const raw = (fields: string) => async () => {
    const query = `query Q($uuids: [UUID!]) { engagements(filter: { employee: { uuids: $uuids }, from_date: null, to_date: null }) { objects { uuid validities(start: null, end: null) { ${fields} } } } }`;
    const answer = await fetch(mo.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables: { uuids: personUuids } }) });
    const body = (await answer.json()) as { data?: { engagements: { objects: unknown[] } }; errors?: unknown };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data.engagements.objects;
  };
  const base = 'uuid user_key org_unit_uuid job_function_uuid engagement_type_uuid primary_uuid fraction validity { from to }';
  reads.push(
    ['engagements, all fields', raw(`${base} person_response { uuid } is_primary`)],
    ['  without is_primary', raw(`${base} person_response { uuid }`)],
    ['  employee_uuid instead', raw(`${base} employee_uuid`)],
  );
  console.log(`${'read'.padEnd(28)}${'objects'.padStart(8)}${'ms'.padStart(9)}${'ms/object'.padStart(11)}`);
  for (const [what, read] of reads) {
    for (let i = 0; i < Number(opts.repeat); i++) {
      t = performance.now();
      const found = await read();
      const ms = performance.now() - t;
      console.log(`${what.padEnd(28)}${String(found.length).padStart(8)}${ms.toFixed(0).padStart(9)}${(ms / Math.max(1, found.length)).toFixed(2).padStart(11)}`);
    }
  }
} finally {
  await mo.stop();
  rmSync(dir, { recursive: true, force: true });
}
