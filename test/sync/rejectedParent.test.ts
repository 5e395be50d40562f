// A unit the reader rejects stays as MO has it, and so does its subtree: the children's issue says the parent
// was rejected (not that it is missing from the dump), and nothing of the subtree is changed or ended.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dumpXml, TREE, type EmployeeSpec } from '../support/opusXml.js';
import { useImportEnv } from '../support/importEnv.js';
import { moKinds, moSkip } from '../support/moTargets.js';

const employee: EmployeeSpec = { id: '501', cpr: '0101701234', firstName: 'Anna', lastName: 'And', orgUnit: '4', entryDate: '2020-01-01' };

for (const kind of moKinds()) {
  describe(`a rejected parent unit (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);

    it("leaves its subtree as MO has it and says why in the children's issue", async () => {
      const first = env.dump('2024-05-01', dumpXml(TREE, [employee]));
      assert.deepEqual((await env.run(first, null)).report.failures, []);
      // Unit 2 now ends before it starts: rejected; unit 4 lies under it.
      const broken = TREE.map((u) => (u.id === '2' ? { ...u, startDate: '2024-01-01', endDate: '2023-01-01' } : u));
      const second = env.dump('2024-05-02', dumpXml(broken, [employee]));
      const { plan } = await env.plan(second, first, { full: true });
      const messages = plan.issues.map((i) => i.message);
      assert.ok(messages.some((m) => /orgUnit id=2 .*BAD_PERIOD/.test(m)), messages.join('\n'));
      assert.ok(messages.some((m) => m.includes('the parent unit 2 of unit 4 was rejected')), messages.join('\n'));
      assert.ok(!messages.some((m) => m.includes('is not in the dump')), messages.join('\n'));
      assert.deepEqual(plan.ops.filter((o) => o.op.kind === 'orgUnit' || o.op.action === 'terminate').map((o) => `${o.op.kind} ${o.op.action} ${o.subject.label}`), []);
    });
  });
}
