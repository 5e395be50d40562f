// A nightly delta compares a unit's addresses with MO only when what the dump wants of them changed since the
// previous dump (its digest keeps a print per unit, sync/unitAddressPrints.ts): reading every unit's
// addresses from OS2MO costs seconds per hundred units. What must still be compared is: a changed address in
// OPUS, a DAR answer that comes after a night DAR did not answer, and the addresses of a unit the plan writes
// for another reason. Against each MO.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AddressWish } from '../../src/sync/desired/types.js';
import { DigestCache } from '../../src/sync/digestCache.js';
import { importDump, planDump } from '../../src/sync/importDump.js';
import { postalKey, type PostalResolver } from '../../src/sync/prepare.js';
import { DarServer } from '../support/darServer.js';
import { UUIDS, useImportEnv } from '../support/importEnv.js';
import { dumpXml, type UnitSpec } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';

const DAR_ADDRESS = '0a3f50a0-23c9-32b8-e044-0003ba298018';
const UNITS: UnitSpec[] = [
  { id: '1', name: 'Andeby Kommune', startDate: '2000-01-01', phone: '11111111' },
  { id: '2', parent: '1', startDate: '2000-01-01', phone: '22222222', street: 'Testvej 1', zipCode: '8000' },
  { id: '3', parent: '1', startDate: '2000-01-01', phone: '33333333' },
  { id: '4', parent: '2', startDate: '2000-01-01', phone: '44444444' },
];
const EMPLOYEES = [{ id: '1000', cpr: '0101901234', orgUnit: '2', entryDate: '2015-01-01' }];

/** A postal resolver whose DAR answers every street with `answer` (or does not answer). */
const postal = (answer: 'found' | 'down'): PostalResolver => async (addresses) =>
  new Map(
    addresses.map((a): [string, AddressWish] => [
      postalKey(a.street, a.postalCode),
      answer === 'found' ? { kind: 'value', value: DAR_ADDRESS, visibility: null } : { kind: 'keep', why: 'DAR did not answer; retried next run', retry: true },
    ]),
  );

for (const kind of moKinds()) {
  describe(`a nightly delta compares only the unit addresses that may have changed (${kind})`, { skip: await moSkip(kind) }, () => {
    let darServer: DarServer;
    let digestDir = '';
    before(async () => {
      darServer = await DarServer.start();
      darServer.know({ id: DAR_ADDRESS, vejnavn: 'Testvej', husnr: '1', postnr: '8000', postnrnavn: 'Aarhus C' });
      digestDir = mkdtempSync(join(tmpdir(), 'moflow-digests-'));
    });
    after(async () => {
      await darServer.stop();
      rmSync(digestDir, { recursive: true, force: true });
    });
    const env = useImportEnv(kind, { darBaseUrl: () => darServer.url });
    const settings = (answer: 'found' | 'down') => ({ ...env.settings({}, { postal: postal(answer) }), digests: new DigestCache(digestDir) });
    const night = async (name: string, previous: string | null, answer: 'found' | 'down') => {
      const steps: string[] = [];
      const { plan, report } = await importDump(env.client, env.source, { name, previous }, { ...settings(answer), approveMassChange: false }, { onStep: (s) => steps.push(s) });
      assert.deepEqual(report.failures, [], `${name}: no write refused`);
      return { plan, steps };
    };
    const unitAddressWrites = (plan: Awaited<ReturnType<typeof night>>['plan']) =>
      plan.ops.filter((o) => o.op.kind === 'address' && o.subject.kind === 'unit').map((o) => `${o.subject.opusId} ${o.op.action} ${o.reason}`);
    const unitValues = async (opusId: string) =>
      (await env.client.addresses.read({ orgUnitUuids: [UUIDS.unit(opusId)] }, 'all')).flatMap((a) => a.validities.filter((v) => v.to === null).map((v) => v.value)).sort();

    let day1 = '';
    let day2 = '';
    let day3 = '';
    it('the first night compares every unit; the next compares only the unit whose phone changed, and DAR is down', async () => {
      day1 = env.dump('2024-03-01', dumpXml(UNITS, EMPLOYEES));
      const first = await night(day1, null, 'found');
      assert.equal(unitAddressWrites(first.plan).length, 5, unitAddressWrites(first.plan).join('\n'));
      assert.deepEqual(await unitValues('2'), [DAR_ADDRESS, '22222222'].sort());

      day2 = env.dump('2024-03-02', dumpXml(UNITS.map((u) => (u.id === '3' ? { ...u, phone: '33330000' } : u)), EMPLOYEES));
      const { plan } = await night(day2, day1, 'down');
      assert.deepEqual(unitAddressWrites(plan), ['3 update Telefon: value changed in OPUS']);
      // Unit 3's phone (written) and unit 2's addresses (its postal address waits for DAR, which is down: kept,
      // and its phone unchanged) were compared; units 1 and 4 were not read.
      assert.equal(plan.unchanged.address, 1, JSON.stringify(plan.unchanged));
      assert.deepEqual(await unitValues('2'), [DAR_ADDRESS, '22222222'].sort(), 'DAR down: the postal address is kept');
    });

    it('a night after DAR did not answer compares that unit again', async () => {
      day3 = env.dump('2024-03-03', dumpXml(UNITS.map((u) => (u.id === '3' ? { ...u, phone: '33330000' } : u)), EMPLOYEES));
      const { plan } = await planDump(env.client, env.source, { name: day3, previous: day2 }, settings('found'));
      assert.deepEqual(unitAddressWrites(plan), []);
      assert.equal(plan.unchanged.address, 2, 'unit 2 compared again (its DAR address and phone): nothing to write');
    });

    it('a unit the plan writes for another reason (renamed in OPUS) has its addresses read, so they are compared, not created again', async () => {
      await night(day3, day2, 'found');
      const day4 = env.dump('2024-03-04', dumpXml(UNITS.map((u) => (u.id === '3' ? { ...u, phone: '33330000' } : u.id === '4' ? { ...u, name: 'Renamed' } : u)), EMPLOYEES));
      const { plan, steps } = await night(day4, day3, 'found');
      assert.ok(steps.some((s) => s === 'reading MO: the addresses of 1 unit(s) the plan writes'), steps.join('\n'));
      assert.deepEqual(plan.ops.filter((o) => o.subject.opusId === '4').map((o) => `${o.op.kind} ${o.op.action} ${o.reason}`), ['orgUnit update renamed to "Renamed"']);
      assert.equal(plan.unchanged.address, 1, 'only unit 4 compared: its phone is unchanged');
      assert.deepEqual(await unitValues('4'), ['44444444']);
    });
  });
}
