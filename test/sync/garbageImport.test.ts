// Known garbage planned against MO (issue 14 §5 found it through `opus apply`): each kind of garbage in one
// record of a dump MO already holds is an issue naming file and line, and no write carries it (no 25 MB
// name, no negative or 1,000,000-digit id) or ends anything; garbage in the whole file stops the plan.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { DumpReadError } from '../../src/opus/reader.js';
import { BASE_DUMPS, GARBAGE_KINDS, prng } from '../support/opusFuzz.js';
import { dumpName, useImportEnv } from '../support/importEnv.js';
import { moKinds, moSkip } from '../support/moTargets.js';

const FATAL = new Set(['dtdEntity', 'mismatchedClose', 'utf8DeclaredLatin1']);

/** Every string in a write's input, however deep. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

for (const kind of moKinds()) {
  describe(`known garbage planned against MO (${kind})`, { skip: await moSkip(kind) }, () => {
    const env = useImportEnv(kind);
    const base = BASE_DUMPS[0]!;
    let first = '';
    before(async () => {
      first = env.dump('2024-08-01', base.xml);
      const { report } = await env.run(first, null);
      assert.deepEqual(report.failures, []);
    });

    for (const [i, garbage] of Object.keys(GARBAGE_KINDS).entries()) {
      it(garbage, async () => {
        const bytes = GARBAGE_KINDS[garbage]!(base.xml, prng(100 + i));
        assert.ok(bytes, `${garbage} applies to ${base.name}`);
        const name = dumpName(`2024-08-${String(2 + i).padStart(2, '0')}`);
        writeFileSync(join(env.dir, name), bytes);
        if (FATAL.has(garbage)) {
          await assert.rejects(env.plan(name, first, { full: true }), (err: unknown) => err instanceof DumpReadError && err.diagnostic.file === name && err.diagnostic.line > 0);
          return;
        }
        const { plan } = await env.plan(name, first, { full: true });
        assert.ok(plan.issues.some((issue) => issue.message.startsWith(`${name}:`) && /:\d+: (orgUnit|employee)/.test(issue.message)), JSON.stringify(plan.issues));
        for (const { op, subject } of plan.ops) {
          assert.ok(op.action !== 'terminate' && op.action !== 'delete', `${op.kind} ${op.action} ${subject.label}`);
          for (const s of strings(op.input)) {
            assert.ok(s.length <= 254 && !s.includes('\uFFFD') && !/^-\d/.test(s), `${op.kind} ${op.action} writes "${s.slice(0, 60)}"`);
          }
        }
        for (const issue of plan.issues) assert.ok(issue.message.length < 600, issue.message.slice(0, 100));
      });
    }
  });
}
