import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compareDumps } from '../../src/opus/compare.js';
import { isCalendarDate, parseDumpName } from '../../src/opus/dumpName.js';
import { addDays, addYears, daysBetween } from '../../src/opus/generate/calendar.js';
import { generateDumps, type GenerateOptions, type GenerateProgress, type GenerateResult } from '../../src/opus/generate/index.js';
import { readDump, readWholeDump } from '../../src/opus/reader.js';
import type { Employment, OrgUnit } from '../../src/opus/records.js';

const SMALL = { units: 40, employees: 800, days: 5, seed: 7, startDate: '2024-03-01' } as const;
const root = await mkdtemp(join(tmpdir(), 'moflow-generate-'));
after(() => rm(root, { recursive: true, force: true }));

const generate = (dir: string, options: Partial<GenerateOptions> = {}) => generateDumps({ outDir: join(root, dir), ...SMALL, ...options });
const read = (path: string) => readWholeDump(createReadStream(path), { file: path });
type Dump = Awaited<ReturnType<typeof read>>;
/** A record without where it was read from, to compare records of different files. */
const content = ({ source: _source, ...rest }: { source: unknown }) => rest;

let main: GenerateResult;
let dumps: Dump[];
const reports: GenerateProgress[] = [];
before(async () => {
  main = await generate('main', { onProgress: (p) => reports.push(p) });
  dumps = await Promise.all(main.files.map((f) => read(f.path)));
});

describe('synthetic OPUS dumps', () => {
  it('are byte-identical for the same seed and differ for another seed', async () => {
    const again = await generate('again');
    const other = await generate('other', { seed: 8 });
    assert.deepEqual(again.files.map((f) => f.name), main.files.map((f) => f.name));
    for (const [i, f] of main.files.entries()) {
      assert.ok((await readFile(f.path)).equals(await readFile(again.files[i]!.path)), `${f.name} differs between runs`);
    }
    const cprs = (d: Dump) => new Set(d.employments.map((e) => e.cpr));
    const otherFirst = await read(other.files[0]!.path);
    const shared = [...cprs(otherFirst)].filter((c) => cprs(dumps[0]!).has(c));
    assert.ok(shared.length < 10, `seeds 7 and 8 share ${shared.length} CPR numbers`);
    for (const [i, f] of other.files.entries()) assert.ok(!(await readFile(f.path)).equals(await readFile(main.files[i]!.path)));
  });

  it('writes one file per day, named ZLPE<timestamp>_delta.xml at about 22:40, and reports what each holds', async () => {
    assert.equal(main.files.length, SMALL.days + 1);
    assert.deepEqual((await readdir(join(root, 'main'))).sort(), main.files.map((f) => f.name).sort(), 'no .tmp file is left');
    for (const [i, f] of main.files.entries()) {
      const parsed = parseDumpName(f.name);
      assert.ok(parsed.ok, f.name);
      assert.equal(parsed.dump.date, addDays(SMALL.startDate, i));
      assert.match(parsed.dump.timestamp, /T22:4[0-2]:\d\d$/);
      assert.equal(f.bytes, (await stat(f.path)).size);
      const d = dumps[i]!;
      assert.deepEqual([f.units, f.employments, f.leaves], [d.orgUnits.length, d.employments.length, d.leaves.length]);
    }
    assert.equal(main.files[0]!.employments, SMALL.employees);
    assert.equal(main.files[0]!.units, SMALL.units);
  });

  it('reports progress through every file, ending each at its record count', () => {
    for (const [i, f] of main.files.entries()) {
      const mine = reports.filter((p) => p.file === f.name);
      assert.ok(mine.length > 0 && mine.every((p) => p.fileIndex === i && p.files === main.files.length));
      const total = f.units + f.employments + f.leaves;
      assert.deepEqual(mine.map((p) => p.totalRecords), mine.map(() => total));
      assert.equal(mine.at(-1)!.records, total);
      assert.ok(mine.every((p, j) => j === 0 || p.records >= mine[j - 1]!.records));
    }
  });

  it('parses without a single rejected record, units first, in the layout of the real dumps', async () => {
    for (const [i, d] of dumps.entries()) {
      assert.deepEqual(d.diagnostics, [], main.files[i]!.name);
      assert.equal(d.rejected.length, 0);
      const lastUnit = Math.max(...d.orgUnits.map((u) => u.source.line));
      assert.ok([...d.employments, ...d.leaves].every((e) => e.source.line > lastUnit));
    }
    const text = await readFile(main.files[0]!.path, 'utf8');
    assert.ok(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<kmd>\n <orgUnit id="'));
    assert.ok(text.endsWith(' </employee>\n</kmd>\n') || text.endsWith('action="leave"/>\n</kmd>\n'));
    assert.match(text, /\n {2}<cpr suppId="0">\d{10}<\/cpr>\n/);
    assert.match(text, /\n {2}<parentOrgUnit\/>\n/);
    assert.match(text, /&amp;/, 'names with & are escaped');
    assert.match(text, /[æøåÆØÅ]/);
  });

  it('keeps every dump consistent: units and parents exist, ids unique, CPRs well-formed, data clean', () => {
    for (const [i, d] of dumps.entries()) {
      const date = addDays(SMALL.startDate, i);
      const units = new Map(d.orgUnits.map((u) => [u.id, u]));
      assert.equal(units.size, d.orgUnits.length, 'unit ids are unique');
      const ids = [...d.employments, ...d.leaves].map((e) => e.id);
      assert.equal(new Set(ids).size, ids.length, 'employment ids are unique');
      const roots = d.orgUnits.filter((u) => u.parentOrgUnit === null);
      assert.equal(roots.length, 1);
      assert.match(roots[0]!.longName ?? '', / Kommune$/);
      const depth = (u: OrgUnit): number => (u.parentOrgUnit === null ? 0 : 1 + depth(units.get(u.parentOrgUnit)!));
      for (const u of d.orgUnits) {
        if (u.parentOrgUnit !== null) assert.ok(units.has(u.parentOrgUnit), `parent of unit ${u.id} is missing`);
        assert.ok(depth(u) <= 5);
      }
      assert.ok(Math.max(...d.orgUnits.map(depth)) >= 2, 'the tree has at least three levels');
      const people = new Map<string, Employment>();
      const managed = new Set<string>();
      for (const e of d.employments) {
        const unit = units.get(e.orgUnit ?? '');
        assert.ok(unit, `employment ${e.id} is in unit ${e.orgUnit}, which is not in the dump`);
        assert.ok(unit.startDate! <= date && date <= unit.endDate!, `employment ${e.id} is in unit ${unit.id}, not active on ${date}`);
        assertCpr(e.cpr, SMALL.startDate);
        const same = people.get(e.cpr);
        if (same) assert.deepEqual([same.firstName, same.lastName], [e.firstName, e.lastName], 'one CPR is one person');
        people.set(e.cpr, e);
        assert.ok(e.entryDate && e.position && e.firstName && e.lastName, `employment ${e.id} is incomplete`);
        if (e.leaveDate) assert.ok(e.leaveDate >= e.entryDate, `employment ${e.id} ends before it starts`);
        if (e.isManager) {
          assert.ok(!managed.has(unit.id), `unit ${unit.id} has two managers`);
          managed.add(unit.id);
          assert.ok(Number(e.superiorLevel) >= 1 && e.subordinateLevel === e.superiorLevel!.padStart(2, '0'));
        }
      }
      assert.ok(people.size < d.employments.length, 'some people have several employments');
      assert.ok(managed.size >= d.orgUnits.length / 3, `only ${managed.size} managers`);
    }
    const all = dumps.flatMap((d) => d.employments);
    assert.ok(all.some((e) => e.functions.some((f) => f.roleText)) && all.some((e) => e.functions.some((f) => !f.roleText)));
    assert.ok(all.some((e) => e.addressProtected && e.address === null), 'some addresses are protected');
    assert.ok(all.some((e) => e.leaveDate && e.leaveDate > SMALL.startDate), 'some leaves are announced ahead');
    assert.ok(new Set(all.map((e) => e.workPhone?.length ?? 0)).size >= 4, 'work phones come in several forms');
    assert.ok(all.some((e) => e.email) && all.some((e) => !e.email) && all.some((e) => e.userId));
    assert.ok(dumps[0]!.orgUnits.some((u) => u.longName?.includes('&')) || all.some((e) => e.lastName?.includes("'")));
    assert.ok(dumps[0]!.orgUnits.some((u) => u.orgType === null) && dumps[0]!.orgUnits.some((u) => u.street === null));
  });

  it('changes about 1% of employments a day, with every kind of change, and marks exactly those changed', async () => {
    const seen = new Set<string>();
    for (let i = 1; i < dumps.length; i++) {
      const [before, now] = [dumps[i - 1]!, dumps[i]!];
      const date = addDays(SMALL.startDate, i);
      const diff = await compareDumps(entries(main.files[i - 1]!.path), entries(main.files[i]!.path));
      const moved = diff.employees.new.length + diff.employees.changed.length + diff.employees.gone.length;
      const rate = moved / before.employments.length;
      assert.ok(rate >= 0.003 && rate <= 0.03, `day ${i}: ${(rate * 100).toFixed(2)}% of employments changed`);

      const old = new Map(before.employments.map((e) => [e.id, e]));
      const oldLeaves = new Set(before.leaves.map((l) => l.id));
      const nowIds = new Set([...now.employments, ...now.leaves].map((e) => e.id));
      const changed = new Set(diff.employees.changed);
      for (const e of now.employments) {
        const was = old.get(e.id);
        if (!was) {
          if (!oldLeaves.has(e.id)) seen.add('hire');
          continue;
        }
        // lastChanged moves exactly when the record changes.
        assert.equal(e.lastChanged === date, changed.has(e.id), `employment ${e.id} lastChanged ${e.lastChanged}`);
        if (was.cpr === e.cpr && changed.has(e.id)) for (const kind of kindsOfChange(was, e)) seen.add(kind);
      }
      for (const l of now.leaves) if (old.has(l.id)) seen.add('leave');
      for (const id of oldLeaves) assert.ok(nowIds.has(id), `leave stub ${id} stays in later dumps`);
      if (diff.employees.gone.length > 0) seen.add('cancel');
      for (const id of diff.employees.gone) assert.ok(old.has(id), `only employments are cancelled, not leave stubs (${id})`);

      const oldUnits = new Map(before.orgUnits.map((u) => [u.id, u]));
      for (const u of now.orgUnits) {
        const was = oldUnits.get(u.id);
        if (!was) seen.add('unit new');
        else if (was.endDate !== u.endDate) seen.add('unit closed');
        else if (was.longName !== u.longName) seen.add('unit renamed');
        else if (was.parentOrgUnit !== u.parentOrgUnit) seen.add('unit moved');
        else if (was.street !== u.street || was.phoneNumber !== u.phoneNumber) seen.add('unit address');
        if (was) assert.equal(u.lastChanged === date, diff.orgUnits.changed.includes(u.id), `unit ${u.id} lastChanged`);
      }
      if (diff.orgUnits.gone.length > 0) seen.add('unit vanished');
      for (const id of diff.orgUnits.gone) assert.notEqual(oldUnits.get(id)!.endDate, '9999-12-31', `unit ${id} vanished without being closed`);
    }
    const kinds = ['hire', 'leave', 'cancel', 'announced leave', 'move', 'title', 'contract', 'name', 'manager', 'manager level', 'phone', 'email', 'user id', 'address', 'role'];
    const unitKinds = ['unit new', 'unit closed', 'unit renamed', 'unit moved', 'unit address', 'unit vanished'];
    assert.deepEqual([...kinds, ...unitKinds].filter((k) => !seen.has(k)), []);
  });

  it('writes ISO-8859-1 when asked, decoding to the same records as UTF-8', async () => {
    const latin = await generate('latin1', { encoding: 'iso-8859-1', days: 1 });
    for (const [i, f] of latin.files.entries()) {
      const bytes = await readFile(f.path);
      assert.ok(bytes.subarray(0, 60).toString('latin1').startsWith('<?xml version="1.0" encoding="ISO-8859-1"?>'));
      assert.ok(bytes.includes(0xf8) && !bytes.includes(Buffer.from('ø', 'utf8')), 'ø is one byte');
      const d = await read(f.path);
      const utf = dumps[i]!;
      assert.deepEqual(d.orgUnits.map(content), utf.orgUnits.map(content));
      assert.deepEqual(d.employments.map(content), utf.employments.map(content));
      assert.deepEqual(d.leaves.map(content), utf.leaves.map(content));
    }
  });

  it('leaves out entryDate or position in a few records only when faults are asked for', async () => {
    const faulty = await read((await generate('faults', { faults: true, days: 0 })).files[0]!.path);
    assert.equal(faulty.rejected.length, 0);
    const spoiled = faulty.employments.filter((e) => !e.entryDate || !e.position);
    assert.ok(spoiled.length >= 1 && spoiled.length <= 2, `${spoiled.length} faulty records`);
  });

  it('refuses options it cannot honour', async () => {
    await assert.rejects(generate('bad', { units: 0 }), /units/);
    await assert.rejects(generate('bad', { employees: 1.5 }), /employees/);
    await assert.rejects(generate('bad', { startDate: '2024-02-30' }), /startDate/);
  });

  it('does date arithmetic like the calendar', () => {
    for (let n = -40_000; n < 40_000; n += 13) {
      const expected = new Date(Date.UTC(2000, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
      assert.equal(addDays('2000-01-01', n), expected);
      assert.equal(daysBetween('2000-01-01', expected), n);
    }
    assert.equal(addYears('2024-02-29', 1), '2025-03-01');
    assert.equal(addYears('2024-02-29', -4), '2020-02-29');
  });
});

describe('moflow opus generate', () => {
  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { Command } from 'commander';
         import { registerGenerateCommand } from './src/cli/opusGenerate.ts';
         const program = new Command('moflow').exitOverride();
         registerGenerateCommand(program.command('opus'));
         try { await program.parseAsync(process.argv.slice(1), { from: 'user' }); } catch (e) { process.exit(e.exitCode ?? 1); }`,
        'opus',
        'generate',
        ...args,
      ],
      { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8' },
    );

  it('writes the dumps and prints a summary with sizes and speed', () => {
    const out = join(root, 'cli');
    const run = cli('--out', out, '--units', '20', '--employees', '300', '--days', '1', '--seed', '3', '--start', '2025-06-01');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^ZLPE20250601224\d{3}_delta\.xml {2}\d+\.\d MB {2}20 units {2}300 employments/m);
    assert.match(run.stdout, /^2 files, \d+\.\d MB in \d+\.\d s \(\d+\.\d MB\/s\)/m);
  });

  it('explains a bad number instead of generating', () => {
    const run = cli('--out', join(root, 'cli-bad'), '--employees', 'many');
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /--employees <n>.*many.*whole number/);
  });
});

function entries(path: string) {
  return readDump(createReadStream(path), { file: path });
}

/** DDMMYY is a real birth date of someone 18–67 at `onDate`, and the 7th digit agrees with the century. */
function assertCpr(cpr: string, onDate: string): void {
  assert.match(cpr, /^\d{10}$/);
  const [dd, mm, yy, c] = [cpr.slice(0, 2), cpr.slice(2, 4), Number(cpr.slice(4, 6)), Number(cpr[6])];
  const century = c <= 3 ? 1900 : c === 4 || c === 9 ? (yy <= 36 ? 2000 : 1900) : yy <= 57 ? 2000 : 1800;
  const birth = `${century + yy}-${mm}-${dd}`;
  assert.ok(isCalendarDate(birth), `CPR ${dd}${mm}${String(yy).padStart(2, '0')}-xxxx is not a date`);
  const age = daysBetween(birth, onDate) / 365.25;
  assert.ok(age >= 17.9 && age <= 67.1, `born ${birth}: aged ${age.toFixed(1)}`);
}

/** What changed between two versions of an employment, in the words of the test above. */
function kindsOfChange(was: Employment, now: Employment): string[] {
  const kinds: string[] = [];
  if (was.orgUnit !== now.orgUnit) kinds.push('move');
  if (was.position !== now.position && !now.isManager) kinds.push('title');
  if (was.workContract !== now.workContract) kinds.push('contract');
  if (was.firstName !== now.firstName || was.lastName !== now.lastName) kinds.push('name');
  if (was.isManager !== now.isManager) kinds.push('manager');
  else if (now.isManager && was.superiorLevel !== now.superiorLevel) kinds.push('manager level');
  if (was.workPhone !== now.workPhone) kinds.push('phone');
  if (was.email !== now.email) kinds.push('email');
  if (was.userId !== now.userId) kinds.push('user id');
  if (was.address !== now.address || was.addressProtected !== now.addressProtected) kinds.push('address');
  if (JSON.stringify(was.functions) !== JSON.stringify(now.functions)) kinds.push('role');
  if (!was.leaveDate && now.leaveDate) kinds.push('announced leave');
  return kinds;
}
