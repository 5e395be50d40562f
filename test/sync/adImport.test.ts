// Generated dumps imported with Active Directory on a real slapd (AD's attribute names, binary objectGUIDs)
// and a CPR mapping file: every AD-known new person gets their objectGUID as uuid (the mapping first), the
// "Active Directory" IT user follows sAMAccountName, several accounts without a pick are reported, and each
// run reads AD with one paged search — counted by the reader and by slapd itself — not one query per person.
import assert from 'node:assert/strict';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adSearchesStarted, type AdReaderOptions } from '../../src/ad/reader.js';
import { formatCprMap } from '../../src/cprmap/format.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { readWholeDump } from '../../src/opus/reader.js';
import { AD_IT_SYSTEM } from '../../src/sync/mapping/itSystems.js';
import { ouLdif, startAdSlapd, testGuid, usersLdif, type FakeAdUser } from '../ad/fixtures.js';
import { useImportEnv } from '../support/importEnv.js';
import { moKinds, moSkip } from '../support/moTargets.js';
import { slapdSkip, type SlapdServer } from '../support/slapd.js';

const MAPPED = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'];
const account = (sam: string, guid: string, cpr: string, type?: string): FakeAdUser => ({ sam, guid, attrs: { extensionAttribute1: cpr, ...(type ? { extensionAttribute2: type } : {}) } });

for (const kind of moKinds()) {
  describe(`importing OPUS with Active Directory and a CPR mapping (${kind})`, { skip: (await moSkip(kind)) || slapdSkip() }, () => {
    const env = useImportEnv(kind);
    let server: SlapdServer;
    let names: string[] = [];
    let cprs: string[] = [];
    let newCprs: string[] = [];
    /** The account each CPR should get, as AD's discriminator picks it. */
    const expected = new Map<string, { sam: string; guid: string }>();
    let ad: () => AdReaderOptions;
    let mapPath = '';

    const importableCprs = async (name: string) => {
      const dump = await readWholeDump(createReadStream(join(env.dir, name)), { file: name });
      return [...new Set(dump.employments.filter((e) => e.entryDate !== null).map((e) => e.cpr))].sort();
    };

    before(async () => {
      server = await startAdSlapd({ logOperations: true });
      const { files } = await generateDumps({ outDir: env.dir, units: 15, employees: 120, days: 1, seed: 11 });
      names = files.map((f) => f.name);
      cprs = await importableCprs(names[0]!);
      newCprs = (await importableCprs(names[1]!)).filter((c) => !cprs.includes(c));
      const users: FakeAdUser[] = [];
      cprs.forEach((cpr, i) => {
        if (i % 3 === 0) return; // a third has no AD account
        if (i === 1) {
          // Two accounts the discriminator cannot tell apart: reported, no AD account used.
          users.push(account('dup1a', testGuid(5001), cpr, 'Ekstern'), account('dup1b', testGuid(5002), cpr, 'Ekstern'));
          return;
        }
        if (i === 2) users.push(account('ext2', testGuid(5003), cpr, 'Ekstern')); // excluded; the next one is picked
        users.push(account(`ad${i}`, testGuid(1000 + i), cpr));
        expected.set(cpr, { sam: `ad${i}`, guid: testGuid(1000 + i) });
      });
      await server.add([ouLdif(server.suffix), usersLdif(server.suffix, users)].join('\n'));
      ad = () => ({
        url: server.url,
        bindDn: server.readerDn,
        password: server.readerPassword,
        searchBase: `ou=Brugere,${server.suffix}`,
        cprField: 'extensionAttribute1',
        discriminator: { field: 'extensionAttribute2', values: ['Ekstern'], function: 'exclude' },
        pageSize: 25,
        retry: { retries: 0 },
      });
      // The mapping wins over AD (cprs[4] has an account) and gives a uuid to someone without one (cprs[3]).
      mapPath = join(env.dir, 'cpr_uuid_map.csv');
      writeFileSync(mapPath, formatCprMap([4, 3].map((i, k) => ({ cpr: cprs[i]!, moUuid: MAPPED[k]!, adGuid: '', samAccountName: '' }))), 'latin1');
    });

    after(() => server?.dispose());

    const personsByCpr = async () => new Map((await env.client.persons.read({}, 'all')).map((p) => [p.validities[0]!.cprNumber!, p.uuid]));
    const adAccounts = async () => {
      const [system] = (await env.client.itSystems.read({})).filter((s) => s.userKey === AD_IT_SYSTEM);
      if (!system) return new Map<string, string[]>();
      const out = new Map<string, string[]>();
      for (const u of await env.client.itUsers.read({ itSystemUuids: [system.uuid] }, 'all')) {
        out.set(u.validities[0]!.personUuid!, u.validities.map((v) => `${v.from}..${v.to ?? ''} ${v.userKey}`));
      }
      return out;
    };
    /** People the plan compared with MO: those it writes to, and those it found right. */
    const peoplePlanned = (plan: { ops: { subject: { kind: string; opusId: string | null } }[]; unchanged: Record<string, number> }) =>
      new Set(plan.ops.filter((o) => o.subject.kind === 'person').map((o) => o.subject.opusId)).size + (plan.unchanged.person ?? 0);
    /** Runs an import and counts the LDAP searches it made: by the reader, and as slapd received them. */
    const counted = async (run: () => Promise<unknown>) => {
      const [client, server0] = [adSearchesStarted(), server.searchesUnder(`ou=Brugere,${server.suffix}`)];
      await run();
      await new Promise((resolve) => setTimeout(resolve, 200)); // slapd writes its log line after answering
      return { searches: adSearchesStarted() - client, pagesAtServer: server.searchesUnder(`ou=Brugere,${server.suffix}`) - server0 };
    };

    it('the first import gives AD-known new people their objectGUID (the mapping first) and their AD user name', async () => {
      let issues: string[] = [];
      const ldap = await counted(async () => {
        const { report, plan } = await env.run(names[0]!, null, { ad: ad(), cprMapPath: mapPath });
        assert.deepEqual(report.failures, []);
        issues = plan.issues.map((i) => i.message);
      });
      const uuids = await personsByCpr();
      const accounts = await adAccounts();
      let known = 0;
      for (const cpr of cprs) {
        const uuid = uuids.get(cpr);
        if (uuid === undefined) continue; // not importable after all
        const i = cprs.indexOf(cpr);
        const want = expected.get(cpr);
        if (i === 4 || i === 3) assert.equal(uuid, MAPPED[i === 4 ? 0 : 1], `person ${i}: the mapping's uuid`);
        else if (want) assert.equal(uuid, want.guid, `person ${i}: the objectGUID`);
        else assert.ok(!uuid.endsWith('-a1b2-4c3d-9e8f-0a1b2c3d4e5f'), `person ${i} has no AD account (or two) and a random uuid`);
        assert.deepEqual(accounts.get(uuid) ?? [], want ? [`2024-01-01.. ${want.sam}`] : [], `person ${i}: AD IT user`);
        if (want) known++;
      }
      assert.ok(known > 50, `${known} AD-known people checked`);
      assert.ok(issues.some((m) => /2 AD accounts carry the CPR and integrations\.ad's discriminator picks none/.test(m)), JSON.stringify(issues.slice(0, 5)));
      assert.ok(issues.every((m) => !cprs.some((c) => m.includes(c))), 'no CPR number in the issues');
      console.log(`LDAP on the first run: ${ldap.searches} search by the reader, ${ldap.pagesAtServer} page requests at slapd`);
      assert.equal(ldap.searches, 1, 'one paged search for the whole run');
    });

    it('the next night also reads AD once, with one paged search, however many people it plans', async () => {
      const users = newCprs.map((cpr, i) => account(`new${i}`, testGuid(3000 + i), cpr));
      await server.add(usersLdif(server.suffix, users));
      let planned = 0;
      const ldap = await counted(async () => {
        const { report, plan } = await env.run(names[1]!, names[0]!, { ad: ad(), cprMapPath: mapPath });
        assert.deepEqual(report.failures, []);
        planned = peoplePlanned(plan);
      });
      const uuids = await personsByCpr();
      const hired = newCprs.filter((c) => uuids.has(c));
      assert.ok(hired.length > 0, 'the second dump hires people');
      for (const cpr of hired) assert.equal(uuids.get(cpr), testGuid(3000 + newCprs.indexOf(cpr)), 'a new hire gets the objectGUID');
      // slapd sees one search request per page of the one paged search (25 entries a page).
      const entries = expected.size + 3 + users.length;
      console.log(`LDAP on the second run: ${ldap.searches} search by the reader, ${ldap.pagesAtServer} page requests at slapd for ${entries} accounts; ${planned} people planned`);
      assert.equal(ldap.searches, 1);
      assert.equal(ldap.pagesAtServer, Math.ceil(entries / 25) + (entries % 25 === 0 ? 1 : 0));
      assert.ok(planned > 0);
    });

    it('a renamed account renames the AD IT user, a deleted one ends it, from the dump date; then nothing is left to write', async () => {
      const inBoth = (await importableCprs(names[1]!)).filter((c) => expected.has(c) && c !== cprs[4]);
      const [renamed, removed] = [inBoth[0]!, inBoth[1]!];
      await server.modify(
        [
          `dn: cn=${expected.get(renamed)!.sam},ou=Brugere,${server.suffix}`,
          'changetype: modify',
          'replace: sAMAccountName',
          'sAMAccountName: omdoebt',
          '',
          `dn: cn=${expected.get(removed)!.sam},ou=Brugere,${server.suffix}`,
          'changetype: delete',
        ].join('\n'),
      );
      let planned = 0;
      const ldap = await counted(async () => {
        const { report, plan } = await env.run(names[1]!, names[0]!, { ad: ad(), cprMapPath: mapPath, full: true });
        assert.deepEqual(report.failures, []);
        planned = peoplePlanned(plan);
      });
      console.log(`LDAP on a full run: ${ldap.searches} search by the reader, ${ldap.pagesAtServer} page requests at slapd; ${planned} people planned`);
      assert.equal(ldap.searches, 1);
      assert.ok(planned > 100 && ldap.pagesAtServer <= 5, `${planned} people planned with ${ldap.pagesAtServer} LDAP requests`);
      const accounts = await adAccounts();
      const day = `${names[1]!.slice(4, 8)}-${names[1]!.slice(8, 10)}-${names[1]!.slice(10, 12)}`;
      assert.deepEqual(accounts.get(expected.get(renamed)!.guid), [`2024-01-01..${day} ${expected.get(renamed)!.sam}`, `${day}.. omdoebt`]);
      assert.deepEqual(accounts.get(expected.get(removed)!.guid), [`2024-01-01..${day} ${expected.get(removed)!.sam}`]);
      const uuids = await personsByCpr();
      assert.equal(uuids.get(removed), expected.get(removed)!.guid, 'an existing person keeps their uuid');
      const { plan } = await env.plan(names[1]!, names[0]!, { ad: ad(), cprMapPath: mapPath, full: true });
      assert.deepEqual(plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}: ${o.reason}`).slice(0, 5), []);
    });

    it('a configured mapping file that is missing stops the import before anything is written', async () => {
      await assert.rejects(env.plan(names[1]!, names[0]!, { ad: ad(), cprMapPath: join(env.dir, 'nope.csv'), full: true }), /cannot read the CPR mapping .*nope\.csv \(ENOENT\)/);
    });
  });
}
