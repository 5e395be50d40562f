// One measurement of bench/parse.ts, in its own process so peak RSS belongs to that measurement alone.
//   node --import tsx bench/parse-run.ts <saxes-raw|sax-raw|read|compare> <file> [<file2>]
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import sax from 'sax';
import { SaxesParser } from 'saxes';
import { compareDumps } from '../src/opus/compare.js';
import { createDecoder, detectEncoding } from '../src/opus/encoding.js';
import { readDump } from '../src/opus/reader.js';

const [mode, file, file2] = process.argv.slice(2) as [string, string, string | undefined];
// The chunk size the sources use.
const stream = (path: string) => createReadStream(path, { highWaterMark: 256 * 1024 });

async function* decoded(path: string): AsyncGenerator<string> {
  let decode: ((c: Uint8Array | null) => string) | null = null;
  for await (const chunk of stream(path) as AsyncIterable<Buffer>) {
    decode ??= createDecoder(detectEncoding(chunk).encoding);
    yield decode(chunk);
  }
}

const started = process.hrtime.bigint();
let events = 0;
let bytes = statSync(file).size;
if (mode === 'saxes-raw') {
  const parser = new SaxesParser({ xmlns: false, position: true });
  parser.on('opentag', () => events++);
  parser.on('text', () => events++);
  for await (const text of decoded(file)) parser.write(text);
  parser.close();
} else if (mode === 'sax-raw') {
  const parser = sax.parser(true, { position: true });
  parser.onopentag = () => events++;
  parser.ontext = () => events++;
  for await (const text of decoded(file)) parser.write(text);
  parser.close();
} else if (mode === 'read') {
  for await (const _entry of readDump(stream(file), { file: basename(file) })) events++;
} else if (mode === 'compare') {
  const diff = await compareDumps(readDump(stream(file), { file: basename(file) }), readDump(stream(file2!), { file: basename(file2!) }));
  bytes += statSync(file2!).size;
  events = diff.employees.new.length + diff.employees.changed.length + diff.employees.gone.length;
} else {
  throw new Error(`unknown mode ${mode}`);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const peakRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ mode, seconds, bytes, mbPerSecond: bytes / 1e6 / seconds, peakRssMB, events }) + '\n');
