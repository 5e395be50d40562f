import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareDumps } from '../../src/opus/compare.js';
import { readDump } from '../../src/opus/reader.js';
import { FIXTURE_1, FIXTURE_2, XML_HEAD, fixtureEntries } from '../support/fixtures.js';

const dump = (...children: string[]) => readDump([Buffer.from(`${XML_HEAD}<kmd>${children.join('')}</kmd>`)], { file: 'x.xml' });
const EMP =
  '<entryDate>2020-01-01</entryDate><cpr>0101901234</cpr><firstName>A</firstName><position>P</position><orgUnit>1</orgUnit>';
const emp = (id: string, body = EMP, last = '2024-01-01') => `<employee id="${id}" client="813" lastChanged="${last}">${body}</employee>`;

describe('comparing dumps', () => {
  it('finds the changes of fixture 0101 → 0102 exactly as DIPEX does', async () => {
    const diff = await compareDumps(fixtureEntries(FIXTURE_1), fixtureEntries(FIXTURE_2));
    // DIPEX's "changed units 2, 3, 4, 5": 2 (seNr) and 3 (parent) changed, 4 and 5 are new.
    assert.deepEqual(diff.orgUnits.changed, ['2', '3']);
    assert.deepEqual(diff.orgUnits.new, ['4', '5']);
    assert.deepEqual(diff.orgUnits.unchanged, ['1']);
    assert.deepEqual(diff.orgUnits.gone, []);
    // DIPEX's "changed 1000, 1001, 9991": 1000 and 1001 changed, the leave stub 9991 is new;
    // 1002 differs only in indentation, leave stub 999 is in both.
    assert.deepEqual(diff.employees.changed, ['1000', '1001']);
    assert.deepEqual(diff.employees.unchanged, ['999', '1002']);
    assert.deepEqual(diff.employees.gone, ['1006']);
    assert.deepEqual(diff.employees.new, ['9991']);
    assert.deepEqual(diff.diagnostics, []);
  });

  it('finds nothing changed when a dump is compared with itself', async () => {
    for (const name of [FIXTURE_1, FIXTURE_2]) {
      const diff = await compareDumps(fixtureEntries(name), fixtureEntries(name));
      assert.deepEqual([...diff.orgUnits.changed, ...diff.orgUnits.new, ...diff.orgUnits.gone], []);
      assert.deepEqual([...diff.employees.changed, ...diff.employees.new, ...diff.employees.gone], []);
    }
  });

  it('treats everything as new without a previous dump', async () => {
    const diff = await compareDumps(null, fixtureEntries(FIXTURE_1));
    assert.deepEqual(diff.orgUnits.new, ['1', '2', '3']);
    assert.deepEqual(diff.employees.new, ['999', '1000', '1001', '1002', '1006']);
  });

  it('ignores lastChanged, numerator and denominator but nothing else', async () => {
    const before = dump(emp('1'), emp('2'), emp('3'), emp('4'));
    const after = dump(
      emp('1', EMP, '2025-05-05'),
      emp('2', `${EMP}<numerator>37</numerator><denominator>37</denominator>`),
      emp('3', EMP.replace('<firstName>A</firstName>', '<firstName>B</firstName>')),
      emp('4', `${EMP}<payGradeText>X</payGradeText>`),
    );
    const diff = await compareDumps(before, after);
    assert.deepEqual(diff.employees.unchanged, ['1', '2']);
    assert.deepEqual(diff.employees.changed, ['3', '4']);
  });

  it('never reports a rejected record as gone, and reports its diagnostics', async () => {
    const before = dump(emp('1'), emp('2'));
    const after = dump(emp('1'), emp('2', EMP.replace(/<cpr>\d+<\/cpr>/, '')));
    const diff = await compareDumps(before, after);
    assert.deepEqual(diff.employees.gone, []);
    assert.deepEqual(diff.employees.invalid, ['2']);
    assert.deepEqual(diff.diagnostics.map((d) => [d.opusId, d.code]), [['2', 'MISSING_CPR']]);
  });

  it('marks a duplicated id invalid rather than changed or unchanged', async () => {
    const diff = await compareDumps(dump(emp('1'), emp('2')), dump(emp('1'), emp('2'), emp('1')));
    assert.deepEqual(diff.employees.invalid, ['1']);
    assert.deepEqual(diff.employees.unchanged, ['2']);
  });
});
