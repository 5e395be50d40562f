// The files every dump-source test puts into its source (folder, share, bucket), and what the listing
// must make of them: both name forms, a multi-chunk dump, and names that are not dumps.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { readWholeDump } from '../../src/opus/reader.js';
import type { DumpListing, DumpSource } from '../../src/sources/types.js';
import { FIXTURE_1, FIXTURE_2, FIXTURES, readFixture } from './fixtures.js';

export interface SetFile {
  name: string;
  bytes: Buffer;
}

/** Several SMB blocks (64 KiB) and local/GCS chunks, with a partial last one. */
const BIG_SIZE = 3 * 1024 * 1024 + 12_345;

export function dumpSet(): SetFile[] {
  return [
    { name: FIXTURE_1, bytes: readFileSync(join(FIXTURES, FIXTURE_1)) },
    // The full timestamp form, older than the date-only one.
    { name: 'ZLPE20190902224224_delta.xml', bytes: readFileSync(join(FIXTURES, FIXTURE_2)) },
    { name: 'ZLPE20200103101500_delta.xml', bytes: randomBytes(BIG_SIZE) },
    { name: 'notes.txt', bytes: Buffer.from('not a dump\n') },
    { name: 'ZLPE2020_delta.xml', bytes: Buffer.from('<kmd/>') },
    { name: 'ZLPE20201301_delta.xml', bytes: Buffer.from('<kmd/>') },
  ];
}

export const EXPECTED_DUMPS = [
  { name: 'ZLPE20190902224224_delta.xml', timestamp: '2019-09-02T22:42:24', date: '2019-09-02' },
  { name: FIXTURE_1, timestamp: '2020-01-01T00:00:00', date: '2020-01-01' },
  { name: 'ZLPE20200103101500_delta.xml', timestamp: '2020-01-03T10:15:00', date: '2020-01-03' },
];

export const NOT_DUMPS = ['ZLPE2020_delta.xml', 'ZLPE20201301_delta.xml', 'notes.txt'];

/** Asserts the listing of a source holding `dumpSet()` (plus `extraIgnored`, e.g. a sub-folder). */
export function assertListing(listing: DumpListing, files: SetFile[], extraIgnored: string[] = []): void {
  const sizes = new Map(files.map((f) => [f.name, f.bytes.length]));
  assert.deepEqual(
    listing.dumps,
    EXPECTED_DUMPS.map((d) => ({ ...d, size: sizes.get(d.name) })),
    'dumps oldest first, with timestamp, date and size',
  );
  assert.deepEqual(listing.ignored.map((i) => i.name).sort(), [...NOT_DUMPS, ...extraIgnored].sort());
  const reason = (name: string) => listing.ignored.find((i) => i.name === name)?.reason ?? '';
  assert.match(reason('notes.txt'), /does not match ZLPE/);
  assert.match(reason('ZLPE2020_delta.xml'), /does not match ZLPE/);
  assert.match(reason('ZLPE20201301_delta.xml'), /2020-13-01 is not a calendar date/);
}

export async function sha256(stream: Readable): Promise<{ hash: string; chunks: number; bytes: number }> {
  const hash = createHash('sha256');
  let chunks = 0;
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    chunks++;
    bytes += chunk.length;
  }
  return { hash: hash.digest('hex'), chunks, bytes };
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every dump of the set streams back byte for byte; the big one in several chunks. */
export async function assertStreams(source: DumpSource, files: SetFile[]): Promise<void> {
  for (const { name } of EXPECTED_DUMPS) {
    const expected = files.find((f) => f.name === name)!.bytes;
    const got = await sha256(await source.open(name));
    assert.equal(got.bytes, expected.length, `${name}: byte count`);
    assert.equal(got.hash, sha256Of(expected), `${name}: content`);
    if (expected.length > 2 * 1024 * 1024) assert.ok(got.chunks > 2, `${name} came in ${got.chunks} chunk(s)`);
  }
}

/** A dump read through the source parses to the same records as the fixture file itself. */
export async function assertParses(source: DumpSource): Promise<void> {
  const viaSource = await readWholeDump(await source.open(FIXTURE_1), { file: FIXTURE_1 });
  const direct = await readFixture(FIXTURE_1);
  assert.ok(viaSource.orgUnits.length > 0 && viaSource.employments.length > 0);
  assert.deepEqual(viaSource, direct);
}
