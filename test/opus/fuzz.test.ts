// A few hundred mutated dumps from a fixed seed through the reader and the validation step: no crash, no
// hang, every fatal diagnostic names file and line, and no known garbage passes without a diagnostic.
// `npm run fuzz -- --count N --seed S` runs more (scripts/fuzz.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzz, GARBAGE_KINDS, type FuzzOutcome } from '../support/opusFuzz.js';

const COUNT = 400;
const SEED = 14;
/** A fixture reads in a few ms; even a mutation with a 2,000,000-character value must stay far below this. */
const MS_PER_DUMP = 5_000;

describe('fuzzed dumps', () => {
  it(`${COUNT} mutations of the fixtures (seed ${SEED}): no crash or hang, fatals name file and line, garbage never passes silently`, async () => {
    const outcomes: FuzzOutcome[] = [];
    for await (const outcome of fuzz(COUNT, SEED)) outcomes.push(outcome);
    assert.ok(outcomes.length > COUNT * 0.9, `most mutations apply (${outcomes.length} of ${COUNT})`);
    for (const o of outcomes) {
      assert.equal(o.crash, null, `${o.kind}: ${o.crash instanceof Error ? o.crash.stack : String(o.crash)}`);
      assert.ok(o.ms < MS_PER_DUMP, `${o.kind} took ${Math.round(o.ms)} ms`);
      for (const d of [...(o.fatal ? [o.fatal] : []), ...o.diagnostics]) {
        assert.match(d.file, /^ZLPE\d{8}_delta\.xml$/, `${o.kind}: ${d.message}`);
        assert.ok(Number.isInteger(d.line) && d.line >= 1, `${o.kind}: line ${d.line}`);
        assert.ok(d.message.length < 600, `${o.kind}: a message of ${d.message.length} characters`);
      }
      if (o.garbage) assert.ok(o.fatal !== null || o.diagnostics.length > 0, `${o.kind} passed without a diagnostic`);
    }
    const seen = new Set(outcomes.filter((o) => o.garbage).map((o) => o.kind));
    assert.deepEqual([...seen].sort(), Object.keys(GARBAGE_KINDS).sort(), 'every garbage kind was tried');
  });
});
