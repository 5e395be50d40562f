// The primary engagement recomputed from MO alone, on each MO: a primary class changed by hand (or
// "Manuelt primær" set on another engagement) is corrected for the people asked for, or for everybody with
// --all, and a second run writes nothing. And a dump's import steps, given a worker's prepared dumps, read
// the dump once where they read it three times before.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runImportStep } from '../../src/opusRuns/importSteps.js';
import { ParsedDumps, parseCount } from '../../src/opusRuns/parsedDumps.js';
import { runPrimaryStep } from '../../src/opusRuns/primaryStep.js';
import { validateDump } from '../../src/opusRuns/validate.js';
import type { DumpSource } from '../../src/sources/types.js';
import { prepareDump } from '../../src/sync/importDump.js';
import { recomputePrimary } from '../../src/sync/primary/recompute.js';
import { BASE_OPTIONS, useImportEnv } from '../support/importEnv.js';
import { dumpXml, TREE, type EmployeeSpec } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';

const A = '0101801111';
const B = '0202802222';
const ORDER = { primaryOrder: ['Månedsløn', 'Timeløn'] };
const OPTIONS = { municipalityName: BASE_OPTIONS.municipalityName, primaryOrder: ORDER.primaryOrder };
const emp = (over: Partial<EmployeeSpec> & { id: string; cpr: string }): EmployeeSpec => ({ orgUnit: '2', ...over });
const EMPLOYEES = [
  emp({ id: '2000', cpr: A, entryDate: '2015-01-01', workContractText: 'Timeløn' }),
  emp({ id: '1000', cpr: A, entryDate: '2018-01-01', workContractText: 'Månedsløn' }),
  emp({ id: '3001', cpr: B, entryDate: '2016-01-01', workContractText: 'Timeløn' }),
  emp({ id: '3000', cpr: B, entryDate: '2016-01-01', workContractText: 'Timeløn' }),
];

for (const kind of moKinds()) {
  describe(`recomputing the primary engagement from MO (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);
    const classes = new Map<string, string>();
    const primaries = async (ids: string[]) => {
      const out: Record<string, string[]> = {};
      for (const e of await env.client.engagements.read({ userKeys: ids }, 'all')) {
        out[e.validities[0]!.userKey] = e.validities.map((v) => `${v.from}..${v.to ?? ''} ${v.primaryUuid ? classes.get(v.primaryUuid) : 'none'}`);
      }
      return out;
    };
    const classUuid = (userKey: string) => [...classes].find(([, k]) => k === userKey)![0];
    const engagement = async (id: string) => (await env.client.engagements.read({ userKeys: [id] }, 'all'))[0]!;
    const RIGHT = {
      '1000': ['2018-01-01.. primary'],
      '2000': ['2015-01-01..2018-01-01 primary', '2018-01-01.. non-primary'],
      '3000': ['2016-01-01.. primary'],
      '3001': ['2016-01-01.. non-primary'],
    };

    before(async () => {
      const { report } = await env.run(env.dump('2024-01-01', dumpXml(TREE, EMPLOYEES)), null, ORDER);
      assert.deepEqual(report.failures, []);
      for (const c of await env.client.classes.byFacet('primary_type')) classes.set(c.uuid, c.userKey);
      assert.deepEqual(await primaries(['1000', '2000', '3000', '3001']), RIGHT);
    });

    it('finds nothing to do after an import: the import wrote each class', async () => {
      const { plan } = await recomputePrimary(env.client, { all: true }, { ...OPTIONS, dryRun: true });
      assert.deepEqual(plan.ops.map((o) => o.reason), []);
    });

    it('corrects a class changed by hand for the owners of the named employments, and leaves the others', async () => {
      await env.client.engagements.update({ uuid: (await engagement('1000')).uuid, primaryUuid: classUuid('non-primary'), from: '2018-01-01', to: null });
      await env.client.engagements.update({ uuid: (await engagement('3000')).uuid, primaryUuid: classUuid('non-primary'), from: '2016-01-01', to: null });
      const { plan, people, report } = await recomputePrimary(env.client, { cprs: [], employmentIds: ['2000'] }, OPTIONS);
      assert.equal(people, 1);
      assert.deepEqual(report?.failures, []);
      assert.deepEqual(plan.ops.map((o) => `${o.subject.label}: ${o.reason}`), ['employment 1000: primary engagement: "Ansat" from 2018-01-01']);
      assert.deepEqual(await primaries(['1000', '2000', '3000']), { '1000': RIGHT['1000'], '2000': RIGHT['2000'], '3000': ['2016-01-01.. non-primary'] });
    });

    it('with --all corrects everybody, follows "Manuelt primær" set by hand, and then writes nothing', async () => {
      // 3000 is still wrong from the test before; 3001 is made explicitly primary from 2020 in MO's GUI.
      await env.client.engagements.update({ uuid: (await engagement('3001')).uuid, primaryUuid: classUuid('explicitly-primary'), from: '2020-01-01', to: null });
      const { plan, report } = await recomputePrimary(env.client, { all: true }, OPTIONS);
      assert.deepEqual(report?.failures, []);
      assert.deepEqual(plan.ops.map((o) => `${o.subject.label}: ${o.reason}`), ['employment 3000: primary engagement: "Ansat" from 2016-01-01 to 2020-01-01']);
      assert.deepEqual(await primaries(['3000', '3001']), {
        '3000': ['2016-01-01..2020-01-01 primary', '2020-01-01.. non-primary'],
        '3001': ['2016-01-01..2020-01-01 non-primary', '2020-01-01.. explicitly-primary'],
      });
      assert.equal((await recomputePrimary(env.client, { all: true }, { ...OPTIONS, dryRun: true })).plan.ops.length, 0, 'nothing left to write');
    });
  });
}

describe('the steps of one dump with a worker’s prepared dumps (local MO)', { skip: await moSkip('local') }, () => {
  const env = useImportEnv('local');

  it('read the dump once where the steps without them read it three times, and write the same', async () => {
    const opened: string[] = [];
    const counting = (): DumpSource => ({
      description: env.source.description,
      list: () => env.source.list(),
      open: (name) => {
        opened.push(name);
        return env.source.open(name);
      },
      close: async () => {},
    });
    const day1 = env.dump('2024-03-01', dumpXml(TREE, EMPLOYEES));
    const day2 = env.dump('2024-03-02', dumpXml(TREE, [...EMPLOYEES.slice(0, 2), emp({ id: '3001', cpr: B, entryDate: '2016-01-01', workContractText: 'Månedsløn' }), EMPLOYEES[3]!]));
    const step = { approved: true, attempt: 1, resumedAfter: null };
    const source = counting();

    // Before the card's steps: validation, then each write step planned from a fresh read.
    await validateDump(source, day1);
    await runImportStep(env.client, source, { name: day1, previous: null }, env.settings(ORDER), 'units', step);
    await runImportStep(env.client, source, { name: day1, previous: null }, env.settings(ORDER), 'employees', step);
    assert.equal(opened.filter((n) => n === day1).length, 3, 'three reads of the dump before');

    // The card's steps: parseDump prepares, the diff steps and computePrimary plan from what it kept.
    opened.length = 0;
    const parsed = new ParsedDumps();
    const fetched = { dump: { name: day2, sha256: 'b'.repeat(64) }, previous: { name: day1, sha256: 'a'.repeat(64) } } as const;
    const settings = { ...env.settings(ORDER), prepared: parsed.forRun(fetched as never, env.settings(ORDER)) };
    const ref = { name: day2, previous: day1 };
    const parses = parseCount();
    await prepareDump(source, ref, settings);
    const units = await runImportStep(env.client, source, ref, settings, 'units', step);
    const employees = await runImportStep(env.client, source, ref, settings, 'employees', step);
    const primary = await runPrimaryStep(env.client, source, ref, settings, step);
    assert.equal(parseCount() - parses, 1, 'one preparation of the dump per run');
    assert.deepEqual(opened, [day2, day1], 'the dump and the previous one read once each');
    assert.deepEqual(parsed.forRun(fetched as never, env.settings(ORDER)).counts(), { units: 4, employments: 4, leaves: 0, rejected: 0, diagnostics: [] });
    assert.equal(units.result.failureCount + employees.result.failureCount, 0);
    // 3001 became Månedsløn, and so primary: the employees step wrote both classes; nothing was left for computePrimary.
    assert.ok(employees.result.planned > 0);
    assert.equal(primary.result.planned, 0, JSON.stringify(primary.report.failures));
  });
});
