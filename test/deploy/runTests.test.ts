// `npm test`'s own summary agrees with Node's: tests = passed + failed + skipped + todo, and a suite skipped
// for a missing daemon is listed once with the package that brings it, not counted per directive.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('scripts/run-tests.mjs summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moflow-run-tests-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('adds up, and names each skipped suite once with its package', async () => {
    writeFileSync(
      join(dir, 'fixture.test.ts'),
      `import { describe, it } from 'node:test';
describe('SMB source', { skip: 'smbd not found (apt-get install samba)' }, () => { it('a', () => {}); it('b', () => {}); });
describe('SMB CLI', { skip: 'smbd not found (apt-get install samba)' }, () => { it('c', () => {}); });
describe('runs', () => { it('d', () => {}); it('e', { skip: 'sshd not found (apt-get install openssh-server)' }, () => {}); it('f', { todo: true }, () => {}); });
`,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, MOFLOW_TESTS_DIR: dir, CI: '' };
    delete env.NODE_TEST_CONTEXT; // set inside a test run; the child would think it is a nested run
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/run-tests.mjs'], { cwd: ROOT, env });
    const node = (name: string) => Number(new RegExp(`ℹ ${name} (\\d+)`).exec(stdout)?.[1]);
    const ours = /moflow tests: (\d+) tests, (\d+) passed, (\d+) failed, (\d+) skipped, (\d+) todo; (\d+) suite\(s\) skipped whole/.exec(stdout);
    assert.ok(ours, stdout);
    const [tests, pass, fail, skipped, todo, suites] = ours.slice(1).map(Number) as [number, number, number, number, number, number];
    assert.deepEqual([tests, pass, fail, skipped, todo], [node('tests'), node('pass'), node('fail'), node('skipped'), node('todo')], 'the same counts as Node');
    assert.equal(tests, pass + fail + skipped + todo);
    assert.deepEqual([tests, pass, skipped, todo, suites], [3, 1, 1, 1, 2]);
    assert.match(stdout, /^ {2}skipped: 2 suite\(s\): apt-get install samba \(SMB source; SMB CLI\)$/m);
    assert.match(stdout, /^ {2}skipped: 1 test\(s\): apt-get install openssh-server$/m);
  });
});
