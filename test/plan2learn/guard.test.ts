// The export guard's rule (src/plan2learn/guard.ts) and the row count it compares (csvRows.ts). Shipping
// with the guard against real FTPES and SFTP servers is in ship.test.ts / shipSftp.test.ts, through Temporal
// in test/temporal/plan2learnExport.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCsv } from '../../src/plan2learn/csvFormat.js';
import { countCsvRows, CsvRowCounter } from '../../src/plan2learn/csvRows.js';
import { approvalOf, checkShrink } from '../../src/plan2learn/guard.js';

const files = (rows: Record<string, number>) => Object.entries(rows).map(([name, n]) => ({ name, rows: n }));
const server = (rows: Record<string, number | null>) => new Map(Object.entries(rows));
const rule = { maxShrinkShare: 0.1 };

describe('the Plan2Learn export guard', () => {
  it('lets a file lose up to the share, and grow; holds one that loses more, naming it, before → after and the share', () => {
    assert.equal(checkShrink(files({ 'bruger.csv': 90, 'leder.csv': 30 }), server({ 'bruger.csv': 100, 'leder.csv': 10 }), rule), null);
    const hold = checkShrink(files({ 'bruger.csv': 89, 'leder.csv': 10 }), server({ 'bruger.csv': 100, 'leder.csv': 10 }), rule);
    assert.deepEqual(hold?.files, [{ name: 'bruger.csv', before: 100, after: 89, share: 0.11 }]);
    assert.equal(hold?.reason, 'bruger.csv 100 → 89 rows (-11.0%): more than exporters.plan2learn.max_shrink_share (10.0%) of the rows shipped before would go');
  });

  it('holds a file that becomes empty even under a generous share; a first export (nothing on the server) ships', () => {
    const hold = checkShrink(files({ 'leder.csv': 0, 'bruger.csv': 5 }), server({ 'leder.csv': 1, 'bruger.csv': null }), { maxShrinkShare: 1 });
    assert.deepEqual(hold?.files.map((f) => [f.name, f.before, f.after]), [['leder.csv', 1, 0]]);
    assert.match(hold!.reason, /leder\.csv 1 → 0 rows \(empty\)/);
    assert.equal(checkShrink(files({ 'bruger.csv': 0 }), server({ 'bruger.csv': null }), rule), null);
    assert.equal(checkShrink(files({ 'bruger.csv': 0 }), server({ 'bruger.csv': 0 }), rule), null, 'nothing to lose');
  });

  it('an approval accepts the held files down to the rows approved; a further shrink, or another file, holds again', () => {
    const hold = checkShrink(files({ 'bruger.csv': 50, 'leder.csv': 10 }), server({ 'bruger.csv': 100, 'leder.csv': 10 }), rule)!;
    const approved = approvalOf(hold);
    assert.deepEqual(approved, { 'bruger.csv': 50 });
    assert.equal(checkShrink(files({ 'bruger.csv': 50, 'leder.csv': 10 }), server({ 'bruger.csv': 100, 'leder.csv': 10 }), { ...rule, approved }), null);
    assert.equal(checkShrink(files({ 'bruger.csv': 52, 'leder.csv': 10 }), server({ 'bruger.csv': 100, 'leder.csv': 10 }), { ...rule, approved }), null);
    const again = checkShrink(files({ 'bruger.csv': 49, 'leder.csv': 5 }), server({ 'bruger.csv': 100, 'leder.csv': 10 }), { ...rule, approved });
    assert.deepEqual(again?.files.map((f) => f.name), ['bruger.csv', 'leder.csv']);
    assert.deepEqual(approvalOf(again!, approved), { 'bruger.csv': 49, 'leder.csv': 5 });
    assert.equal(checkShrink(files({ 'bruger.csv': 0 }), server({ 'bruger.csv': 100 }), { ...rule, approved: 'any' }), null, '--approve-shrink');
  });

  it("counts data rows as DIPEX writes them: header left out, quoted line breaks and quotes inside a field, a missing last CRLF", () => {
    const csv = renderCsv(['a', 'b'], [['x', 'y'], ['two\r\nlines', 'say "hi"'], ['', null]]);
    assert.equal(countCsvRows(csv), 3);
    assert.equal(countCsvRows(csv.subarray(0, csv.length - 2)), 3);
    assert.equal(countCsvRows(renderCsv(['a'], [])), 0);
    assert.equal(countCsvRows(Buffer.alloc(0)), 0);
    // Streamed in chunks that split a quoted line break.
    const counter = new CsvRowCounter();
    for (let i = 0; i < csv.length; i += 3) counter.write(csv.subarray(i, i + 3));
    assert.equal(counter.rows(), 3);
  });
});
