import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DumpReadError, readDump, readWholeDump } from '../../src/opus/reader.js';
import { formatDiagnostic } from '../../src/opus/records.js';
import { FIXTURE_1, FIXTURE_2, XML_HEAD, readFixture, readText } from '../support/fixtures.js';

const employee = (id: string, body: string, attrs = '') =>
  `<employee id="${id}" client="813" lastChanged="2024-01-01"${attrs}>${body}</employee>`;
const EMP_BODY =
  '<entryDate>2020-01-01</entryDate><leaveDate/><cpr suppId="0">0101901234</cpr><firstName>Anna</firstName>' +
  '<lastName>Hansen</lastName><position>Pædagog</position><isManager>false</isManager><orgUnit>1</orgUnit>';
const unit = (id: string, body = '<longName>Enhed</longName>') =>
  `<orgUnit id="${id}" client="813" lastChanged="2024-01-01">${body}</orgUnit>`;
const kmd = (...children: string[]) => `${XML_HEAD}<kmd>\n${children.join('\n')}\n</kmd>\n`;

describe('reading the real fixtures', () => {
  it('reads every unit, employment and leave stub of file 0101 with their fields', async () => {
    const dump = await readFixture(FIXTURE_1);
    assert.deepEqual(dump.orgUnits.map((u) => u.id), ['1', '2', '3']);
    assert.deepEqual(dump.employments.map((e) => e.id), ['1000', '1001', '1002', '1006']);
    assert.deepEqual(dump.leaves.map((l) => l.id), ['999']);
    assert.deepEqual(dump.rejected, []);

    const root = dump.orgUnits[0]!;
    assert.equal(root.longName, 'Andeby Kommune');
    assert.equal(root.street, 'Paradisæblevej 1');
    assert.equal(root.parentOrgUnit, null, 'an empty <parentOrgUnit/> is null');
    assert.equal(root.orgTypeTxt, 'Organisation');
    assert.equal(root.costCenter, null, 'absent element is null');
    assert.equal(dump.orgUnits[1]!.costCenter, '345300000000');
    assert.deepEqual(root.source, { file: FIXTURE_1, line: 3 });

    const e = dump.employments[0]!;
    assert.equal(e.cpr, '0101010000');
    assert.equal(e.cprSuppId, '0');
    assert.equal(e.entryDate, null);
    assert.equal(e.workPhone, null);
    assert.equal(e.numerator, '1', 'whitespace around values is trimmed');
    assert.equal(e.isManager, false);
    assert.equal(e.orgUnit, '3');
    assert.equal(e.address, 'Testvej 10');
    assert.equal(e.addressProtected, false);
  });

  it('reads file 0102 with two leave stubs', async () => {
    const dump = await readFixture(FIXTURE_2);
    assert.deepEqual(dump.leaves.map((l) => l.id), ['9991', '999']);
    assert.deepEqual(dump.orgUnits.map((u) => u.id), ['1', '2', '3', '4', '5']);
  });
});

describe('reading records', () => {
  it('works with exactly one orgUnit and one employee (DIPEX crashes there)', async () => {
    const dump = await readText(kmd(unit('1'), employee('7', EMP_BODY)));
    assert.equal(dump.orgUnits.length, 1);
    assert.equal(dump.employments.length, 1);
    assert.equal(dump.employments[0]!.firstName, 'Anna');
  });

  it('works with only one employee and no units', async () => {
    const dump = await readText(kmd(employee('7', EMP_BODY)));
    assert.deepEqual(dump.employments.map((e) => e.id), ['7']);
    assert.equal(dump.orgUnits.length, 0);
  });

  it('marks an address with attributes or children as protected and never reads its text', async () => {
    const withAttr = employee('1', EMP_BODY + '<address protected="true">Hemmelig Vej 1</address><postalCode>8000</postalCode>');
    const withChild = employee('2', EMP_BODY + '<address><line>Skjult 2</line></address>');
    const plain = employee('3', EMP_BODY + '<address>Åbenvej 3</address>');
    const dump = await readText(kmd(withAttr, withChild, plain));
    const [a, b, c] = dump.employments;
    assert.equal(a!.addressProtected, true);
    assert.equal(a!.address, null);
    assert.equal(a!.postalCode, '8000');
    assert.equal(b!.addressProtected, true);
    assert.equal(b!.address, null);
    assert.equal(c!.addressProtected, false);
    assert.equal(c!.address, 'Åbenvej 3');
  });

  it('reads function elements (roles), email, userId and unknown children', async () => {
    const body =
      EMP_BODY +
      '<email> anna@andeby.dk </email><userId>AH1234</userId><productionNumber>4</productionNumber>' +
      '<function startDate="2021-01-01" endDate="9999-12-31"><artText>Tillidsrepræsentant</artText><roleText>TR</roleText></function>' +
      '<function startDate="2022-02-01" endDate="2022-12-31"><artText>Sikkerhedsleder</artText></function>';
    const dump = await readText(kmd(employee('1', body)));
    const e = dump.employments[0]!;
    assert.equal(e.email, 'anna@andeby.dk');
    assert.equal(e.userId, 'AH1234');
    assert.deepEqual(e.extra, { productionNumber: '4' });
    assert.deepEqual(e.functions, [
      { artText: 'Tillidsrepræsentant', roleText: 'TR', startDate: '2021-01-01', endDate: '9999-12-31' },
      { artText: 'Sikkerhedsleder', roleText: null, startDate: '2022-02-01', endDate: '2022-12-31' },
    ]);
  });

  it('decodes entities and isManager values', async () => {
    const dump = await readText(
      kmd(
        unit('1', '<longName>Kultur &amp; Fritid &#230;</longName>'),
        employee('1', EMP_BODY.replace('<isManager>false</isManager>', '<isManager>true</isManager>')),
        employee('2', EMP_BODY.replace('<isManager>false</isManager>', '<isManager/>')),
        employee('3', EMP_BODY.replace('<isManager>false</isManager>', '<isManager>maybe</isManager>')),
      ),
    );
    assert.equal(dump.orgUnits[0]!.longName, 'Kultur & Fritid æ');
    assert.deepEqual(dump.employments.map((e) => e.isManager), [true, null], 'an empty isManager is null (MO is left alone)');
    assert.deepEqual(dump.rejected.map((r) => [r.id, r.diagnostics[0]!.code]), [['3', 'BAD_VALUE']], '"maybe" is garbage, not "unknown"');
  });

  it('decodes an ISO-8859-1 dump by its declaration', async () => {
    const xml = `<?xml version="1.0" encoding="ISO-8859-1"?>\n<kmd>${unit('1', '<longName>Ærø Sø Plejehjem</longName><city>Århus</city>')}</kmd>`;
    const bytes = Buffer.from(xml, 'latin1');
    assert.equal(bytes.includes(Buffer.from('Æ', 'utf8')), false, 'the test input really is latin1');
    const dump = await readWholeDump([bytes.subarray(0, 50), bytes.subarray(50)], { file: 'ZLPE20240101_delta.xml' });
    assert.equal(dump.orgUnits[0]!.longName, 'Ærø Sø Plejehjem');
    assert.equal(dump.orgUnits[0]!.city, 'Århus');
  });

  it('keeps UTF-8 characters split across chunk boundaries intact', async () => {
    const xml = kmd(unit('1', '<longName>æøåÆØÅ æøåÆØÅ æøåÆØÅ</longName>'));
    for (const size of [1, 2, 3, 5]) {
      const dump = await readText(xml, 'ZLPE20240101_delta.xml', size);
      assert.equal(dump.orgUnits[0]!.longName, 'æøåÆØÅ æøåÆØÅ æøåÆØÅ');
    }
  });

  it('yields records while reading, before the whole file has arrived', async () => {
    let released = false;
    async function* slowInput() {
      yield Buffer.from(kmd(unit('1'), unit('2'), unit('3'), unit('4'), unit('5')).replace('</kmd>\n', ''));
      await new Promise((r) => setTimeout(r, 20));
      released = true;
      yield Buffer.from('</kmd>\n');
    }
    const iterator = readDump(slowInput(), { file: 'x.xml' });
    const first = await iterator.next();
    assert.equal(first.done, false);
    assert.equal(released, false, 'the first record arrived before the rest of the input was read');
    const rest = [];
    for await (const e of iterator) rest.push(e);
    assert.equal(rest.length, 4);
  });
});

describe('bad input', () => {
  const file = 'ZLPE20240102_delta.xml';

  it('fails malformed XML with file, line and the OPUS id being read', async () => {
    const xml = kmd(unit('1'), employee('42', EMP_BODY.replace('</firstName>', '</fornavn>')), unit('3'));
    await assert.rejects(readText(xml, file), (err: unknown) => {
      assert.ok(err instanceof DumpReadError);
      assert.equal(err.diagnostic.code, 'MALFORMED_XML');
      assert.equal(err.diagnostic.file, file);
      assert.equal(err.diagnostic.line, 4);
      assert.equal(err.diagnostic.opusId, '42');
      assert.match(err.message, /^ZLPE20240102_delta\.xml:4: malformed XML: a close tag does not match the open <firstName> \(expected <\/firstName>\) inside employee id=42$/);
      return true;
    });
  });

  it('fails a truncated file', async () => {
    const xml = kmd(unit('1'), unit('2')).slice(0, -12);
    await assert.rejects(readText(xml, file), (err: unknown) => err instanceof DumpReadError && err.diagnostic.code === 'MALFORMED_XML');
  });

  it('fails a file whose root is not <kmd>, and an empty file', async () => {
    await assert.rejects(readText(`${XML_HEAD}<html></html>`, file), /root element is <html>, expected <kmd>/);
    await assert.rejects(readWholeDump([], { file }), /ZLPE20240102_delta.xml:1: malformed XML: document must contain a root element/);
  });

  it('fails an encoding it cannot decode, naming it', async () => {
    const xml = '<?xml version="1.0" encoding="EBCDIC-CP-DK"?><kmd/>';
    await assert.rejects(readText(xml, file), (err: unknown) => {
      assert.ok(err instanceof DumpReadError);
      assert.equal(err.diagnostic.code, 'UNSUPPORTED_ENCODING');
      assert.match(err.message, /EBCDIC-CP-DK/);
      return true;
    });
  });

  it('rejects one bad record with a diagnostic and keeps every other record', async () => {
    const xml = kmd(
      unit('1'),
      '<orgUnit client="813"><longName>Uden id</longName></orgUnit>',
      employee('10', EMP_BODY),
      employee('11', EMP_BODY.replace(/<cpr[^>]*>\d+<\/cpr>/, '')),
      employee('12', EMP_BODY.replace('2020-01-01', '2020-02-30')),
      employee('13', EMP_BODY.replace('0101901234', '01019')),
      employee('14', EMP_BODY, ' action="cancel"'),
      employee('15', EMP_BODY + '<function startDate="31-12-2020" endDate="9999-12-31"><artText>TR</artText></function>'),
      '<employee id="16" client="813" action="leave"/>',
      employee('17', EMP_BODY),
    );
    const dump = await readText(xml, file);
    assert.deepEqual(dump.orgUnits.map((u) => u.id), ['1']);
    assert.deepEqual(dump.employments.map((e) => e.id), ['10', '17']);
    assert.deepEqual(dump.leaves.map((l) => l.id), ['16']);
    const byId = Object.fromEntries(dump.rejected.map((r) => [r.id ?? 'none', r.diagnostics.map((d) => d.code)]));
    assert.deepEqual(byId, {
      none: ['MISSING_ID'],
      '11': ['MISSING_CPR'],
      '12': ['BAD_DATE'],
      '13': ['BAD_CPR'],
      '14': ['UNKNOWN_ACTION'],
      '15': ['BAD_DATE'],
    });
    const lines = dump.rejected.map((r) => r.source.line);
    assert.deepEqual(lines, [4, 6, 7, 8, 9, 10]);
    for (const d of dump.diagnostics) {
      assert.equal(d.file, file);
      assert.match(formatDiagnostic(d), new RegExp(`^${file}:\\d+: (orgUnit|employee)`));
    }
    const badDate = dump.diagnostics.find((d) => d.opusId === '12')!;
    assert.match(badDate.message, /<entryDate>2020-02-30<\/entryDate> is not a date/);
  });

  it('never puts a CPR number into a diagnostic', async () => {
    const dump = await readText(kmd(employee('13', EMP_BODY.replace('0101901234', '010190123'))), file);
    const text = dump.diagnostics.map(formatDiagnostic).join('\n');
    assert.doesNotMatch(text, /010190123/);
  });

  it('reports a duplicate id naming both lines and trusts neither occurrence', async () => {
    const xml = kmd(unit('1'), unit('2'), unit('1', '<longName>Anden</longName>'), employee('7', EMP_BODY), employee('7', EMP_BODY));
    const dump = await readText(xml, file);
    const dups = dump.diagnostics.filter((d) => d.code === 'DUPLICATE_ID');
    assert.deepEqual(
      dups.map((d) => [d.element, d.opusId, d.line]),
      [
        ['orgUnit', '1', 5],
        ['employee', '7', 7],
      ],
    );
    assert.match(dups[0]!.message, /first at line 3/);
    // The reader hands both occurrences on; the rejected second one tells the consumer not to trust the id.
    assert.deepEqual(dump.rejected.map((r) => [r.element, r.id]), [
      ['orgUnit', '1'],
      ['employee', '7'],
    ]);
  });
});
