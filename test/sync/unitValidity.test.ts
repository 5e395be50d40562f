// OS2MO's unit validity rules through real imports into each MO (the local MO and the real OS2MO 66.1.2): a unit lies within its parent's validity
// (clipped, and reported), what lies in a unit lies within the unit's (ended in the same run, before the unit is
// narrowed), and a unit is not ended while a child OPUS still has is left under it (reported).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Day } from '../../src/mo/index.js';
import { runImportStep } from '../../src/opusRuns/importSteps.js';
import { runReport } from '../../src/opusRuns/report.js';
import { planDump } from '../../src/sync/importDump.js';
import { planDetails } from '../../src/sync/planText.js';
import { UUIDS, useImportEnv } from '../support/importEnv.js';
import { dumpXml, type EmployeeSpec, type UnitSpec } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';

type Range = [Day | null, Day | null];
const OPEN = '9999-12-31';
const FN = { artText: 'Tillidsrepræsentant', startDate: '2006-01-01', endDate: OPEN };
const employee = (id: string, orgUnit: string, entryDate: string, over: Partial<EmployeeSpec> = {}): EmployeeSpec => ({
  id,
  cpr: `01018${id.padStart(5, '0')}`,
  orgUnit,
  entryDate,
  ...over,
});
/** A manager with a role (a function, bound to the person's Opus user): every kind of detail in a unit. */
const manager = (id: string, orgUnit: string, entryDate: string): EmployeeSpec =>
  employee(id, orgUnit, entryDate, { isManager: true, superiorLevel: '1', subordinateLevel: '01', userId: `u${id}`, functions: [FN] });

for (const kind of moKinds()) describe(`importing OPUS into MO (${kind}): units within their parents, details within their units`, { skip: await moSkip(kind) }, () => {
  const env = useImportEnv(kind);

  const unit = async (id: string) => (await env.client.orgUnits.read({ uuids: [UUIDS.unit(id)] }, 'all'))[0];
  /** An object's active ranges, touching slices joined. */
  const ranges = (o: { validities: { from: Day | null; to: Day | null }[] } | undefined): Range[] => {
    const out: Range[] = [];
    for (const v of o?.validities ?? []) {
      const last = out.at(-1);
      if (last && last[1] !== null && last[1] === v.from) last[1] = v.to;
      else out.push([v.from, v.to]);
    }
    return out;
  };
  const unitRanges = async (id: string) => ranges(await unit(id));
  /** Engagement, manager role and rolebinding of an employment, and the unit's addresses, as validity ranges. */
  const details = async (id: string) => ({
    engagement: ranges((await env.client.engagements.read({ userKeys: [id] }, 'all'))[0]),
    manager: ranges((await env.client.managers.read({ userKeys: [id] }, 'all'))[0]),
    roleBinding: ranges((await env.client.roleBindings.read({ userKeys: [id] }, 'all'))[0]),
  });
  const unitAddresses = async (id: string) => (await env.client.addresses.read({ orgUnitUuids: [UUIDS.unit(id)] }, 'all')).map(ranges);
  const replanFull = async (name: string, previous: string | null) => (await env.plan(name, previous, { full: true })).plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}: ${o.reason}`);

  it('a unit that starts before its parent starts with it, its end is clipped to its parent’s; its details follow; reported in the plan and the run report', async () => {
    const units: UnitSpec[] = [
      { id: '1', startDate: '1990-01-01' },
      { id: '2', parent: '1', startDate: '2010-01-01' },
      { id: '4', parent: '2', startDate: '2000-01-01', phone: '12345678' },
      { id: '5', parent: '4', startDate: '1995-01-01' },
      { id: '3', parent: '1', startDate: '1990-01-01', endDate: '2030-12-31' },
      { id: '6', parent: '3', startDate: '1990-01-01' },
    ];
    const day = env.dump('2024-01-01', dumpXml(units, [manager('100', '4', '2005-01-01'), employee('101', '6', '2020-01-01')]));
    const ref = { name: day, previous: null };
    const settings = env.settings();
    const step = { approved: true, attempt: 1, resumedAfter: null };
    const unitsStep = await runImportStep(env.client, env.source, ref, settings, 'units', step);
    const employeesStep = await runImportStep(env.client, env.source, ref, settings, 'employees', step);
    assert.deepEqual([...unitsStep.report.failures, ...employeesStep.report.failures], []);

    assert.deepEqual(await unitRanges('4'), [['2010-01-01', null]], 'starts with its parent');
    assert.deepEqual(await unitRanges('5'), [['2010-01-01', null]], 'and so does its child, parents first');
    assert.deepEqual(await unitRanges('6'), [['1990-01-01', '2031-01-01']], 'ends with its parent');
    assert.deepEqual(await details('100'), { engagement: [['2010-01-01', null]], manager: [['2010-01-01', null]], roleBinding: [['2010-01-01', null]] });
    assert.deepEqual((await details('101')).engagement, [['2020-01-01', '2031-01-01']]);

    const clipped = 'unit 4 starts 2000-01-01 in OPUS, before its parent unit 2 (valid 2010-01-01 to open in MO); it starts 2010-01-01 in MO';
    const ended = 'unit 6 ends open in OPUS, after its parent unit 3 (valid 1990-01-01 to 2030-12-31 in MO); it ends 2030-12-31 in MO';
    const { plan } = await env.plan(day, null);
    assert.ok(plan.issues.some((i) => i.opusId === '4' && i.message === clipped), JSON.stringify(plan.issues));
    assert.ok(plan.issues.some((i) => i.opusId === '6' && i.message === ended), JSON.stringify(plan.issues));
    assert.match(planDetails(plan, 50), new RegExp(clipped.replace(/[()]/g, '\\$&')), 'in the text of `moflow opus plan`');
    const run = runReport({
      dump: day,
      timestamp: '2024-01-01T22:30:00',
      previous: null,
      fetched: null,
      validation: null,
      steps: [unitsStep.result, employeesStep.result],
      approvedBy: null,
      durationMs: 1,
      reportFile: null,
    });
    assert.ok(run.issues.includes(clipped) && run.issues.includes(ended), JSON.stringify(run.issues));
    assert.deepEqual(await replanFull(day, null), [], 'nothing to write the second time');
  });

  it('a unit moved under a younger parent starts with it; what lay in the part that goes is ended first, in the same run', async () => {
    const tree = (parentOf14: string): UnitSpec[] => [
      { id: '1', startDate: '1990-01-01' },
      { id: '12', parent: '1', startDate: '1990-01-01' },
      { id: '17', parent: '1', startDate: '2024-02-05' },
      { id: '14', parent: parentOf14, startDate: '2000-01-01', phone: '11112222' },
      { id: '15', parent: '14', startDate: '2000-01-01' },
    ];
    const staff = [manager('140', '14', '2005-01-01'), employee('150', '15', '2001-01-01')];
    const day1 = env.dump('2024-02-01', dumpXml(tree('12'), staff));
    assert.deepEqual((await env.run(day1, null)).report.failures, []);
    assert.deepEqual(await unitRanges('14'), [['2000-01-01', null]]);

    // The staff's records do not change: only the unit's parent does.
    const day2 = env.dump('2024-02-10', dumpXml(tree('17'), staff));
    const { plan, report } = await env.run(day2, day1);
    assert.deepEqual(report.failures, []);
    assert.ok(plan.issues.some((i) => i.opusId === '14' && /starts 2000-01-01 in OPUS, before its parent unit 17 .*; it starts 2024-02-05 in MO/.test(i.message)), JSON.stringify(plan.issues));
    const u14 = (await unit('14'))!;
    assert.deepEqual(
      u14.validities.map((v) => [v.from, v.to, v.parentUuid === UUIDS.unit('17') ? 'under 17' : 'under 12']),
      [
        ['2024-02-05', '2024-02-10', 'under 12'],
        ['2024-02-10', null, 'under 17'],
      ],
    );
    assert.deepEqual(await unitRanges('15'), [['2024-02-05', null]]);
    assert.deepEqual(await details('140'), { engagement: [['2024-02-05', null]], manager: [['2024-02-05', null]], roleBinding: [['2024-02-05', null]] });
    assert.deepEqual((await details('150')).engagement, [['2024-02-05', null]]);
    assert.deepEqual(await unitAddresses('14'), [[['2024-02-05', null]]], 'the phone, created on the first day, now starts with the unit');
    // Ended before the units are narrowed, children before parents.
    const order = plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.opusId}`);
    const unitEnd = (id: string) => order.indexOf(`orgUnit terminate ${id}`);
    assert.ok(unitEnd('15') >= 0 && unitEnd('15') < unitEnd('14'), order.join('\n'));
    for (const [i, o] of plan.ops.entries()) if (o.op.kind !== 'orgUnit' && o.op.action === 'terminate') assert.ok(i < unitEnd('15'), order.join('\n'));
    assert.deepEqual(await replanFull(day2, day1), []);
  });

  it('a unit that ends or vanishes ends its addresses, engagements, manager roles and rolebindings at that date, in the same run', async () => {
    const units = (day2: boolean): UnitSpec[] => [
      { id: '1', startDate: '1990-01-01' },
      ...(day2 ? [] : [{ id: '20', parent: '1', startDate: '2000-01-01', phone: '22223333', se: '12345678' }]),
      { id: '21', parent: '1', startDate: '2000-01-01', phone: '22224444', ...(day2 ? { endDate: '2024-06-30' } : {}) },
    ];
    const staff = [manager('200', '20', '2010-01-01'), manager('210', '21', '2010-01-01')];
    const day1 = env.dump('2024-03-01', dumpXml(units(false), staff));
    assert.deepEqual((await env.run(day1, null)).report.failures, []);

    // Unit 20 vanishes although employment 200 (unchanged) still names it; unit 21 gets an end date.
    const day2 = env.dump('2024-03-02', dumpXml(units(true), staff));
    const { plan, report } = await env.run(day2, day1);
    assert.deepEqual(report.failures, []);
    assert.deepEqual(await unitRanges('20'), [['2000-01-01', '2024-03-02']]);
    assert.deepEqual(await unitAddresses('20'), [[['2024-03-01', '2024-03-02']], [['2024-03-01', '2024-03-02']]]);
    // The rolebinding starts with its function (2006), within the unit.
    assert.deepEqual(await details('200'), { engagement: [['2010-01-01', '2024-03-02']], manager: [['2010-01-01', '2024-03-02']], roleBinding: [['2006-01-01', '2024-03-02']] });
    assert.deepEqual(await unitRanges('21'), [['2000-01-01', '2024-07-01']]);
    assert.deepEqual(await unitAddresses('21'), [[['2024-03-01', '2024-07-01']]]);
    assert.deepEqual(await details('210'), { engagement: [['2010-01-01', '2024-07-01']], manager: [['2010-01-01', '2024-07-01']], roleBinding: [['2006-01-01', '2024-07-01']] });
    const ending = plan.ops.find((o) => o.op.kind === 'engagement' && o.subject.opusId === '200');
    assert.match(ending!.reason, /lies in unit 20 from 2024-03-02, which the unit no longer covers \(gone from OPUS\)/);
    assert.deepEqual(await replanFull(day2, day1), []);
  });

  it('a unit gone from OPUS is not ended while a child OPUS still has is left under it, and the child is reported', async () => {
    const units = (day2: boolean): UnitSpec[] => [
      { id: '1', startDate: '1990-01-01' },
      ...(day2 ? [] : [{ id: '22', parent: '1', startDate: '2000-01-01' }]),
      { id: '23', parent: '22', startDate: '2000-01-01' },
    ];
    const day1 = env.dump('2024-05-01', dumpXml(units(false), []));
    await env.run(day1, null);
    const day2 = env.dump('2024-05-02', dumpXml(units(true), []));
    const { plan, report } = await env.run(day2, day1);
    assert.deepEqual(report.failures, []);
    assert.deepEqual(await unitRanges('22'), [['2000-01-01', null]], 'not ended: MO refuses to end a unit with active children');
    assert.ok(plan.issues.some((i) => i.opusId === '22' && /unit 22 is not narrowed \(gone from OPUS\): MO still has child units under it .*\(unit 23 from 2024-05-02\)/.test(i.message)), JSON.stringify(plan.issues));
  });

  it('a unit moved under an older parent starts as OPUS says again, and so do its clipped engagements, through both import steps; only the widened unit’s employments are compared', async () => {
    const units = (parentOf40: string): UnitSpec[] => [
      { id: '1', startDate: '1990-01-01' },
      { id: '41', parent: '1', startDate: '2015-01-01' },
      { id: '42', parent: '1', startDate: '1990-01-01' },
      { id: '40', parent: parentOf40, startDate: '2000-01-01' },
    ];
    // 410 in unit 42 stays as it is: no reason to read its person from MO again.
    const staff = [manager('400', '40', '2005-01-01'), employee('410', '42', '2010-01-01')];
    const day1 = env.dump('2024-06-01', dumpXml(units('41'), staff));
    assert.deepEqual((await env.run(day1, null)).report.failures, []);
    assert.deepEqual((await details('400')).engagement, [['2015-01-01', null]]);

    // As under Temporal: the units step widens unit 40, after which the employees step's plan alone would no
    // longer see why the unchanged employment must be compared with MO.
    const day2 = env.dump('2024-06-02', dumpXml(units('42'), staff));
    const ref = { name: day2, previous: day1 };
    const step = { approved: true, attempt: 1, resumedAfter: null };
    // Planned before anything is written: unit 40 widens.
    const planned = await env.plan(day2, day1);
    assert.deepEqual(planned.input.wishes.map((w) => (w.kind === 'employment' ? w.employment.opusId : w.opusId)), ['400'], 'the widened unit’s employment, not 410');
    const first = await runImportStep(env.client, env.source, ref, env.settings(), 'units', step);
    assert.equal(first.result.comparedAll, false);
    assert.deepEqual(first.result.comparedUnits, ['40']);
    const second = await runImportStep(env.client, env.source, ref, env.settings(), 'employees', { ...step, alsoUnits: first.result.comparedUnits });
    assert.deepEqual([...first.report.failures, ...second.report.failures], []);
    assert.deepEqual(await unitRanges('40'), [['2000-01-01', null]]);
    assert.deepEqual(await details('400'), { engagement: [['2005-01-01', null]], manager: [['2005-01-01', null]], roleBinding: [['2006-01-01', null]] });
    assert.deepEqual(await replanFull(day2, day1), []);
  });

  it('a unit whose start moves later is narrowed after a former child that also narrows, though the dump has moved that child away', async () => {
    // Unit 51 lay under 50 until it moved under 1; MO keeps its old slices under 50, so 50 cannot start later
    // while 51 still starts under it: 51 is narrowed first, whatever the dump's tree says of their depths.
    const units = (day: 1 | 2 | 3): UnitSpec[] => [
      { id: '1', startDate: '1990-01-01' },
      { id: '50', parent: '1', startDate: day === 3 ? '2010-01-01' : '2000-01-01' },
      { id: '51', parent: day === 1 ? '50' : '1', startDate: day === 3 ? '2015-01-01' : '2000-01-01' },
    ];
    const staff = [employee('510', '51', '2001-01-01')];
    const day1 = env.dump('2024-07-01', dumpXml(units(1), staff));
    assert.deepEqual((await env.run(day1, null)).report.failures, []);
    const day2 = env.dump('2024-07-02', dumpXml(units(2), staff));
    assert.deepEqual((await env.run(day2, day1)).report.failures, []);
    const day3 = env.dump('2024-07-03', dumpXml(units(3), staff));
    const { plan, report } = await env.run(day3, day2);
    assert.deepEqual(report.failures, []);
    assert.deepEqual(await unitRanges('50'), [['2010-01-01', null]]);
    assert.deepEqual(
      (await unit('51'))!.validities.map((v) => [v.from, v.to, v.parentUuid === UUIDS.unit('50') ? 'under 50' : 'under 1']),
      [
        ['2015-01-01', '2024-07-02', 'under 50'],
        ['2024-07-02', null, 'under 1'],
      ],
    );
    assert.deepEqual((await details('510')).engagement, [['2015-01-01', null]]);
    const order = plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.opusId}`);
    assert.ok(order.indexOf('orgUnit terminate 51') >= 0 && order.indexOf('orgUnit terminate 51') < order.indexOf('orgUnit terminate 50'), order.join('\n'));
    assert.deepEqual(await replanFull(day3, day2), []);
  });

  it('a unit whose start moves later and that gets an end shrinks with its child; what lies outside ends first', async () => {
    const units = (day2: boolean): UnitSpec[] => [
      { id: '1', startDate: '1990-01-01' },
      { id: '30', parent: '1', startDate: day2 ? '2012-01-01' : '2000-01-01', ...(day2 ? { endDate: '2030-06-30' } : {}) },
      { id: '31', parent: '30', startDate: '2000-01-01', phone: '33334444' },
    ];
    const staff = [employee('300', '30', '2005-01-01'), manager('310', '31', '2003-01-01')];
    const day1 = env.dump('2024-04-01', dumpXml(units(false), staff));
    assert.deepEqual((await env.run(day1, null)).report.failures, []);
    const day2 = env.dump('2024-04-02', dumpXml(units(true), staff));
    const { plan, report } = await env.run(day2, day1);
    assert.deepEqual(report.failures, []);
    for (const id of ['30', '31']) assert.deepEqual(await unitRanges(id), [['2012-01-01', '2030-07-01']], `unit ${id}`);
    assert.deepEqual((await details('300')).engagement, [['2012-01-01', '2030-07-01']]);
    assert.deepEqual(await details('310'), { engagement: [['2012-01-01', '2030-07-01']], manager: [['2012-01-01', '2030-07-01']], roleBinding: [['2012-01-01', '2030-07-01']] });
    assert.deepEqual(await unitAddresses('31'), [[['2024-04-01', '2030-07-01']]]);
    const phases = plan.ops.map((o) => `${o.phase} ${o.op.kind} ${o.op.action} ${o.subject.opusId}`);
    const firstUnitEnd = phases.findIndex((p) => p.startsWith('unitEndings'));
    assert.ok(phases.slice(firstUnitEnd).every((p) => p.startsWith('unitEndings orgUnit terminate')), phases.join('\n'));
    assert.ok(phases.lastIndexOf('unitEndings orgUnit terminate 31') < phases.indexOf('unitEndings orgUnit terminate 30'), phases.join('\n'));
    assert.deepEqual(await replanFull(day2, day1), []);
  });

  it('a unit clipped to a parent that now starts earlier widens with it: only their employments are compared, not every one (nothing changed outside OPUS)', async () => {
    const units = (parentStart: string): UnitSpec[] => [
      { id: '1', startDate: '1990-01-01' },
      { id: '43', parent: '1', startDate: parentStart },
      { id: '44', parent: '43', startDate: '2000-01-01' },
      { id: '45', parent: '1', startDate: '1990-01-01' },
    ];
    const staff = [employee('440', '44', '2005-01-01'), employee('450', '45', '2010-01-01')];
    const day1 = env.dump('2024-07-01', dumpXml(units('2015-01-01'), staff));
    assert.deepEqual((await env.run(day1, null)).report.failures, []);
    assert.deepEqual(await unitRanges('44'), [['2015-01-01', null]], 'clipped to its parent');

    // Only unit 43's record changes; 44 follows it, which is no change made outside OPUS.
    const day2 = env.dump('2024-07-02', dumpXml(units('1995-01-01'), staff));
    const steps: string[] = [];
    const { plan, input, comparedAll, comparedUnits } = await planDump(env.client, env.source, { name: day2, previous: day1 }, env.settings(), (s) => steps.push(s));
    assert.equal(comparedAll, false, steps.join('\n'));
    assert.ok(!steps.some((s) => /change in MO without a change in OPUS/.test(s)), steps.join('\n'));
    assert.deepEqual([...comparedUnits].sort(), ['43', '44']);
    assert.deepEqual(input.wishes.map((w) => (w.kind === 'employment' ? w.employment.opusId : w.opusId)), ['440'], 'the widened units’ employment, not 450');
    assert.ok(plan.ops.some((o) => o.op.kind === 'orgUnit' && o.subject.opusId === '44'));
    // The wider plan reads only what the first did not (440's person and employment), not the units again, and
    // plans as a plan that read everything at once.
    assert.equal(steps.filter((s) => s === 'reading MO: units').length, 1, steps.join('\n'));
    assert.ok(steps.includes('reading MO: only what the narrower plan did not read'), steps.join('\n'));
    const atOnce = await planDump(env.client, env.source, { name: day2, previous: day1 }, { ...env.settings(), alsoUnits: ['43', '44'] });
    assert.deepEqual(plan.ops, atOnce.plan.ops);
    assert.deepEqual(plan.unchanged, atOnce.plan.unchanged);
    assert.deepEqual((await env.run(day2, day1)).report.failures, []);
    assert.deepEqual(await unitRanges('44'), [['2000-01-01', null]]);
    assert.deepEqual((await details('440')).engagement, [['2005-01-01', null]]);
  });
});
