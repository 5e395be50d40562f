#!/usr/bin/env node
// Runs the whole suite with node's built-in test runner (through tsx, Node 20 has no type stripping).
// Node 20 cannot expand globs itself, so the files are found here. In CI (env CI set) a skipped or todo
// test fails the run: CI must exercise every test against the real daemons.
//
//   npm test                      every test file under test/
//   npm test -- test/opus         only files under that path (or matching that substring)
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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

const files = findTests(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)));
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
child.on('exit', (code, signal) => {
  const tap = readFileSync(tapFile, 'utf8');
  // The summary is all it was for: leave no file behind per run.
  rmSync(tapFile, { force: true });
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  // Node 20 leaves a skipped describe() out of '# skipped': count the TAP directives, suites included.
  const directives = (name) => (tap.match(new RegExp(`^\\s*(?:not )?ok \\d+ - .* # ${name}\\b`, 'gim')) ?? []).length;
  const summary = { tests: count('tests'), pass: count('pass'), fail: count('fail'), skipped: directives('SKIP'), todo: directives('TODO') };
  console.log(
    `\nmoflow tests: ${summary.tests} tests, ${summary.pass} passed, ${summary.fail} failed, ${summary.skipped} skipped, ${summary.todo} todo (${files.length} files)`,
  );
  if (process.env.CI && summary.skipped + summary.todo > 0) {
    console.error('CI runs every test: a skipped or todo test fails the run (install the daemon it names).');
    process.exit(1);
  }
  process.exit(signal ? 1 : (code ?? 1));
});
