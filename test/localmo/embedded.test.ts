// The default where no PostgreSQL is installed: no database URL, so the local MO starts an embedded
// PostgreSQL (binaries from npm) in its data folder, answers over HTTP, stops it cleanly, and finds its data
// again on the next start.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { acquireEmbeddedPostgres } from '../../src/db/embeddedPostgres.js';
import { startLocalMo } from '../../src/localmo/service.js';
import { postGraphQL } from '../support/localmo.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe('local MO on the embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'moflow-embedded-test-'));
  // As root the server runs as the postgres user, which must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts with no database URL, keeps its data across a restart, and stops the server it started', async () => {
    const first = await startLocalMo({ databaseUrl: null, dataDir, port: 0 });
    let pid: number;
    try {
      assert.equal(first.embedded, true);
      assert.match(first.dataLocation, new RegExp(`^${join(dataDir, 'postgres')}`));
      const created = await postGraphQL<any>(first.graphqlUrl, `mutation { org_unit_create(input: {name: "Indlejret", user_key: "EMB", org_unit_type: "11111111-1111-4111-8111-111111111111", validity: {from: "2020-01-01"}}) { uuid } }`);
      assert.deepEqual(created.errors, []);
      pid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      assert.ok(alive(pid));
    } finally {
      await first.stop();
    }
    assert.equal(alive(pid), false, 'the embedded server stopped with the service');
    assert.equal(existsSync(join(dataDir, 'postgres', 'postmaster.pid')), false, 'a clean shutdown');

    const second = await startLocalMo({ databaseUrl: null, dataDir, port: 0 });
    try {
      const read = await postGraphQL<any>(second.graphqlUrl, `{ org_units(filter: {user_keys: ["EMB"]}) { objects { current { name } } } facets { objects { uuid } } }`);
      assert.deepEqual(read.errors, []);
      assert.deepEqual(read.data.org_units.objects, [{ current: { name: 'Indlejret' } }]);
      assert.equal(read.data.facets.objects.length, 17, 'bootstrap ran once, not again');
    } finally {
      await second.stop();
    }
  });

  it('a user that arrives while the last one stops the server gets a fresh server, not the one going away', async () => {
    const first = await acquireEmbeddedPostgres(join(dataDir, 'postgres'));
    assert.equal(first.owned, true);
    const stopping = first.release();
    const second = await acquireEmbeddedPostgres(join(dataDir, 'postgres'));
    await stopping;
    try {
      assert.equal(second.owned, true, 'started its own server once the old one had stopped');
      const client = new pg.Client({ connectionString: second.url('postgres') });
      await client.connect();
      try {
        assert.deepEqual((await client.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
      } finally {
        await client.end();
      }
    } finally {
      await second.release();
    }
  });
});
