import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Storage } from '@google-cloud/storage';
import { GcsSource, type GcsConfig, type GcsSourceOptions } from '../../src/sources/gcs.js';
import { openDumpSource } from '../../src/sources/index.js';
import { DumpSourceError } from '../../src/sources/types.js';
import { freePort } from '../../src/util/ports.js';
import { assertListing, assertParses, assertStreams, dumpSet, sha256, sha256Of } from '../support/dumpSet.js';
import { GcsEmulator, gcsEmulatorSkip } from '../support/gcs.js';

const skip = gcsEmulatorSkip();
const FAST_RETRY = { retries: 8, minTimeoutMs: 100, maxTimeoutMs: 500 };

async function sourceError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail('expected a DumpSourceError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DumpSourceError, `expected a DumpSourceError, got ${String(error)}`);
  return error.message;
}

describe('Cloud Storage dump source', { skip }, () => {
  let emulator: GcsEmulator;
  const files = dumpSet();
  const config = (overrides: Partial<GcsConfig> = {}): GcsConfig => ({
    type: 'gcs',
    bucket: 'opus',
    prefix: null,
    apiEndpoint: emulator.endpoint,
    projectId: 'moflow-test',
    ...overrides,
  });
  const source = (overrides: Partial<GcsConfig> = {}, options: GcsSourceOptions = {}) => new GcsSource(config(overrides), options);

  async function upload(): Promise<void> {
    const storage = new Storage({ apiEndpoint: emulator.endpoint, projectId: 'moflow-test' });
    const put = async (bucket: string, name: string, bytes: Buffer | string) => storage.bucket(bucket).file(name).save(bytes, { resumable: false });
    for (const bucket of ['opus', 'prefixed', 'legacy', 'dupes', 'twice']) await storage.createBucket(bucket);
    for (const f of files) await put('opus', f.name, f.bytes);
    await put('opus', 'x/y/ZLPE20180101_delta.xml', '<kmd/>');
    await put('opus', 'archive/ZLPE20180102_delta.xml', '<kmd/>');
    for (const f of files) await put('prefixed', `opus/${f.name}`, f.bytes);
    await put('prefixed', 'opus/', ''); // the placeholder a console "create folder" leaves
    await put('prefixed', 'opus/old/ZLPE20180101_delta.xml', '<kmd/>');
    await put('prefixed', 'ZLPE20170101_delta.xml', '<kmd/>');
    // A DIPEX-era bucket: older dumps at the root, newer ones under production/.
    await put('legacy', 'ZLPE20200101_delta.xml', files[0]!.bytes);
    await put('legacy', 'production/ZLPE20200102_delta.xml', 'production bytes');
    await put('legacy', 'production/readme.txt', 'hello');
    await put('legacy', 'production/old/ZLPE20180101_delta.xml', '<kmd/>');
    await put('dupes', 'ZLPE20200101_delta.xml', '<kmd/>');
    await put('dupes', 'ZLPE20200101000000_delta.xml', '<kmd/>');
    await put('twice', 'ZLPE20200101_delta.xml', '<kmd/>');
    await put('twice', 'production/ZLPE20200101_delta.xml', '<kmd/>');
  }

  before(async () => {
    emulator = await GcsEmulator.start();
    await upload();
  });
  after(() => emulator?.stop());

  it('lists the dumps at the bucket root oldest first, other objects and sub-folders as ignored', async () => {
    const s = openDumpSource(config());
    assert.equal(s.description, `Cloud Storage bucket gs://opus/ at ${emulator.endpoint} (root and production/)`);
    const listing = await s.list();
    assertListing(listing, files, ['archive/', 'x/']);
    assert.match(listing.ignored.find((i) => i.name === 'x/')!.reason, /in a sub-folder.*integrations\.opus\.gcloud_prefix/);
  });

  it('streams exactly the bytes of each dump, and they parse', async () => {
    const s = source();
    await assertStreams(s, files);
    await assertParses(s);
  });

  it('with a prefix lists only the objects directly under it, named without it', async () => {
    for (const prefix of ['opus/', 'opus']) {
      const s = source({ bucket: 'prefixed', prefix });
      assertListing(await s.list(), files, ['opus/old/']);
      await assertStreams(s, files);
    }
  });

  it('without a prefix reads the root and production/, keeping the object names intact', async () => {
    const s = source({ bucket: 'legacy' });
    const listing = await s.list();
    assert.deepEqual(
      listing.dumps.map((d) => [d.name, d.size]),
      [
        ['ZLPE20200101_delta.xml', files[0]!.bytes.length],
        ['ZLPE20200102_delta.xml', 'production bytes'.length],
      ],
    );
    assert.deepEqual(listing.ignored.map((i) => i.name), ['production/old/', 'production/readme.txt']);
    // DIPEX renamed the blob and then could not download it; here the dump comes from production/.
    assert.equal((await sha256(await s.open('ZLPE20200102_delta.xml'))).hash, sha256Of(Buffer.from('production bytes')));
  });

  it('opens a dump without listing first', async () => {
    assert.equal((await sha256(await source({ bucket: 'legacy' }).open('ZLPE20200102_delta.xml'))).bytes, 'production bytes'.length);
  });

  it('refuses two dumps with the same timestamp, naming both', async () => {
    const message = await sourceError(source({ bucket: 'dupes' }).list());
    assert.match(message, /ZLPE20200101_delta\.xml/);
    assert.match(message, /ZLPE20200101000000_delta\.xml/);
  });

  it('refuses the same dump at the root and in production/, naming both objects', async () => {
    const message = await sourceError(source({ bucket: 'twice' }).list());
    assert.match(message, /gs:\/\/twice\/ZLPE20200101_delta\.xml and gs:\/\/twice\/production\/ZLPE20200101_delta\.xml/);
  });

  it('explains a missing bucket and a missing dump', async () => {
    const message = await sourceError(source({ bucket: 'nosuch' }).list());
    assert.match(message, /bucket nosuch does not exist.*integrations\.opus\.gcloud_bucket_name/);
    assert.match(await sourceError(source().open('ZLPE20990101_delta.xml')), /no dump ZLPE20990101_delta\.xml in Cloud Storage bucket/);
  });

  it('gives up on an endpoint that stays down with a transient, not a DumpSourceError', async () => {
    const s = source({ apiEndpoint: `http://127.0.0.1:${await freePort()}` }, { retry: { retries: 2, minTimeoutMs: 10, maxTimeoutMs: 10, onRetry: () => {} } });
    const error = await s.list().then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e as Error & { code?: string },
    );
    assert.ok(!(error instanceof DumpSourceError));
    assert.equal(error.code, 'ECONNREFUSED');
    assert.match(error.message, /listing gs:\/\/opus\/ failed after retries/);
  });

  it('retries while the emulator is down and lists once it is back', async () => {
    // An emulator on disk, so the restarted one still has the objects.
    const dataDir = mkdtempSync(join(tmpdir(), 'moflow-gcs-'));
    const restarting = await GcsEmulator.start({ dataDir });
    try {
      const storage = new Storage({ apiEndpoint: restarting.endpoint, projectId: 'moflow-test' });
      await storage.createBucket('opus');
      for (const f of files) await storage.bucket('opus').file(f.name).save(f.bytes, { resumable: false });
      const retries: string[] = [];
      const s = source({ apiEndpoint: restarting.endpoint }, { retry: { ...FAST_RETRY, onRetry: (m) => retries.push(m) } });
      await restarting.stop();
      const restart = sleep(1500).then(() => restarting.start());
      try {
        assertListing(await s.list(), files);
      } finally {
        await restart;
      }
      assert.ok(retries.length >= 2, `retried ${retries.length} times`);
      assert.match(retries[0]!, /listing gs:\/\/opus\/ failed \(attempt 1: .*ECONNREFUSED/);
      await assertStreams(s, files);
    } finally {
      await restarting.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
