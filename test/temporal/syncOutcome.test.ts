// A sync that ran every dump but had writes refused by MO is not "up to date" and nothing more: it says
// "imported with N refused writes", where the full list is, and exits non-zero for scripts. `moflow opus apply`
// says how many failures it did not list and where they all are.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { refusedSince, syncOutcomeText } from '../../src/temporal/syncOutcome.js';
import { reportSummary } from '../../src/sync/planText.js';
import type { ImportReport } from '../../src/sync/apply.js';

const run = (dump: string, start: string, memo: Record<string, unknown>, status = 'COMPLETED') =>
  ({ workflowId: `opus-import-${dump}`, startTime: new Date(start), status: { name: status }, memo: { dump, ...memo } }) as unknown as WorkflowExecutionInfo;

describe('how a sync ended', () => {
  const since = new Date('2026-01-01T10:00:00Z');
  const runs = [
    run('ZLPE20240101223000_delta.xml', '2026-01-01T09:00:00Z', { failureCount: 7 }), // an earlier sync's
    run('ZLPE20240102223000_delta.xml', '2026-01-01T10:00:01Z', { failureCount: 0 }),
    run('ZLPE20240103223000_delta.xml', '2026-01-01T10:00:02Z', { failureCount: 3 }),
    run('ZLPE20240104223000_delta.xml', '2026-01-01T10:00:03Z', { summary: 'created 4, updated 2, failed 2 in 0.1 s' }),
    run('ZLPE20240105223000_delta.xml', '2026-01-01T10:00:04Z', {}, 'FAILED'),
  ];
  const result = { outcome: 'up to date' as const, note: null, imported: 3, last: 'ZLPE20240104223000_delta.xml' };

  it('counts the refused writes of the dumps this sync imported, from their memos', () => {
    assert.deepEqual(refusedSince(runs, since), [
      { dump: 'ZLPE20240103223000_delta.xml', refused: 3 },
      { dump: 'ZLPE20240104223000_delta.xml', refused: 2 },
    ]);
  });

  it('"imported with N refused writes", where the full list is, and exit code 1', () => {
    const { line, exitCode } = syncOutcomeText(result, refusedSince(runs, since));
    assert.equal(exitCode, 1);
    assert.match(line, /^OPUS sync up to date: 3 dump\(s\) imported, imported with 5 refused write\(s\) \(ZLPE20240103223000_delta\.xml: 3, ZLPE20240104223000_delta\.xml: 2\)/);
    assert.match(line, /full list is in <data folder>\/opus\/reports\/<dump>\.json/);
  });

  it('a clean sync says so and exits 0', () => {
    assert.deepEqual(syncOutcomeText(result, []), { line: 'OPUS sync up to date: 3 dump(s) imported', exitCode: 0 });
  });
});

describe('opus apply with refused writes', () => {
  const failures = Array.from({ length: 60 }, (_, i) => ({ opusId: String(i), subject: `employment ${i}`, write: 'engagement create', reason: 'refused', errorKey: 'E' }));
  const report: ImportReport = { dump: 'ZLPE20240101223000_delta.xml', effective: '2024-01-02', counts: {}, failures, issues: [], durationMs: 10 };

  it('lists the first 50, says how many more and where all of them are', () => {
    const text = reportSummary(report, { fullList: '/data/opus/reports/x.apply-failures.json' });
    assert.equal(text.split('\n').filter((l) => l.startsWith('  engagement create')).length, 50);
    assert.match(text, /^ {2}… and 10 more \(all in \/data\/opus\/reports\/x\.apply-failures\.json\)$/m);
    assert.match(text, /^imported with 60 refused write\(s\); the full list is in \/data\/opus\/reports\/x\.apply-failures\.json$/m);
  });
});
