import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDumpSource } from '../../src/sources/index.js';
import { LocalFolderSource } from '../../src/sources/local.js';
import { DumpSourceError } from '../../src/sources/types.js';
import { assertListing, assertParses, assertStreams, dumpSet } from '../support/dumpSet.js';

const root = mkdtempSync(join(tmpdir(), 'moflow-local-'));
after(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: { name: string; bytes: Buffer | string }[]): string {
  const path = join(root, name);
  mkdirSync(path);
  for (const f of files) writeFileSync(join(path, f.name), f.bytes);
  return path;
}

async function sourceError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail('expected a DumpSourceError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DumpSourceError, `expected a DumpSourceError, got ${String(error)}`);
  return error.message;
}

describe('local folder dump source', () => {
  const files = dumpSet();
  const dumps = folder('dumps', files);
  // A sub-folder, even one named like a dump, is not read.
  mkdirSync(join(dumps, 'archive'));
  writeFileSync(join(dumps, 'archive', 'ZLPE20180101_delta.xml'), '<kmd/>');
  mkdirSync(join(dumps, 'ZLPE20210101_delta.xml'));

  it('lists the dumps oldest first and every other entry as ignored, with reasons', async () => {
    const source = openDumpSource({ type: 'local', path: dumps });
    assert.equal(source.description, `local folder ${dumps}`);
    const listing = await source.list();
    assertListing(listing, files, ['archive', 'ZLPE20210101_delta.xml']);
    assert.match(listing.ignored.find((i) => i.name === 'archive')!.reason, /a folder/);
  });

  it('streams exactly the bytes of each dump', async () => {
    await assertStreams(new LocalFolderSource(dumps), files);
  });

  it('hands out a dump that parses', async () => {
    await assertParses(new LocalFolderSource(dumps));
  });

  it('follows a symlink to a dump', async () => {
    const linked = folder('linked', []);
    symlinkSync(join(dumps, 'ZLPE20200101_delta.xml'), join(linked, 'ZLPE20200101_delta.xml'));
    const listing = await new LocalFolderSource(linked).list();
    assert.deepEqual(listing.dumps.map((d) => [d.name, d.size]), [['ZLPE20200101_delta.xml', files[0]!.bytes.length]]);
  });

  it('refuses two dumps with the same timestamp, naming both', async () => {
    const path = folder('dupes', [
      { name: 'ZLPE20200101_delta.xml', bytes: '<kmd/>' },
      { name: 'ZLPE20200101000000_delta.xml', bytes: '<kmd/>' },
    ]);
    const message = await sourceError(new LocalFolderSource(path).list());
    assert.match(message, /ZLPE20200101_delta\.xml/);
    assert.match(message, /ZLPE20200101000000_delta\.xml/);
  });

  it('explains a missing folder, naming the path and the setting', async () => {
    const missing = join(root, 'nowhere');
    const message = await sourceError(new LocalFolderSource(missing).list());
    assert.match(message, new RegExp(`${missing} does not exist`));
    assert.match(message, /integrations\.opus\.import\.xml_path/);
  });

  it('explains a path that is a file', async () => {
    const message = await sourceError(new LocalFolderSource(join(dumps, 'notes.txt')).list());
    assert.match(message, /notes\.txt is a file, not a folder/);
    assert.match(message, /integrations\.opus\.import\.xml_path/);
  });

  // Root reads every folder, so this only runs as another user (a skip would fail CI, which runs as root).
  if (process.getuid?.() !== 0) it('explains a folder it may not read', async () => {
    const locked = folder('locked', []);
    chmodSync(locked, 0o000);
    try {
      const message = await sourceError(new LocalFolderSource(locked).list());
      assert.match(message, /may not read the dump folder/);
      assert.match(message, /integrations\.opus\.import\.xml_path/);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('refuses to open a name that is not a file in the folder', async () => {
    const source = new LocalFolderSource(dumps);
    assert.match(await sourceError(source.open('ZLPE20990101_delta.xml')), /no file ZLPE20990101_delta\.xml in local folder/);
    assert.match(await sourceError(source.open('../dumps/notes.txt')), /not a file name/);
    assert.match(await sourceError(source.open('archive')), /is not a file/);
  });
});
