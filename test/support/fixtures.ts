// The real-format OPUS dumps shipped with the requirements, and helpers to read small inline dumps.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { readDump, readWholeDump } from '../../src/opus/reader.js';

export const FIXTURES = new URL('../fixtures/opus/', import.meta.url).pathname;
export const FIXTURE_1 = 'ZLPE20200101_delta.xml';
export const FIXTURE_2 = 'ZLPE20200102_delta.xml';

export function fixtureEntries(name: string) {
  return readDump(createReadStream(join(FIXTURES, name)), { file: name });
}

export function readFixture(name: string) {
  return readWholeDump(createReadStream(join(FIXTURES, name)), { file: name });
}

/** Reads an inline dump given as text, in chunks of `chunkSize` bytes to exercise chunk boundaries. */
export function readText(xml: string, file = 'ZLPE20240101_delta.xml', chunkSize = 7) {
  const bytes = Buffer.from(xml, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return readWholeDump(chunks, { file });
}

export const XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n';
