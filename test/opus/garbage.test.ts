// Garbage a dump must never bring into MO silently (issue 14 §5): each kind is a per-record diagnostic
// with file, line and OPUS id while the rest of the dump reads, or a fatal one when the whole file is wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DumpReadError, readWholeDump } from '../../src/opus/reader.js';
import { formatDiagnostic } from '../../src/opus/records.js';
import { XML_HEAD, readText } from '../support/fixtures.js';

const FILE = 'ZLPE20240301_delta.xml';
const EMP =
  '<entryDate>2020-01-01</entryDate><leaveDate/><cpr suppId="0">0101901234</cpr><firstName>Søren</firstName>' +
  '<lastName>Ørsted</lastName><workPhone>12345678</workPhone><position>Pædagog</position><isManager>false</isManager><orgUnit>1</orgUnit>';
const UNIT = '<startDate>2000-01-01</startDate><endDate>9999-12-31</endDate><parentOrgUnit/><longName>Åby Skole</longName>';
const employee = (id: string, body = EMP) => `<employee id="${id}" client="813" lastChanged="2024-01-01">${body}</employee>`;
const unit = (id: string, body = UNIT) => `<orgUnit id="${id}" client="813" lastChanged="2024-01-01">${body}</orgUnit>`;
/** One record per line after the head: the record under test is on line 4. */
const dump = (record: string) => `${XML_HEAD}<kmd>\n${unit('1')}\n${record}\n${employee('900')}\n</kmd>\n`;

/** Reads a dump with one bad record on line 4 and returns that record's diagnostics; the rest must read. */
async function rejectedAtLine4(record: string, expectedId: string | null) {
  const result = await readText(dump(record), FILE, record.length > 100_000 ? 1 << 16 : 7);
  assert.deepEqual(result.orgUnits.map((u) => u.id).filter((id) => id === '1'), ['1'], 'the unit before it reads');
  assert.ok(result.employments.some((e) => e.id === '900'), 'the employment after it reads');
  assert.equal(result.rejected.length, 1, `one rejected record: ${JSON.stringify(result.rejected)}`);
  const [rejected] = result.rejected;
  assert.equal(rejected!.id, expectedId);
  for (const d of rejected!.diagnostics) {
    assert.equal(d.file, FILE);
    assert.equal(d.line, 4);
    assert.equal(d.opusId, expectedId);
  }
  return rejected!.diagnostics;
}

describe('garbage in one record: a diagnostic, and the rest imports', () => {
  it('a CPR whose first six digits are no date; the CPR is masked', async () => {
    const [d] = await rejectedAtLine4(employee('10', EMP.replace('0101901234', '9999991234')), '10');
    assert.equal(d!.code, 'BAD_CPR');
    assert.match(d!.message, /999999-xxxx does not start with a birth date/);
    assert.doesNotMatch(formatDiagnostic(d!), /9999991234/);
  });

  it('a substitute CPR (day + 60) is a date', async () => {
    const result = await readText(dump(employee('10', EMP.replace('0101901234', '6101901234'))), FILE);
    assert.deepEqual(result.rejected, []);
  });

  it('isManager="maybe"', async () => {
    const [d] = await rejectedAtLine4(employee('10', EMP.replace('>false<', '>maybe<')), '10');
    assert.equal(d!.code, 'BAD_VALUE');
    assert.match(d!.message, /<isManager>maybe<\/isManager> is neither true nor false/);
  });

  it('a unit that ends before it starts', async () => {
    const [d] = await rejectedAtLine4(unit('5', UNIT.replace('9999-12-31', '1999-12-31').replace('<parentOrgUnit/>', '<parentOrgUnit>1</parentOrgUnit>')), '5');
    assert.equal(d!.code, 'BAD_PERIOD');
    assert.match(d!.message, /ends \(endDate 1999-12-31\) before it starts \(startDate 2000-01-01\)/);
  });

  it('a unit that is its own parent', async () => {
    const [d] = await rejectedAtLine4(unit('5', UNIT.replace('<parentOrgUnit/>', '<parentOrgUnit>5</parentOrgUnit>')), '5');
    assert.equal(d!.code, 'BAD_PARENT');
  });

  it('a unit whose parent is in no <orgUnit> of the dump; a parent further down is found', async () => {
    const [d] = await rejectedAtLine4(unit('5', UNIT.replace('<parentOrgUnit/>', '<parentOrgUnit>77</parentOrgUnit>')), '5');
    assert.equal(d!.code, 'BAD_PARENT');
    assert.match(d!.message, /parent unit 77 is in no <orgUnit> of the dump/);
    const later = await readText(`${XML_HEAD}<kmd>\n${unit('5', UNIT.replace('<parentOrgUnit/>', '<parentOrgUnit>6</parentOrgUnit>'))}\n${unit('6')}\n</kmd>\n`, FILE);
    assert.deepEqual(later.orgUnits.map((u) => u.id).sort(), ['5', '6']);
  });

  it('ids that are no OPUS ids: negative, huge (cut in the message), letters; a parent or unit reference too', async () => {
    for (const id of ['-5', '1'.repeat(1_000_000), '12a']) {
      const [d] = await rejectedAtLine4(employee(id), null);
      assert.equal(d!.code, 'BAD_VALUE');
      assert.ok(formatDiagnostic(d!).length < 300, 'a long id is cut in the message');
    }
    const [p] = await rejectedAtLine4(unit('5', UNIT.replace('<parentOrgUnit/>', '<parentOrgUnit>-1</parentOrgUnit>')), '5');
    assert.equal(p!.code, 'BAD_VALUE');
    const [u] = await rejectedAtLine4(employee('10', EMP.replace('<orgUnit>1<', '<orgUnit>x<')), '10');
    assert.match(u!.message, /<orgUnit>x<\/orgUnit> is not an OPUS id/);
  });

  it('a 25,000,000-character <firstName> is measured, not kept, and cut in the message', async () => {
    const huge = 'A'.repeat(25_000_000);
    const [d] = await rejectedAtLine4(employee('10', EMP.replace('Søren', huge)), '10');
    assert.equal(d!.code, 'TOO_LONG');
    assert.match(d!.message, /<firstName> has 25000000 characters, more than the 200 it may hold: "A{40}… \(25000000 characters\)"/);
  });

  it('a phone number over 20 characters, a long date cut in its message', async () => {
    const [d] = await rejectedAtLine4(employee('10', EMP.replace('12345678', '1'.repeat(21))), '10');
    assert.equal(d!.code, 'TOO_LONG');
    const date = await rejectedAtLine4(employee('10', EMP.replace('2020-01-01', 'x'.repeat(5000))), '10');
    assert.deepEqual(date.map((d) => d.code).sort(), ['BAD_DATE', 'TOO_LONG']);
    for (const d of date) assert.ok(d.message.length < 200, d.message);
  });

  it('a protected address that is too long is reported without its text', async () => {
    const [d] = await rejectedAtLine4(employee('10', `${EMP}<address protected="true">Skjultvej ${'9'.repeat(300)}</address>`), '10');
    assert.equal(d!.code, 'TOO_LONG');
    assert.doesNotMatch(d!.message, /Skjultvej/);
  });

  it('invalid UTF-8 in text (which decoding turns into U+FFFD)', async () => {
    const bytes = Buffer.from(dump(employee('10')), 'utf8');
    const at = bytes.indexOf('Søren');
    bytes[at + 1] = 0xff; // the first byte of "ø" becomes one UTF-8 never uses
    const result = await readWholeDump([bytes], { file: FILE });
    assert.equal(result.rejected.length, 1);
    const [d] = result.rejected[0]!.diagnostics;
    assert.equal(d!.code, 'INVALID_UTF8');
    assert.equal(d!.line, 4);
    assert.match(d!.message, /<firstName> holds bytes that are not UTF-8/);
    assert.equal(result.employments.length, 1);
  });
});

describe('a whole file that is wrong: one fatal diagnostic, nothing read', () => {
  it('UTF-8 bytes in a file declared iso-8859-1 (Ø would become Ã˜)', async () => {
    const xml = dump(employee('10')).replace('encoding="utf-8"', 'encoding="iso-8859-1"');
    for (const chunk of [7, 1 << 20]) {
      const bytes = Buffer.from(xml, 'utf8');
      const chunks = [];
      for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
      await assert.rejects(readWholeDump(chunks, { file: FILE }), (err: unknown) => {
        assert.ok(err instanceof DumpReadError);
        assert.equal(err.diagnostic.code, 'WRONG_ENCODING');
        assert.equal(err.diagnostic.file, FILE);
        assert.equal(err.diagnostic.line, 3, 'the first UTF-8 letter: Å of "Åby Skole"');
        assert.match(err.message, /declares a single-byte encoding \(ISO-8859-1\) but holds UTF-8 text: bytes C3 85 are UTF-8 for "Å" and would be read as "Ã…"/);
        return true;
      });
    }
  });

  it('a real ISO-8859-1 file with æ, ø and å reads', async () => {
    const xml = dump(employee('10')).replace('encoding="utf-8"', 'encoding="iso-8859-1"');
    const result = await readWholeDump([Buffer.from(xml, 'latin1')], { file: FILE });
    assert.deepEqual(result.rejected, []);
    assert.equal(result.employments[0]!.firstName, 'Søren');
  });

  it('a DTD entity says DTD entities are not supported', async () => {
    const xml = `${XML_HEAD}<!DOCTYPE kmd [<!ENTITY navn "Søren">]>\n<kmd>\n${employee('10', EMP.replace('Søren', '&navn;'))}\n</kmd>\n`;
    await assert.rejects(readText(xml, FILE), (err: unknown) => {
      assert.ok(err instanceof DumpReadError);
      assert.equal(err.diagnostic.code, 'DTD_NOT_SUPPORTED');
      assert.equal(err.diagnostic.line, 4);
      assert.match(err.message, /DTD entities are not supported/);
      return true;
    });
  });

  it('a mismatched close tag names the tag expected and the OPUS id', async () => {
    await assert.rejects(readText(dump(employee('10', EMP.replace('</lastName>', '</fornavn>'))), FILE), (err: unknown) => {
      assert.ok(err instanceof DumpReadError);
      assert.match(err.message, /:4: malformed XML: a close tag does not match the open <lastName> \(expected <\/lastName>\) inside employee id=10$/);
      return true;
    });
  });
});
