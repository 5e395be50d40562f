// The CPR mapping file as DIPEX wrote it (cp1252, every field quoted) and as people keep it (UTF-8, BOM,
// unquoted): what it maps, the errors that name the line (never the CPR), and the file as moflow writes it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeCprMap, readCprMapFile, writeCprMapFile } from '../../src/cprmap/file.js';
import { CprMapError, formatCprMap, parseCprMap } from '../../src/cprmap/format.js';

const U1 = '1034f987-555a-4183-bad1-2c5846117cee';
const U2 = '2c0d1ab6-6e0b-4a4e-9d52-0d7c1f3c1a10';

describe('the CPR mapping file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moflow-cprmap-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads DIPEX's export: header, quoted fields, empty AD columns, CRLF", () => {
    const text = '"cpr";"mo_uuid";"ad_guid";"sam_account_name"\r\n"0101701111";"' + U1 + '";"";""\r\n"0202702222";"' + U2.toUpperCase() + '";"";"ab12"\r\n';
    assert.deepEqual([...parseCprMap(text, 'map.csv')], [
      ['0101701111', U1],
      ['0202702222', U2],
    ]);
  });

  it('reads unquoted fields, a BOM, blank lines, another column order and a dash in the CPR', () => {
    const text = '\uFEFFmo_uuid;cpr;sam_account_name;ad_guid\n\n' + `${U1};010170-1111;jens;\n`;
    assert.deepEqual([...parseCprMap(text, 'map.csv')], [['0101701111', U1]]);
  });

  it('an empty file, or only the header, maps nobody (a first import)', () => {
    assert.equal(parseCprMap('', 'map.csv').size, 0);
    assert.equal(parseCprMap('cpr;mo_uuid;ad_guid;sam_account_name\n', 'map.csv').size, 0);
  });

  it('decodes cp1252 (DIPEX) and UTF-8 alike', () => {
    const cp1252 = Buffer.concat([Buffer.from('cpr;mo_uuid;ad_guid;sam_account_name\n0101701111;' + U1 + ';;'), Buffer.from([0xe6, 0xf8, 0xe5]), Buffer.from('\n')]);
    assert.match(decodeCprMap(cp1252), /;æøå\n$/);
    assert.match(decodeCprMap(Buffer.from('x;æøå', 'utf8')), /;æøå$/);
  });

  it('a malformed row is an error naming the file and line, never the CPR', () => {
    const header = 'cpr;mo_uuid;ad_guid;sam_account_name';
    const cases: [string, RegExp][] = [
      [`${header}\n0101701111;${U1};;\n0101701112;not-a-uuid;;\n`, /map\.csv line 3: mo_uuid "not-a-uuid" is not a uuid/],
      [`${header}\n0101701111;0202702222;;\n`, /map\.csv line 2: mo_uuid "020270-xxxx" is not a uuid/],
      [`${header}\n01017011;${U1};;\n`, /map\.csv line 2: the cpr is not 10 digits/],
      [`${header}\n0101701111;${U1}\n`, /map\.csv line 2: 2 fields, the header has 4/],
      [`${header}\n"0101701111;${U1};;\n`, /map\.csv line 2: a quoted field is not closed/],
      [`${header}\n0101701111;${U1};;\n0101701111;${U2};;\n`, /map\.csv line 3: 010170-xxxx is mapped to two uuids \(also on line 2\)/],
      [`${header}\n0101701111;${U1};;\n0202702222;${U1};;\n`, /map\.csv line 3: mo_uuid .* is given to two CPR numbers \(also on line 2\)/],
      ['cpr;uuid\n0101701111;' + U1 + '\n', /map\.csv line 1: the header must name the columns cpr and mo_uuid/],
    ];
    for (const [text, expected] of cases) {
      assert.throws(() => parseCprMap(text, 'map.csv'), (error: Error) => {
        assert.ok(error instanceof CprMapError);
        assert.match(error.message, expected);
        assert.doesNotMatch(error.message, /0101701111|0202702222/);
        return true;
      });
    }
  });

  it('a configured file that is missing is an error that says what to do', async () => {
    await assert.rejects(readCprMapFile(join(dir, 'missing.csv')), /cannot read the CPR mapping .*missing\.csv \(ENOENT\).*export-cpr-map/);
  });

  it('writes what it reads: every field quoted, quotes doubled', async () => {
    const rows = [
      { cpr: '0101701111', moUuid: U1, adGuid: '', samAccountName: 'a"b' },
      { cpr: '0202702222', moUuid: U2, adGuid: '', samAccountName: '' },
    ];
    assert.equal(formatCprMap(rows).split('\n')[1], `"0101701111";"${U1}";"";"a""b"`);
    const path = join(dir, 'out.csv');
    await writeCprMapFile(path, rows);
    assert.deepEqual([...(await readCprMapFile(path))], [
      ['0101701111', U1],
      ['0202702222', U2],
    ]);
    writeFileSync(path, formatCprMap([]));
    assert.equal((await readCprMapFile(path)).size, 0);
  });
});
