// A week of generated dumps imported day by day; then MO is checked object by object against the last dump,
// with expectations written here from the dump's records and the documented mapping (not from the planner):
// everything OPUS holds is active in MO with its values (future-dated included), and nothing else of OPUS's is.
// Runs against each MO: the local MO and the real OS2MO 66.1.2 (moTargets.ts).
import assert from 'node:assert/strict';
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { MoTemporal, SliceBase } from '../../src/mo/index.js';
import { generateDumps } from '../../src/opus/generate/index.js';
import { readWholeDump } from '../../src/opus/reader.js';
import type { Employment, OrgUnit } from '../../src/opus/records.js';
import { UUIDS, useImportEnv } from '../support/importEnv.js';
import { moKinds, moSkip } from '../support/moTargets.js';

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const max = (...days: string[]) => days.reduce((a, b) => (a > b ? a : b));
/** OPUS end dates are inclusive, MO's exclusive; 9999-12-31 is open. */
const moEnd = (opus: string | null) => (opus === null || opus === '9999-12-31' ? null : nextDay(opus));
/** The slice of an object valid on a day, if any. */
const sliceOn = <S extends SliceBase>(o: MoTemporal<S> | undefined, day: string) =>
  o?.validities.find((v) => (v.from === null || v.from <= day) && (v.to === null || v.to > day));
/** Active on the day or at any time after it. */
const activeFrom = (o: MoTemporal<SliceBase>, day: string) => o.validities.some((v) => v.to === null || v.to > day);

/** Employments in the first dump: the real OS2MO writes ~30–50 objects/s where the local MO writes thousands,
 * so it gets half as many (the same tree, week and seed; still ~290 running employments and 35 managers). */
const EMPLOYEES = { local: 600, os2mo: 300 } as const;

for (const kind of moKinds()) {
  describe(`a week of daily dumps: MO holds what the last dump says, object by object (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);
    let names: string[] = [];
    before(async () => {
      await generateDumps({ outDir: env.dir, units: 40, employees: EMPLOYEES[kind], days: 6, seed: 23 });
      names = readdirSync(env.dir).filter((n) => n.startsWith('ZLPE')).sort();
    });

    it('imports the 7 dumps in order without failures', async () => {
      assert.equal(names.length, 7);
      for (const [i, name] of names.entries()) {
        const started = Date.now();
        const { report } = await env.run(name, i === 0 ? null : names[i - 1]!);
        console.log(`# ${kind}: ${name} imported in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.deepEqual(report.failures, [], name);
      }
    });

    it('every unit, engagement, manager role, e-mail address and Opus account of the last dump is active in MO with its values; nothing else is', async () => {
      const last = await readWholeDump(createReadStream(join(env.dir, names.at(-1)!)), { file: names.at(-1)! });
      const day = `${names.at(-1)!.slice(4, 8)}-${names.at(-1)!.slice(8, 10)}-${names.at(-1)!.slice(10, 12)}`;
      const c = env.client;
      const [units, engagements, managers, persons, addresses, itUsers, classes, [opus]] = await Promise.all([
        c.orgUnits.read({}, 'all'),
        c.engagements.read({}, 'all'),
        c.managers.read({}, 'all'),
        c.persons.read({}, 'all'),
        c.addresses.read({}, 'all'),
        c.itUsers.read({}, 'all'),
        c.classes.read({}),
        c.itSystems.read({ userKeys: ['Opus'] }),
      ]);
      const className = new Map(classes.map((k) => [k.uuid, k.name]));
      const cprOf = new Map(persons.map((p) => [p.uuid, p.validities[0]!.cprNumber]));
      const unitByUuid = new Map(units.map((u) => [u.uuid, u]));
      const byUserKey = <S extends SliceBase>(objects: MoTemporal<S>[]) => {
        const map = new Map<string, MoTemporal<S>[]>();
        for (const o of objects) for (const key of new Set(o.validities.map((v) => v.userKey))) map.set(key, [...(map.get(key) ?? []), o]);
        return map;
      };
      const engagementsByKey = byUserKey(engagements);
      const managersByKey = byUserKey(managers);
      const problems: string[] = [];
      const expect = (ok: boolean, what: string) => {
        if (!ok) problems.push(what);
      };

      // Units: active from the dump date (or their later start) with name and parent, to their end date.
      const unitRecords = new Map<string, OrgUnit>(last.orgUnits.map((u) => [u.id, u]));
      for (const u of last.orgUnits) {
        const on = max(day, u.startDate ?? '1900-01-01');
        const end = moEnd(u.endDate);
        const mo = unitByUuid.get(UUIDS.unit(u.id));
        const slice = sliceOn(mo, on);
        if (end !== null && end <= on) {
          expect(slice === undefined, `unit ${u.id} ended ${u.endDate} yet is active ${on}`);
          continue;
        }
        expect(slice?.name === u.longName, `unit ${u.id}: name ${slice?.name} ≠ ${u.longName}`);
        expect((slice?.parentUuid ?? null) === (u.parentOrgUnit === null ? null : UUIDS.unit(u.parentOrgUnit)), `unit ${u.id}: parent`);
        expect(mo?.validities.at(-1)?.to === end, `unit ${u.id}: ends ${mo?.validities.at(-1)?.to}, OPUS says ${end}`);
        const values = new Map(addresses.filter((a) => mo !== undefined && sliceOn(a, on)?.orgUnitUuid === mo.uuid).map((a) => [className.get(sliceOn(a, on)!.addressTypeUuid), sliceOn(a, on)!.value]));
        for (const [type, value] of [['SE', u.seNr], ['CVR', u.cvrNr], ['EAN', u.eanNr], ['Pnummer', u.pNr], ['Telefon', u.phoneNumber]] as const) {
          expect((values.get(type) ?? null) === value, `unit ${u.id}: ${type} ${values.get(type)} ≠ ${value}`);
        }
      }
      for (const mo of units) {
        const id = mo.validities.at(-1)!.userKey;
        if (activeFrom(mo, day)) expect(unitRecords.has(id), `unit ${id} is active in MO but not in the last dump`);
      }

      // Engagements and manager roles of the employments still running on the dump date or later.
      const running = last.employments.filter((e) => e.entryDate !== null && (e.leaveDate === null || e.leaveDate >= day));
      const runningIds = new Set(running.map((e) => e.id));
      for (const e of running) {
        const unit = unitRecords.get(e.orgUnit!)!;
        const on = max(day, e.entryDate!, unit.startDate ?? '1900-01-01');
        const mo = engagementsByKey.get(e.id) ?? [];
        expect(mo.length === 1, `employment ${e.id}: ${mo.length} engagements in MO`);
        const slice = sliceOn(mo[0], on);
        expect(slice?.orgUnitUuid === UUIDS.unit(e.orgUnit!), `employment ${e.id}: unit on ${on}`);
        expect(slice !== undefined && cprOf.get(slice.personUuid) === e.cpr, `employment ${e.id}: person`);
        expect(slice !== undefined && className.get(slice.jobFunctionUuid) === e.position, `employment ${e.id}: job function ${slice && className.get(slice.jobFunctionUuid)} ≠ ${e.position}`);
        expect(mo[0]?.validities.at(-1)?.to === moEnd(e.leaveDate), `employment ${e.id}: ends ${mo[0]?.validities.at(-1)?.to}, OPUS says ${moEnd(e.leaveDate)}`);
        const manager = sliceOn((managersByKey.get(e.id) ?? [])[0], on);
        if (e.isManager) expect(manager?.orgUnitUuid === UUIDS.unit(e.orgUnit!) && cprOf.get(manager.personUuid!) === e.cpr, `employment ${e.id}: manager role`);
        else expect(manager === undefined, `employment ${e.id} is no manager, yet MO has an active manager role`);
      }
      for (const mo of engagements) if (activeFrom(mo, day)) expect(runningIds.has(mo.validities[0]!.userKey), `engagement ${mo.validities[0]!.userKey} is active in MO but not running in the last dump`);
      const managing = new Set(running.filter((e) => e.isManager).map((e) => e.id));
      for (const mo of managers) if (activeFrom(mo, day)) expect(managing.has(mo.validities[0]!.userKey), `manager role ${mo.validities[0]!.userKey} is active in MO, not in the last dump`);

      // Per person: the e-mail and the Opus account of the employment that speaks for them (lowest running id).
      const byCpr = new Map<string, Employment[]>();
      for (const e of last.employments) byCpr.set(e.cpr, [...(byCpr.get(e.cpr) ?? []), e]);
      const personUuid = new Map(persons.map((p) => [p.validities[0]!.cprNumber, p.uuid]));
      for (const [cpr, jobs] of byCpr) {
        const importable = jobs.filter((j) => j.entryDate !== null);
        if (importable.length === 0) continue;
        const ordered = [...importable].sort((a, b) => Number(runningIds.has(b.id)) - Number(runningIds.has(a.id)) || Number(a.id) - Number(b.id));
        const speaker = ordered[0]!;
        const uuid = personUuid.get(cpr);
        expect(uuid !== undefined, `the person of employment ${speaker.id} is not in MO`);
        const mine = (o: MoTemporal<SliceBase & { personUuid: string | null }>) => sliceOn(o, day)?.personUuid === uuid;
        const emails = addresses.filter((a) => mine(a) && className.get(sliceOn(a, day)!.addressTypeUuid) === 'Email').map((a) => sliceOn(a, day)!.value);
        expect(JSON.stringify(emails) === JSON.stringify(speaker.email ? [speaker.email] : []), `employment ${speaker.id}: e-mail ${emails} ≠ ${speaker.email}`);
        const userId = ordered.find((j) => runningIds.has(j.id) && j.userId)?.userId ?? null;
        const accounts = itUsers.filter((u) => mine(u) && sliceOn(u, day)!.itSystemUuid === opus!.uuid).map((u) => sliceOn(u, day)!.userKey);
        expect(JSON.stringify(accounts) === JSON.stringify(userId ? [userId] : []), `employment ${speaker.id}: Opus account ${accounts} ≠ ${userId}`);
      }

      assert.deepEqual(problems.slice(0, 20), [], `${problems.length} differences between MO and the last dump`);
      assert.ok(running.length > 0.9 * EMPLOYEES[kind] && managing.size > 10, 'the check covered a realistic municipality');
      assert.ok(last.leaves.length > 0 && units.length > 40, 'leaves and unit changes happened during the week');
    });

    it('a full comparison of the last dump with MO plans nothing', async () => {
      const { plan } = await env.plan(names.at(-1)!, names.at(-2)!, { full: true });
      assert.deepEqual(plan.ops.slice(0, 5).map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}: ${o.reason}`), []);
    });
  });
}
