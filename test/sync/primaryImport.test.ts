// The primary engagement through real imports into each MO (local and OS2MO): classes of facet primary_type on every
// slice, the configured type order, the lowest employment number, a hand-set "explicitly-primary" kept, two of
// them reported, history sliced where the set of engagements changes; and nothing to write the second time.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useImportEnv } from '../support/importEnv.js';
import { dumpXml, TREE, type EmployeeSpec } from '../support/opusXml.js';
import { moKinds, moSkip } from '../support/moTargets.js';

const A = '0101801111';
const B = '0202802222';
const ORDER = { primaryOrder: ['Månedsløn', 'Timeløn'] };

for (const kind of moKinds()) {
  describe(`importing OPUS into MO: the primary engagement (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);
    const classOf = new Map<string, string>();
    before(async () => {
      for (const c of await env.client.classes.byFacet('primary_type')) classOf.set(c.uuid, c.userKey);
    });
    /** Each engagement's history as "from..to class", by employment id. */
    const primaries = async (ids: string[]) => {
      const out: Record<string, string[]> = {};
      for (const e of await env.client.engagements.read({ userKeys: ids }, 'all')) {
        out[e.validities[0]!.userKey] = e.validities.map((v) => `${v.from}..${v.to ?? ''} ${v.primaryUuid ? classOf.get(v.primaryUuid) : 'none'}${v.isPrimary ? ' (is_primary)' : ''}`);
      }
      return out;
    };
    const emp = (over: Partial<EmployeeSpec> & { id: string; cpr: string }): EmployeeSpec => ({ orgUnit: '2', ...over });

    it('the type listed first is primary, then the lowest employment number; an engagement alone is primary', async () => {
      const day1 = env.dump('2024-01-01', dumpXml(TREE, [
        emp({ id: '2000', cpr: A, entryDate: '2015-01-01', workContractText: 'Timeløn' }),
        emp({ id: '1000', cpr: A, entryDate: '2018-01-01', workContractText: 'Månedsløn' }),
        emp({ id: '3001', cpr: B, entryDate: '2016-01-01', workContractText: 'Timeløn' }),
        emp({ id: '3000', cpr: B, entryDate: '2016-01-01', workContractText: 'Timeløn' }),
      ]));
      const { report, plan } = await env.run(day1, null, ORDER);
      assert.deepEqual(report.failures, []);
      assert.deepEqual(await primaries(['1000', '2000', '3000', '3001']), {
        '1000': ['2018-01-01.. primary (is_primary)'],
        '2000': ['2015-01-01..2018-01-01 primary (is_primary)', '2018-01-01.. non-primary'],
        '3000': ['2016-01-01.. primary (is_primary)'],
        '3001': ['2016-01-01.. non-primary'],
      });
      // New engagements are created with their class: only 2000's later slice needs a write of its own.
      const primaryWrites = plan.ops.filter((o) => o.op.kind === 'engagement' && o.op.action === 'update');
      assert.deepEqual(primaryWrites.map((o) => `${o.subject.label}: ${o.reason}`), ['employment 2000: primary engagement: "Ikke-primær ansat" from 2018-01-01']);
      assert.equal((await env.plan(day1, null, { ...ORDER, full: true })).plan.ops.length, 0, 'nothing to write the second time');
    });

    it('without a type order the lowest employment number is primary', async () => {
      const day = env.dump('2024-01-02', dumpXml(TREE, [emp({ id: '700', cpr: '0303803333', workContractText: 'Timeløn' }), emp({ id: '80', cpr: '0303803333', workContractText: 'Timeløn', entryDate: '2015-01-01' })]));
      assert.deepEqual((await env.run(day, null)).report.failures, []);
      assert.deepEqual(await primaries(['80', '700']), { '80': ['2015-01-01.. primary (is_primary)'], '700': ['2015-01-01.. non-primary'] });
    });

    it('an ended engagement hands the primary back from the day it ends; a hand-set explicit primary stays', async () => {
      const [explicit] = (await env.client.classes.byFacet('primary_type')).filter((c) => c.userKey === 'explicitly-primary');
      const [e3001] = await env.client.engagements.read({ userKeys: ['3001'] }, 'all');
      await env.client.engagements.update({ uuid: e3001!.uuid, primaryUuid: explicit!.uuid, from: '2020-01-01', to: null });

      const day2 = env.dump('2024-02-01', dumpXml(TREE, [
        emp({ id: '2000', cpr: A, entryDate: '2015-01-01', workContractText: 'Timeløn' }),
        emp({ id: '1000', cpr: A, entryDate: '2018-01-01', workContractText: 'Månedsløn', leaveDate: '2024-06-30' }),
        emp({ id: '3001', cpr: B, entryDate: '2016-01-01', workContractText: 'Timeløn', position: 'Lærer' }),
        emp({ id: '3000', cpr: B, entryDate: '2016-01-01', workContractText: 'Timeløn' }),
      ]));
      const { report } = await env.run(day2, 'ZLPE20240101223000_delta.xml', ORDER);
      assert.deepEqual(report.failures, []);
      assert.deepEqual(await primaries(['1000', '2000', '3000', '3001']), {
        '1000': ['2018-01-01..2024-07-01 primary (is_primary)'],
        '2000': ['2015-01-01..2018-01-01 primary (is_primary)', '2018-01-01..2024-07-01 non-primary', '2024-07-01.. primary (is_primary)'],
        '3000': ['2016-01-01..2020-01-01 primary (is_primary)', '2020-01-01.. non-primary'],
        // The job function changed from the dump date: the explicit class is carried over, never rewritten.
        '3001': ['2016-01-01..2020-01-01 non-primary', '2020-01-01..2024-02-01 explicitly-primary (is_primary)', '2024-02-01.. explicitly-primary (is_primary)'],
      });
      assert.equal((await env.plan(day2, null, { ...ORDER, full: true })).plan.ops.length, 0);
    });

    it('two explicitly primary engagements at once are reported and their classes left alone', async () => {
      const [explicit] = (await env.client.classes.byFacet('primary_type')).filter((c) => c.userKey === 'explicitly-primary');
      const [e3000] = await env.client.engagements.read({ userKeys: ['3000'] }, 'all');
      await env.client.engagements.update({ uuid: e3000!.uuid, primaryUuid: explicit!.uuid, from: '2023-01-01', to: null });
      const before = await primaries(['3000', '3001']);
      const { plan } = await env.plan('ZLPE20240201223000_delta.xml', null, { ...ORDER, full: true });
      assert.deepEqual(plan.ops.map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}`), []);
      assert.ok(plan.issues.some((i) => /engagements 300[01] and 300[01] are both "Manuelt primær ansættelse" from 2023-01-01 to open/.test(i.message)), JSON.stringify(plan.issues));
      assert.deepEqual(await primaries(['3000', '3001']), before);
    });
  });
}
