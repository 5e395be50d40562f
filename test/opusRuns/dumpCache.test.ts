// The local dump cache: what a run pins (name + sha256) is what every later step reads, on any worker.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DumpCache, DumpChangedError } from '../../src/opusRuns/dumpCache.js';
import { LocalFolderSource } from '../../src/sources/local.js';

const A = 'ZLPE20240101223000_delta.xml';
const B = 'ZLPE20240102223000_delta.xml';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the dump cache', () => {
  let root = '';
  let sourceDir = '';
  let cache: DumpCache;
  const source = () => new LocalFolderSource(sourceDir);
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'moflow-cache-'));
    sourceDir = join(root, 'source');
    mkdirSync(sourceDir);
    writeFileSync(join(sourceDir, A), '<kmd>a</kmd>');
    writeFileSync(join(sourceDir, B), '<kmd>b</kmd>');
    cache = new DumpCache(join(root, 'cache'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('fetches a dump with its sha256 and size, and the cached copy reads as a source', async () => {
    assert.deepEqual(await cache.fetch(source(), A), { name: A, sha256: sha('<kmd>a</kmd>'), size: 12 });
    assert.deepEqual((await cache.source().list()).dumps.map((d) => d.name), [A]);
    // Every employee's CPR number is in a dump: the cache is moflow's user's only.
    assert.equal(statSync(cache.dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(cache.dir, A)).mode & 0o777, 0o600);
  });

  it('pins a cached dump as it is, and fetches one that is not cached', async () => {
    assert.equal((await cache.pin(source(), A)).sha256, sha('<kmd>a</kmd>'));
    assert.equal((await cache.pin(source(), B)).sha256, sha('<kmd>b</kmd>'));
    assert.ok(existsSync(join(cache.dir, B)));
  });

  it('fetches again what is missing or damaged, only then opens the source, and refuses a dump changed in the source', async () => {
    const pinned = [await cache.pin(source(), A), await cache.pin(source(), B)];
    let opened = 0;
    const counting = () => {
      opened++;
      return source();
    };
    assert.deepEqual(await cache.ensureAll(counting, pinned), []);
    assert.equal(opened, 0, 'nothing to fetch: the source is not even opened');

    rmSync(join(cache.dir, A));
    writeFileSync(join(cache.dir, B), '<kmd>damaged</kmd>');
    assert.deepEqual(await cache.ensureAll(counting, pinned), [A, B]);
    assert.equal(opened, 1);

    writeFileSync(join(sourceDir, B), '<kmd>b, rewritten</kmd>');
    rmSync(join(cache.dir, B));
    await assert.rejects(cache.ensureAll(counting, pinned), (error: unknown) => error instanceof DumpChangedError && /changed in the source after it was fetched/.test(error.message));
  });

  it('prunes every dump but the ones to keep, and stray partial copies', async () => {
    writeFileSync(join(cache.dir, `.${A}.123.partial`), 'half');
    writeFileSync(join(cache.dir, B), 'b');
    assert.deepEqual(await cache.prune([A]), [B]);
    assert.deepEqual(readdirSync(cache.dir), [A]);
  });
});
