#!/usr/bin/env node
// Runs the whole suite with node's built-in test runner (through tsx, Node 20 has no type stripping).
// Node 20 cannot expand globs itself, so the files are found here. In CI (env CI set) a skipped or todo
// test fails the run: CI must exercise every test against the real daemons.
//
//   npm test                      every test file under test/
//   npm test -- test/opus         only files under that path (or matching that substring)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

// MOFLOW_TESTS_DIR: another folder of tests (this script's own test runs it on a fixture).
const files = findTests(process.env.MOFLOW_TESTS_DIR ?? join(root, 'test')).filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}

mkdirSync(join(root, '.test-results'), { recursive: true });
// One file per run: two runs at once (a developer and an agent) must not read each other's summary.
const tapFile = join(root, '.test-results', `tap-${process.pid}.txt`);
const args = [
  '--import',
  'tsx',
  '--test',
  // Integration tests start their own daemons; one file at a time keeps 2 cores from thrashing.
  '--test-concurrency=1',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tapFile}`,
  ...files,
];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
const started = Date.now();
child.on('exit', (code, signal) => {
  // No file: the runner died before it reported anything.
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  // The summary is all it was for: leave no file behind per run.
  rmSync(tapFile, { force: true });
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  // Node's own counts, so both summaries agree: tests = passed + failed + cancelled + skipped + todo. A skipped
  // describe() is not among them (its tests never run); it is listed below, once, with its reason.
  const summary = { tests: count('tests'), pass: count('pass'), fail: count('fail'), cancelled: count('cancelled'), skipped: count('skipped'), todo: count('todo') };
  const skips = skippedByReason(tap);
  const suites = [...skips.values()].reduce((n, s) => n + s.suites.length, 0);
  const took = Math.round((Date.now() - started) / 1000);
  console.log(
    `\nmoflow tests: ${summary.tests} tests, ${summary.pass} passed, ${summary.fail} failed, ${summary.skipped} skipped, ${summary.todo} todo` +
      `${summary.cancelled ? `, ${summary.cancelled} cancelled` : ''}; ${suites} suite(s) skipped whole (${files.length} files, ${Math.floor(took / 60)} min ${took % 60} s)`,
  );
  for (const [reason, s] of skips) {
    const what = [s.suites.length ? `${s.suites.length} suite(s)` : '', s.tests ? `${s.tests} test(s)` : ''].filter(Boolean).join(' and ');
    console.log(`  skipped: ${what}: ${reason}${s.suites.length ? ` (${s.suites.slice(0, 3).join('; ')}${s.suites.length > 3 ? '; …' : ''})` : ''}`);
  }
  if (process.env.CI && summary.skipped + summary.todo + suites > 0) {
    console.error('CI runs every test: a skipped or todo test fails the run (install the daemon it names).');
    process.exit(1);
  }
  process.exit(signal ? 1 : (code ?? 1));
});

/**
 * Every SKIP directive, grouped by what brings the missing piece: the Debian package a reason names
 * ("smbd not found (apt-get install samba)" → "apt-get install samba"), else the reason itself. A suite
 * (its YAML block says type: 'suite') counts once, however many tests it holds.
 */
function skippedByReason(tap) {
  const lines = tap.split('\n');
  const groups = new Map();
  lines.forEach((line, i) => {
    const m = /^\s*ok \d+ - (.*?) # SKIP ?(.*)$/.exec(line);
    if (!m) return;
    let suite = false;
    for (let j = i + 1; j < lines.length && !/^\s*\.\.\.$/.test(lines[j]); j++) if (/type: 'suite'/.test(lines[j])) suite = true;
    const reason = m[2] || 'no reason given';
    const key = reason.match(/apt-get install [\w.+-]+(?: [\w.+-]+)*/g)?.join(', ') ?? reason;
    const group = groups.get(key) ?? { suites: [], tests: 0 };
    if (suite) group.suites.push(m[1]);
    else group.tests += 1;
    groups.set(key, group);
  });
  return groups;
}
