// npm run bench:history — `moflow opus history` over a year of nightly runs: a first import of 20,000
// employments (about 95,000 journal lines) and 364 nightly deltas of about 100 writes each, then the history
// of one employment and of one person, timed (median of 5). Options: --employees N, --nights N.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { historyOf } from '../src/opusRuns/history.js';
import { appendJournal } from '../src/opusRuns/journal.js';
import type { JournalEntry } from '../src/sync/apply.js';

const { values: opts } = parseArgs({ options: { employees: { type: 'string', default: '20000' }, nights: { type: 'string', default: '364' } } });
const employees = Number(opts.employees);
const nights = Number(opts.nights);
const person = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const entry = (i: number, write: string, reason: string): JournalEntry => ({
  opusId: String(100000 + i),
  person: person(i),
  subject: `employment ${100000 + i}`,
  write,
  from: '2024-01-01',
  to: null,
  reason,
  outcome: write.endsWith('create') ? 'created' : 'updated',
});

const dir = mkdtempSync(join(tmpdir(), 'moflow-bench-history-'));
try {
  let t = performance.now();
  const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10).replace(/-/g, '');
  const first = Array.from({ length: employees }, (_, i) => [
    entry(i, 'person create', 'new person'),
    entry(i, 'engagement create', 'new employment'),
    entry(i, 'itUser create', 'Opus account'),
    entry(i, 'address create', 'work email'),
    ...(i % 4 === 0 ? [entry(i, 'address create', 'work phone')] : []),
  ]).flat();
  appendJournal(dir, `ZLPE${day(0)}223000_delta.xml`, 'employees', first);
  for (let n = 1; n <= nights; n++) {
    const writes = Array.from({ length: 100 }, (_, k) => entry((n * 7919 + k * 104729) % employees, 'engagement update', 'job function changed'));
    appendJournal(dir, `ZLPE${day(n)}223000_delta.xml`, 'employees', writes);
  }
  console.log(`wrote ${first.length.toLocaleString('en')} + ${(nights * 100).toLocaleString('en')} journal lines in ${nights + 1} runs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const target = (7919 * 3 + 104729 * 5) % employees;
  for (const [label, query] of [
    ['employment', { opusId: String(100000 + target) }],
    ['person', { persons: [person(target)] }],
  ] as const) {
    const times: number[] = [];
    let runs = 0;
    for (let k = 0; k < 5; k++) {
      t = performance.now();
      runs = historyOf(dir, query).length;
      times.push(performance.now() - t);
    }
    times.sort((x, y) => x - y);
    console.log(`history of one ${label}: ${runs} runs found, ${times[2]!.toFixed(0)} ms (median of 5; min ${times[0]!.toFixed(0)}, max ${times[4]!.toFixed(0)})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
