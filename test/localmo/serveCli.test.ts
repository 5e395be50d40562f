// `npx moflow mo serve` where no PostgreSQL is installed or configured: no DATABASE_URL, no PostgreSQL on PATH,
// a data folder that does not exist yet. It starts the embedded server, answers curl, and stops on Ctrl-C.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { findExecutable } from '../support/tools.js';

const MOFLOW = new URL('../../bin/moflow.js', import.meta.url).pathname;
const curl = findExecutable('curl');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('moflow mo serve on a machine without PostgreSQL', { skip: curl ? false : 'curl is not installed (apt-get install curl)' }, () => {
  const root = mkdtempSync(join(tmpdir(), 'moflow-serve-cli-'));
  chmodSync(root, 0o755); // as root the embedded server runs as the postgres user, which must enter it
  after(() => rmSync(root, { recursive: true, force: true }));

  it('starts the embedded PostgreSQL in a new data folder, answers a query from curl and stops on SIGINT', async () => {
    const dataDir = join(root, 'nested', 'data');
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: dirname(process.execPath), HOME: root, MOFLOW_DATA_DIR: dataDir };
    const child = spawn(process.execPath, [MOFLOW, 'mo', 'serve', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready after 90 s:\n${stderr}`)), 90_000);
        child.stderr.on('data', () => {
          if (/running; stop with Ctrl-C/.test(stderr)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${stderr}`)));
      });
      assert.match(stderr, /embedded PostgreSQL/);
      const { stdout } = await promisify(execFile)(curl!, ['-s', `http://127.0.0.1:${port}/graphql/v30`, '-H', 'content-type: application/json', '-d', '{"query":"{ org { name } facets(filter: {user_keys: [\\"engagement_type\\"]}) { objects { current { user_key } } } }"}']);
      const answer = JSON.parse(stdout) as { data: { org: { name: string }; facets: { objects: { current: { user_key: string } }[] } } };
      assert.equal(typeof answer.data.org.name, 'string');
      assert.deepEqual(answer.data.facets.objects.map((f) => f.current.user_key), ['engagement_type']);
      assert.ok(existsSync(join(dataDir, 'postgres', 'PG_VERSION')));
      assert.equal(statSync(join(root, 'nested')).mode & 0o777, 0o755, 'only the cluster folder is private, not its parents');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      assert.equal(await exited, 0, stderr);
    }
    assert.ok(!existsSync(join(dataDir, 'postgres', 'postmaster.pid')), 'the embedded server stopped with the service');
  });
});
