// A CLI that starts fast and never runs stale output: bin/moflow.js runs the build in dist/cli/, loads only the
// command group asked for, and rebuilds (or refuses) when a source changed after the build.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { groupOf, registerAll, registerFor, rootProgram } from '../../src/cli/program.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeArgs, bin, ...args], { env: { ...process.env, MOFLOW_SETTINGS: '', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const helpOf = (program: Command): string => program.helpInformation();

describe('moflow loads only the command group it runs', () => {
  it('finds the group past --settings and its value, and through `help <group>`', () => {
    assert.equal(groupOf(['--settings', 'config', 'opus', 'status']), 'opus');
    assert.equal(groupOf(['--settings=x.json', 'config', 'show']), 'config');
    assert.equal(groupOf(['help', 'worker']), 'worker');
    assert.equal(groupOf(['--help']), null);
    assert.equal(groupOf(['help']), null);
    assert.equal(groupOf([]), null);
  });

  it('the top-level help from the stand-ins is the help of every group module, word for word', async () => {
    const stand = rootProgram();
    await registerFor(stand, ['--help']);
    const full = rootProgram();
    await registerAll(full);
    assert.equal(helpOf(stand), helpOf(full));
    // A name that is no group registers them all, so commander's "did you mean" knows every command.
    const typo = rootProgram();
    await registerFor(typo, ['confg']);
    assert.equal(helpOf(typo), helpOf(full));
  });

  describe('what the built CLI imports', () => {
    let dir = '';
    let probe = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'moflow-startup-'));
      // A module hook that writes every URL the process resolves to the file in MOFLOW_PROBE_LOG.
      writeFileSync(
        join(dir, 'hooks.mjs'),
        "import { appendFileSync } from 'node:fs';\n" +
          'export async function resolve(specifier, context, next) {\n' +
          '  const resolved = await next(specifier, context);\n' +
          "  appendFileSync(process.env.MOFLOW_PROBE_LOG, resolved.url + '\\n');\n" +
          '  return resolved;\n' +
          '}\n',
      );
      probe = join(dir, 'probe.mjs');
      writeFileSync(probe, "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
      writeFileSync(join(dir, 'settings.json'), JSON.stringify({ 'mora.base': 'http://mo.example:5000' }));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    async function loaded(args: string[], name: string): Promise<{ ran: Ran; urls: string[] }> {
      const log = join(dir, `${name}.log`);
      writeFileSync(log, '');
      const ran = await run(join(ROOT, 'bin', 'moflow.js'), args, { MOFLOW_PROBE_LOG: log }, ['--import', probe]);
      return { ran, urls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
    }
    const heavy = /node_modules\/(@temporalio|@google-cloud|ldapts|node-smb2|pg|graphql|saxes|ssh2|basic-ftp)\//;

    it('moflow --help and moflow config show import no heavy package, and nothing from src/ through tsx', async () => {
      for (const [name, args] of [
        ['help', ['--help']],
        ['show', ['--settings', join(dir, 'settings.json'), 'config', 'show']],
      ] as const) {
        const { ran, urls } = await loaded([...args], name);
        assert.equal(ran.code, 0, ran.stderr);
        assert.deepEqual(urls.filter((u) => heavy.test(u)), [], `moflow ${args.join(' ')}`);
        assert.deepEqual(urls.filter((u) => u.endsWith('.ts') || u.includes('/node_modules/tsx/')), [], `moflow ${args.join(' ')}`);
        assert.ok(urls.some((u) => u.includes('/dist/cli/')), 'runs the build');
      }
    });

    it('the help of the Temporal, worker and MO commands imports none either: each command loads its own', async () => {
      for (const args of [['temporal', 'ping', '--help'], ['worker', '--help'], ['schedules', 'apply', '--help'], ['mo', 'serve', '--help']]) {
        const { ran, urls } = await loaded(args, args[0]!);
        assert.equal(ran.code, 0, ran.stderr);
        assert.deepEqual(urls.filter((u) => heavy.test(u)), [], `moflow ${args.join(' ')}`);
      }
    });

    it('a Temporal command that runs does import Temporal (the probe sees it)', async () => {
      const { ran, urls } = await loaded(['temporal', 'ping', '--address', '127.0.0.1:1', '--timeout', '1'], 'ping');
      assert.equal(ran.code, 1, ran.stderr);
      assert.match(ran.stderr, /127\.0\.0\.1:1/);
      assert.ok(urls.some((u) => u.includes('node_modules/@temporalio/client/')));
    });
  });
});

describe('a build older than its sources is never run', () => {
  // A copy of the project (node_modules linked): the test edits sources, which must not touch the real tree.
  let copy = '';
  let bin = '';
  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'moflow-stale-'));
    for (const path of ['bin', 'src', 'workflows', 'activities', 'scripts/build.mjs', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, path), join(copy, path), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    bin = join(copy, 'bin', 'moflow.js');
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  it('builds on the first start, then runs the build without rebuilding', async () => {
    const first = await run(bin, ['config', '--help']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /^moflow: built dist\/cli\/ in \d+ ms \(there is no build yet\)\n$/);
    assert.match(first.stdout, /inspect settings/);
    const second = await run(bin, ['config', '--help']);
    assert.equal(second.stderr, '');
    assert.equal(second.stdout, first.stdout);
  });

  it('an edited source is rebuilt before the command runs, and the output shows the edit', async () => {
    const source = join(copy, 'src', 'cli', 'config.ts');
    writeFileSync(source, readFileSync(source, 'utf8').replace("description('inspect settings')", "description('inspect settings (edited)')"));
    const ran = await run(bin, ['config', '--help']);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stderr, /^moflow: built dist\/cli\/ in \d+ ms \(src\/cli\/config\.ts changed since the last build\)\n$/);
    assert.match(ran.stdout, /inspect settings \(edited\)/);
  });

  it('a source only touched (same text, new mtime) is rebuilt too', async () => {
    const source = join(copy, 'src', 'config', 'keys.ts');
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(source, earlier, earlier);
    const ran = await run(bin, ['config', '--help']);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stderr, /src\/config\/keys\.ts changed since the last build/);
  });

  it('a build whose files are gone is built again', async () => {
    const { id } = JSON.parse(readFileSync(join(copy, 'dist', 'cli', 'build.json'), 'utf8')) as { id: string };
    rmSync(join(copy, 'dist', 'cli', id), { recursive: true });
    const ran = await run(bin, ['config', '--help']);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stderr, new RegExp(`^moflow: built dist/cli/ in \\d+ ms \\(dist/cli/${id}/ is gone\\)\n$`));
    assert.match(ran.stdout, /inspect settings \(edited\)/);
  });

  it('a rebuild removes builds replaced over ten minutes ago and keeps the one it replaces', async () => {
    const cli = join(copy, 'dist', 'cli');
    const replaced = (JSON.parse(readFileSync(join(cli, 'build.json'), 'utf8')) as { id: string }).id;
    const stale = join(cli, 'stale-build');
    mkdirSync(stale);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    utimesSync(join(cli, replaced), hourAgo, hourAgo);
    const source = join(copy, 'src', 'config', 'keys.ts');
    const earlier = new Date(Date.now() - 120_000);
    utimesSync(source, earlier, earlier);
    const ran = await run(bin, ['config', '--help']);
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual(readdirSync(cli).filter((name) => name === 'stale-build' || name === replaced), [replaced]);
  });

  it('when the rebuild fails, moflow refuses to run the old build and says what to do', async () => {
    const source = join(copy, 'src', 'cli', 'config.ts');
    writeFileSync(source, `${readFileSync(source, 'utf8')}\nexport const broken = ;\n`);
    const ran = await run(bin, ['config', '--help']);
    assert.equal(ran.code, 1);
    assert.equal(ran.stdout, '');
    assert.match(ran.stderr, /^moflow: dist\/cli\/ needs a build \(src\/cli\/config\.ts changed since the last build\), and building it failed: .*config\.ts/s);
    assert.match(ran.stderr, /Run `npm run build`/);
  });
});
