// The drift check's words (src/opusRuns/driftText.ts): counts by kind and action, what happened to the
// differences, where the full list is, and the exit status scripts read (driftRemains).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driftRemains, driftSummary, driftText, type DriftResult } from '../../src/opusRuns/driftText.js';

const result = (over: Partial<DriftResult> = {}): DriftResult => ({
  dump: 'ZLPE20240105223000_delta.xml',
  previous: 'ZLPE20240104223000_delta.xml',
  checkedAt: '2024-01-07T02:00:00.000Z',
  differences: 3,
  counts: { orgUnit: { update: 1 }, engagement: { update: 1, create: 1 } },
  issues: 0,
  first: ['orgUnit update           unit 3 "Enhed 3": name differs'],
  reportFile: '/data/opus/drift/2024-01-07T02-00-00.000Z.json',
  fix: null,
  note: null,
  ...over,
});

describe('drift check text', () => {
  it('counts by kind and action, lists the first differences and says how to fix', () => {
    const text = driftText(result());
    assert.equal(text.split('\n')[0], 'drift check: MO against ZLPE20240105223000_delta.xml: 3 difference(s) (engagement update 1, engagement create 1, orgUnit update 1)');
    assert.match(text, /\n {2}orgUnit update {11}unit 3 "Enhed 3": name differs\n {2}… and 2 more\n {2}every difference is in \/data\/opus\/drift\/2024-01-07T02-00-00\.000Z\.json\n/);
    assert.match(text, /report only: `moflow opus drift --fix`/);
    assert.equal(driftRemains(result()), true);
  });

  it('says what the fix did, and only differences left standing count for the exit status', () => {
    const fixed = result({ fix: { written: 3, failed: 0, held: null, failures: [] } });
    assert.match(driftSummary(fixed), /; fixed: 3 write\(s\)$/);
    assert.doesNotMatch(driftText(fixed), /report only/);
    assert.equal(driftRemains(fixed), false);
    const refused = result({ fix: { written: 2, failed: 1, held: null, failures: ['engagement update employment 1001: MO said no'] } });
    assert.match(driftText(refused), /fixed: 2 write\(s\), 1 refused\n(.*\n)* {2}refused: engagement update employment 1001: MO said no$/);
    assert.equal(driftRemains(refused), true);
    const held = result({ fix: { written: 0, failed: 0, held: 'ends 40 of 50 engagements', failures: [] } });
    assert.match(driftSummary(held), /the fix is held back by the mass-change guard: ends 40 of 50 engagements$/);
    assert.equal(driftRemains(held), true);
    assert.equal(driftRemains(result({ differences: 0, counts: {}, first: [] })), false);
  });

  it('a check before any import says so', () => {
    const none = result({ dump: null, previous: null, differences: 0, counts: {}, first: [], reportFile: null, note: 'no dump has been imported yet (moflow opus status)' });
    assert.equal(driftText(none), 'drift check: nothing to compare: no dump has been imported yet (moflow opus status)');
  });
});
