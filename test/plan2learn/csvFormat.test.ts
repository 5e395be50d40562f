// DIPEX's CSV dialect (spec §1.0), as raw bytes. The expected bytes are what Python's
// csv.writer(delimiter=";", quoting=csv.QUOTE_ALL) writes, e.g. the spec's local run b'"a";"b"\r\n"";"1"\r\n'.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCsv } from '../../src/plan2learn/csvFormat.js';

describe('CSV dialect', () => {
  it('matches the spec\'s local run of DIPEX', () => {
    assert.equal(renderCsv(['a', 'b'], [[null, '1']]).toString('latin1'), '"a";"b"\r\n"";"1"\r\n');
  });

  it('quotes every field, doubles quotes, keeps ";" and line breaks inside the quotes', () => {
    const bytes = renderCsv(['x'], [['x"y'], ['a;b'], ['line1\nline2'], ['cr\r\nlf'], [''], [' padded ']]);
    assert.equal(bytes.toString('utf8'), '"x"\r\n"x""y"\r\n"a;b"\r\n"line1\nline2"\r\n"cr\r\nlf"\r\n""\r\n" padded "\r\n');
  });

  it('writes UTF-8 without a BOM', () => {
    const bytes = renderCsv(['Primær'], [['Børnehuset']]);
    assert.deepEqual([...bytes.subarray(0, 3)], [0x22, 0x50, 0x72], 'starts with "Pr, no EF BB BF');
    assert.equal(bytes.toString('hex'), Buffer.from('"Primær"\r\n"Børnehuset"\r\n', 'utf8').toString('hex'));
  });

  it('writes the header alone when there are no rows', () => {
    assert.equal(renderCsv(['BrugerId', 'CPR'], []).toString('utf8'), '"BrugerId";"CPR"\r\n');
  });
});
