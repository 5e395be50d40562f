// DIPEX's import cases (opus-import-spec §9), restated as assertions on MO's state after real imports into
// each MO: the local MO and the real OS2MO 66.1.2 (see test/support/moTargets.ts).
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FIXTURE_1, FIXTURE_2, FIXTURES } from '../support/fixtures.js';
import { DarServer } from '../support/darServer.js';
import { UUIDS, useImportEnv } from '../support/importEnv.js';
import { dumpXml, TREE as SMALL_TREE, type EmployeeSpec } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';

// The cases after the first share its MO, whose units 1–4 the fixtures created from 1900-01-01: the same
// units with the same start, so that these dumps do not also move every unit's start to 1990 (narrowing a
// unit whose old children still lie in the part that goes is unitValidity.test.ts's subject, not these cases').
const TREE = SMALL_TREE.map((u) => ({ ...u, startDate: '1900-01-01' }));
const CPR = '0101901234';
const DAR_ADDRESS = '0a3f50a0-23c9-32b8-e044-0003ba298018';
const base = (over: Partial<EmployeeSpec> = {}): EmployeeSpec => ({ id: '1000', cpr: CPR, orgUnit: '2', entryDate: '2015-01-01', ...over });

for (const kind of moKinds()) {
  describe(`importing OPUS into MO (${kind}): DIPEX cases`, { skip: await moSkip(kind) }, () => {
    // The MO's own DAR: OS2MO looks a DAR address up when it is created and refuses one DAR does not have.
    let darServer: DarServer;
    before(async () => {
      darServer = await DarServer.start();
      darServer.know({ id: DAR_ADDRESS, vejnavn: 'Testvej', husnr: '1', postnr: '8000', postnrnavn: 'Aarhus C' });
    });
    after(() => darServer.stop());
    const env = useImportEnv(kind, { darBaseUrl: () => darServer.url });
    /** An import that every MO must take without a refused write. */
    const run = async (...args: Parameters<typeof env.run>) => {
      const result = await env.run(...args);
      assert.deepEqual(result.report.failures, [], `${args[0]}: no write refused`);
      return result;
    };

    const personUuid = async (cpr = CPR) => (await env.client.persons.byCprs([cpr], 'all'))[0]?.uuid;
    const engagement = async (id: string) => (await env.client.engagements.read({ userKeys: [id] }, 'all'))[0];
    const personAddresses = async (cpr = CPR) => env.client.addresses.read({ personUuids: [(await personUuid(cpr))!] }, 'all');
    const classByUuid = async (uuid: string) => (await env.client.classes.read({ uuids: [uuid] }))[0];

    it('fixtures 0101 → 0102: units created, changed from the dump date, new ones added; employments without entryDate reported', async () => {
      copyFileSync(join(FIXTURES, FIXTURE_1), join(env.dir, FIXTURE_1));
      copyFileSync(join(FIXTURES, FIXTURE_2), join(env.dir, FIXTURE_2));
      const first = await run(FIXTURE_1, null);
      assert.deepEqual(first.report.counts.orgUnit, { created: 3 });
      const skipped = first.plan.issues.filter((i) => /has no entryDate/.test(i.message)).map((i) => i.opusId);
      assert.deepEqual(skipped.sort(), ['1000', '1001', '1002', '1006'], 'every fixture employment lacks entryDate and is reported, not dropped silently');
      assert.ok(first.plan.issues.every((i) => !/0101010000/.test(i.message)), 'no CPR in issues');

      const second = await run(FIXTURE_2, FIXTURE_1);
      const units = new Map((await env.client.orgUnits.read({}, 'all')).map((u) => [u.uuid, u]));
      const unit3 = units.get(UUIDS.unit('3'))!;
      assert.deepEqual(
        unit3.validities.map((v) => [v.from, v.to, v.parentUuid === UUIDS.unit('2') ? 'under 2' : v.parentUuid === UUIDS.unit('1') ? 'under 1' : v.parentUuid]),
        [
          ['1900-01-01', '2020-01-02', 'under 2'],
          ['2020-01-02', null, 'under 1'],
        ],
        'unit 3 moved from the dump date; history kept',
      );
      assert.ok(units.has(UUIDS.unit('4')));
      assert.equal(units.get(UUIDS.unit('5'))!.validities[0]!.from, '2022-03-01', 'a future unit starts at its startDate');
      const se = (await env.client.addresses.read({ orgUnitUuids: [UUIDS.unit('2')] }, 'all')).filter((a) => a.validities[0]!.value.startsWith('345903')); // SE (the CVR also starts 3459)
      assert.equal(se.length, 1);
      assert.deepEqual(se[0]!.validities.map((v) => [v.from, v.to, v.value]), [
        ['2020-01-01', '2020-01-02', '34590365'],
        ['2020-01-02', null, '34590366'],
      ]);
    });

    it('re-importing a dump plans nothing', async () => {
      const { plan } = await env.plan(FIXTURE_2, FIXTURE_1, { full: true });
      assert.deepEqual(plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}`), []);
    });

    it('engagements: created from entryDate; identical → nothing; earlier start moves; later start cuts; leave stub ends at the dump date', async () => {
      const day1 = env.dump('2024-01-01', dumpXml(TREE, [base(), base({ id: '1001', entryDate: '2016-01-01' }), base({ id: '1002' })]));
      await run(day1, null);
      assert.deepEqual((await engagement('1000'))!.validities.map((v) => [v.from, v.to]), [['2015-01-01', null]]);

      const same = await env.plan(day1, null, { full: true });
      assert.equal(same.plan.ops.length, 0, JSON.stringify(same.plan.ops.map((o) => [o.op.kind, o.op.action, o.reason, o.subject.label])));

      const day2 = env.dump('2024-01-02', dumpXml(TREE, [base({ entryDate: '2014-06-01' }), base({ id: '1001', entryDate: '2018-01-01' }), { leave: '1002' }]));
      const { plan } = await run(day2, day1);
      assert.deepEqual(plan.ops.filter((o) => o.subject.opusId === '1000').map((o) => [o.op.action, 'from' in o.op.input ? o.op.input.from : null]), [['update', '2014-06-01']]);
      assert.deepEqual((await engagement('1000'))!.validities.map((v) => [v.from, v.to]), [['2014-06-01', null]]);
      assert.deepEqual((await engagement('1001'))!.validities.map((v) => [v.from, v.to]), [['2018-01-01', null]], 'the period before the later start is gone');
      assert.deepEqual((await engagement('1002'))!.validities.map((v) => [v.from, v.to]), [['2015-01-01', '2024-01-02']], 'ends at the dump date');
    });

    it('engagements: a move, a new job function and a leaveDate are written from the dump date / as the end', async () => {
      const day3 = env.dump('2024-01-03', dumpXml(TREE, [base({ entryDate: '2014-06-01', orgUnit: '3', position: 'Lærer', leaveDate: '2024-06-30' }), base({ id: '1001', entryDate: '2018-01-01' })]));
      await run(day3, '' + 'ZLPE20240102223000_delta.xml');
      const e = (await engagement('1000'))!;
      assert.deepEqual(e.validities.map((v) => [v.from, v.to, v.orgUnitUuid === UUIDS.unit('3')]), [
        ['2014-06-01', '2024-01-03', false],
        ['2024-01-03', '2024-07-01', true],
      ]);
      assert.equal((await classByUuid(e.validities[1]!.jobFunctionUuid))!.name, 'Lærer');
    });

    it('cancelled employments are ended at the dump date, or deleted when configured (DIPEX)', async () => {
      const day4 = env.dump('2024-01-04', dumpXml(TREE, [base({ entryDate: '2014-06-01', orgUnit: '3', position: 'Lærer', leaveDate: '2024-06-30' })]));
      await run(day4, 'ZLPE20240103223000_delta.xml');
      assert.deepEqual((await engagement('1001'))!.validities.map((v) => [v.from, v.to]), [['2018-01-01', '2024-01-04']]);

      const day5 = env.dump('2024-01-05', dumpXml(TREE, [base({ id: '2000', cpr: '0202801234' })]));
      await run(day5, day4, { approveMassChange: true });
      const day6 = env.dump('2024-01-06', dumpXml(TREE, []));
      await run(day6, day5, { cancelledEmployments: 'delete', approveMassChange: true });
      assert.equal(await engagement('2000'), undefined, 'deleted from every temporal view');
    });

    it('addresses: created, unchanged, changed from the dump date, removed and protected ones end', async () => {
      const person = (over: Partial<EmployeeSpec>) => base({ id: '3000', cpr: '0303803030', ...over });
      const d1 = env.dump('2024-02-01', dumpXml(TREE, [person({ email: 'a@andeby.dk', workPhone: '12345' })]));
      await run(d1, null);
      const byType = async () => {
        const out: Record<string, [string | null, string | null, string][]> = {};
        for (const a of await personAddresses('0303803030')) {
          // by title: like DIPEX, the import adopts MO's existing class of that name (EmailEmployee "Email")
          const type = (await classByUuid(a.validities[0]!.addressTypeUuid))!.name;
          out[type] = a.validities.map((v) => [v.from, v.to, v.value]);
        }
        return out;
      };
      assert.deepEqual(await byType(), { Email: [['2024-02-01', null, 'a@andeby.dk']], Telefon: [['2024-02-01', null, '000012345']] }, 'parse_phone: 5 characters get 0000');
      const d2 = env.dump('2024-02-02', dumpXml(TREE, [person({ email: 'a@andeby.dk', workPhone: '12345' })]));
      assert.equal((await env.plan(d2, d1, { full: true })).plan.ops.length, 0);
      const d3 = env.dump('2024-02-03', dumpXml(TREE, [person({ email: 'b@andeby.dk' })]));
      await run(d3, d2);
      assert.deepEqual(await byType(), {
        Email: [
          ['2024-02-01', '2024-02-03', 'a@andeby.dk'],
          ['2024-02-03', null, 'b@andeby.dk'],
        ],
        Telefon: [['2024-02-01', '2024-02-03', '000012345']],
      });
    });

    it('an e-mail MO would refuse is reported without the address itself, and not written', async () => {
      const d1 = env.dump('2024-02-10', dumpXml(TREE, [base({ id: '3050', cpr: '0303803031', email: 'ikke en adresse' })]));
      const { plan } = await env.plan(d1, null);
      const issue = plan.issues.find((i) => i.opusId === '3050' && i.kind === 'address');
      assert.ok(issue, JSON.stringify(plan.issues));
      assert.match(issue.message, /"Email" value .*; not written$/);
      assert.doesNotMatch(JSON.stringify(plan.issues), /ikke en adresse/, 'a person\'s e-mail stays out of issues');
      assert.ok(plan.ops.every((o) => o.op.kind !== 'address' || (o.op.input as { value?: string }).value !== 'ikke en adresse'));
    });

    it('skip_employee_email/phone leave MO alone; a protected address ends the stored one', async () => {
      const address = (a: EmployeeSpec['address']) => base({ id: '3100', cpr: '0404804040', address: a, postalCode: '8000', email: 'c@andeby.dk', workPhone: '87654321' });
      const found = new Map([['testvej 1|8000', { kind: 'value' as const, value: DAR_ADDRESS, visibility: null }]]);
      const postal = async () => found;
      const d1 = env.dump('2024-03-01', dumpXml(TREE, [address('Testvej 1')]));
      await run(d1, null, { postal, skipEmployeeEmail: true, skipEmployeePhone: true });
      const addresses = await personAddresses('0404804040');
      assert.equal(addresses.length, 1, 'only the postal address: e-mail and phone are skipped');
      const visibility = await classByUuid(addresses[0]!.validities[0]!.visibilityUuid!);
      assert.equal(visibility!.userKey, 'Intern');
      const d2 = env.dump('2024-03-02', dumpXml(TREE, [address({ protected: true })]));
      await run(d2, d1, { postal, skipEmployeeEmail: true, skipEmployeePhone: true });
      assert.deepEqual((await personAddresses('0404804040'))[0]!.validities.map((v) => [v.from, v.to]), [['2024-03-01', '2024-03-02']], 'a protected address must not stay in MO');
    });

    it('IT users: none → none writes nothing, none → name creates, name → other renames, name → none ends', async () => {
      const p = (userId?: string) => base({ id: '4000', cpr: '0505805050', ...(userId ? { userId } : {}) });
      const itUsers = async () => env.client.itUsers.read({ personUuids: [(await personUuid('0505805050'))!] }, 'all');
      const d1 = env.dump('2024-04-01', dumpXml(TREE, [p()]));
      await run(d1, null);
      assert.equal((await itUsers()).length, 0);
      const d2 = env.dump('2024-04-02', dumpXml(TREE, [p('AB1234')]));
      await run(d2, d1);
      const d3 = env.dump('2024-04-03', dumpXml(TREE, [p('AB9999')]));
      await run(d3, d2);
      const d4 = env.dump('2024-04-04', dumpXml(TREE, [p()]));
      await run(d4, d3);
      const [user] = await itUsers();
      assert.deepEqual(user!.validities.map((v) => [v.from, v.to, v.userKey]), [
        ['2024-04-02', '2024-04-03', 'AB1234'],
        ['2024-04-03', '2024-04-04', 'AB9999'],
      ]);
    });

    it('IT users: several Opus accounts made by others are left alone and reported; with its own account moflow keeps to it', async () => {
      const [opus] = await env.client.itSystems.read({ userKeys: ['Opus'] });
      const d5 = env.dump('2024-04-05', dumpXml(TREE, [base({ id: '4000', cpr: '0505805050', userId: 'AB1234' }), base({ id: '4100', cpr: '0707807070' })]));
      await run(d5, 'ZLPE20240404223000_delta.xml');
      for (const cpr of ['0505805050', '0707807070']) {
        const uuid = (await personUuid(cpr))!;
        for (const name of [`X1${cpr}`, `X2${cpr}`]) await env.client.itUsers.create({ userKey: name, itSystemUuid: opus!.uuid, personUuid: uuid, from: '2024-01-01' });
      }
      const d6 = env.dump('2024-04-06', dumpXml(TREE, [base({ id: '4000', cpr: '0505805050', userId: 'AB5555' }), base({ id: '4100', cpr: '0707807070', userId: 'CD1234' })]));
      const { plan } = await run(d6, d5);
      const itOps = plan.ops.filter((o) => o.op.kind === 'itUser');
      assert.deepEqual(itOps.map((o) => `${o.op.action} ${o.subject.opusId}`), ['update 4000'], 'only the account moflow made is renamed');
      assert.ok(plan.issues.some((i) => i.opusId === '4100' && /has 2 Opus IT users in MO; none is changed/.test(i.message)), JSON.stringify(plan.issues));
      const others = await env.client.itUsers.read({ personUuids: [(await personUuid('0707807070'))!] }, 'all');
      assert.deepEqual(others.map((u) => u.validities.map((v) => [v.from, v.to, v.userKey])).sort(), [[['2024-01-01', null, 'X10707807070']], [['2024-01-01', null, 'X20707807070']]]);
    });

    it('a visibility set in MO by hand on an address OPUS gives none is left alone (OS2MO cannot clear it by update)', async () => {
      const d = env.dump('2024-09-01', dumpXml(TREE, [base({ id: '8000', cpr: '0909809090', email: 'synlig@andeby.dk' })]));
      await run(d, null);
      const [email] = await personAddresses('0909809090');
      const secret = await env.client.ensureClass('visibility', { userKey: 'Hemmelig', name: 'Må ikke vises', scope: 'SECRET' });
      await env.client.mutate({ kind: 'address', action: 'update', input: { uuid: email!.uuid, value: 'synlig@andeby.dk', addressTypeUuid: email!.validities[0]!.addressTypeUuid, visibilityUuid: secret.uuid, from: '2024-09-01', to: null } });
      const { plan } = await env.plan(d, null, { full: true });
      assert.deepEqual(plan.ops.filter((o) => o.subject.opusId === '8000').map((o) => `${o.op.kind} ${o.op.action}: ${o.reason}`), []);
      assert.equal((await personAddresses('0909809090'))[0]!.validities.at(-1)!.visibilityUuid, secret.uuid);
    });

    it('managers: created from entryDate with level "superior.subordinate", changed from the dump date, ended when isManager turns false', async () => {
      const m = (over: Partial<EmployeeSpec>) => base({ id: '5000', cpr: '0606806060', entryDate: '2019-01-01', isManager: true, superiorLevel: '1', subordinateLevel: '01', position: 'Leder', ...over });
      const managers = async () => env.client.managers.read({ userKeys: ['5000'] }, 'all');
      const d1 = env.dump('2024-05-01', dumpXml(TREE, [m({})]));
      await run(d1, null);
      const [role] = await managers();
      assert.deepEqual(role!.validities.map((v) => [v.from, v.to]), [['2019-01-01', null]]);
      assert.equal((await classByUuid(role!.validities[0]!.managerLevelUuid!))!.userKey, '1.01');
      assert.equal((await classByUuid(role!.validities[0]!.responsibilityUuids[0]!))!.userKey, 'Lederansvar');
      const d2 = env.dump('2024-05-02', dumpXml(TREE, [m({ superiorLevel: '2', subordinateLevel: '02' })]));
      const { plan } = await run(d2, d1);
      assert.deepEqual(plan.ops.filter((o) => o.op.kind === 'manager').map((o) => [o.op.action, 'from' in o.op.input ? o.op.input.from : null]), [['update', '2024-05-02']]);
      const d3 = env.dump('2024-05-03', dumpXml(TREE, [m({ isManager: false })]));
      await run(d3, d2);
      const [after] = await managers();
      assert.deepEqual(after!.validities.map((v) => [v.from, v.to]), [
        ['2019-01-01', '2024-05-02'],
        ['2024-05-02', '2024-05-03'],
      ]);
    });
    it('fallback classes: a unit without orgType/orgTypeTxt has type "Enhed", an employment without workContractText "Ansat"', async () => {
      const units = [...TREE, { id: '9', parent: '1', startDate: '1900-01-01' }, { id: '10', parent: '1', startDate: '1900-01-01', orgType: 'X1', orgTypeTxt: 'Skole' }];
      const d = env.dump('2024-10-01', dumpXml(units, [base({ id: '9000', cpr: '1010801010', orgUnit: '9', workContractText: '' })]));
      await run(d, null, { approveMassChange: true });
      const typeOf = async (id: string) => classByUuid((await env.client.orgUnits.read({ uuids: [UUIDS.unit(id)] }, 'all'))[0]!.validities[0]!.unitTypeUuid!);
      assert.deepEqual([await typeOf('9'), await typeOf('10')].map((c) => [c!.userKey, c!.name]), [['Enhed', 'Enhed'], ['X1', 'Skole']]);
      assert.equal((await classByUuid((await engagement('9000'))!.validities[0]!.engagementTypeUuid))!.name, 'Ansat');
    });

    it('end_gone_units: false keeps a unit gone from OPUS open; by default it ends at the dump date', async () => {
      const d1 = env.dump('2024-10-02', dumpXml([...TREE, { id: '11', parent: '1', startDate: '1900-01-01' }], []));
      await run(d1, null, { approveMassChange: true });
      const d2 = env.dump('2024-10-03', dumpXml(TREE, []));
      const kept = await run(d2, d1, { endGoneUnits: false, approveMassChange: true });
      assert.deepEqual(kept.plan.ops.filter((o) => o.op.kind === 'orgUnit').map((o) => o.reason), []);
      const unit11 = async () => (await env.client.orgUnits.read({ uuids: [UUIDS.unit('11')] }, 'all'))[0]!.validities.map((v) => [v.from, v.to]);
      assert.deepEqual(await unit11(), [['1900-01-01', null]]);
      const d3 = env.dump('2024-10-04', dumpXml(TREE, []));
      await run(d3, d2, { approveMassChange: true });
      assert.deepEqual(await unit11(), [['1900-01-01', '2024-10-04']]);
    });

    it('skip_employees imports the units only', async () => {
      const d = env.dump('2024-10-05', dumpXml([...TREE, { id: '12', parent: '1', startDate: '1900-01-01' }], [base({ id: '9100', cpr: '1111801111', orgUnit: '12' })]));
      const { plan } = await run(d, null, { skipEmployees: true, approveMassChange: true });
      assert.ok((await env.client.orgUnits.read({ uuids: [UUIDS.unit('12')] }, 'all')).length === 1, 'the new unit is imported');
      assert.deepEqual(plan.ops.filter((o) => o.op.kind !== 'orgUnit' && o.op.kind !== 'address' && o.op.kind !== 'class').map((o) => `${o.op.kind} ${o.op.action}`), []);
      assert.equal(await personUuid('1111801111'), undefined);
      assert.equal(await engagement('9100'), undefined);
    });

    it('skip_employee_address leaves the postal address out, and only it', async () => {
      const found = new Map([['testvej 1|8000', { kind: 'value' as const, value: DAR_ADDRESS, visibility: null }]]);
      const d = env.dump('2024-10-06', dumpXml(TREE, [base({ id: '9200', cpr: '1212801212', address: 'Testvej 1', postalCode: '8000', email: 'd@andeby.dk' })]));
      await run(d, null, { postal: async () => found, skipEmployeeAddress: true, approveMassChange: true });
      assert.deepEqual((await personAddresses('1212801212')).map((a) => a.validities[0]!.value), ['d@andeby.dk']);
    });
  });

  describe(`an employment whose CPR number changes in OPUS (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);

    it('moves to the new person whole (OS2MO cannot change an engagement’s person), and a full re-plan writes nothing', async () => {
      const employment = (cpr: string) => base({ id: '7000', cpr, entryDate: '2016-01-01', isManager: true, superiorLevel: '1', subordinateLevel: '01', position: 'Leder' });
      const d1 = env.dump('2024-08-01', dumpXml(TREE, [employment('0808801111')]));
      assert.deepEqual((await env.run(d1, null)).report.failures, []);
      const d2 = env.dump('2024-08-02', dumpXml(TREE, [employment('0808802222')]));
      const { plan, report } = await env.run(d2, d1);
      assert.deepEqual(report.failures, []);
      assert.ok(plan.ops.some((o) => o.op.kind === 'engagement' && o.op.action === 'create' && /its person changed/.test(o.reason)), plan.ops.map((o) => o.reason).join('\n'));

      const [oldPerson, newPerson] = await Promise.all(['0808801111', '0808802222'].map(async (c) => (await env.client.persons.byCprs([c], 'all'))[0]?.uuid));
      assert.ok(oldPerson && newPerson && oldPerson !== newPerson);
      const e = (await env.client.engagements.read({ userKeys: ['7000'] }, 'all'))[0]!;
      assert.deepEqual(e.validities.map((v) => [v.from, v.to, v.personUuid === newPerson ? 'new person' : 'old person']), [['2016-01-01', null, 'new person']]);
      const [manager] = await env.client.managers.read({ userKeys: ['7000'] }, 'all');
      assert.equal(manager!.validities.at(-1)!.personUuid, newPerson, 'the manager role follows from the dump date');
      assert.deepEqual(await env.client.engagements.read({ personUuids: [oldPerson] }, 'all'), [], 'the old person keeps no engagement');
      const again = await env.plan(d2, d1, { full: true });
      assert.deepEqual(again.plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}: ${o.reason}`), []);
    });
  });
}
