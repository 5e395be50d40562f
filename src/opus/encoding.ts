// Decoding of dump bytes. OPUS dumps are declared UTF-8 or ISO-8859-1; the SAX parser takes strings, so
// the declared encoding is read from the XML declaration (or a BOM) and the bytes decoded accordingly.

export class UnsupportedEncodingError extends Error {}

const ALIASES: Record<string, string> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'iso-8859-1': 'latin1',
  'iso8859-1': 'latin1',
  'iso_8859-1': 'latin1',
  latin1: 'latin1',
  'latin-1': 'latin1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-15': 'iso-8859-15',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

/**
 * Picks the decoder for a dump from its first bytes: a BOM wins, then the XML declaration's
 * `encoding`, then UTF-8 (the XML default).
 */
export function detectEncoding(head: Uint8Array): { encoding: string; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const ascii = Buffer.from(head.subarray(0, 200)).toString('latin1');
  const decl = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(ascii);
  if (!decl) return { encoding: 'utf-8', bomLength: 0 };
  const declared = decl[1]!.toLowerCase();
  const encoding = ALIASES[declared];
  if (!encoding) {
    throw new UnsupportedEncodingError(
      `the XML declaration names encoding "${decl[1]}", which moflow cannot decode (UTF-8 and ISO-8859-1 are supported)`,
    );
  }
  return { encoding, bomLength: 0 };
}

/** A streaming decoder: feed byte chunks, get text; multi-byte sequences split across chunks are kept. */
export function createDecoder(encoding: string): (chunk: Uint8Array | null) => string {
  if (encoding === 'latin1') {
    // True ISO-8859-1 is one byte per code point; Buffer's latin1 is the fastest decoder there is.
    return (chunk) => (chunk ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1') : '');
  }
  const decoder = new TextDecoder(encoding, { fatal: false });
  return (chunk) => (chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode());
}

/** Decoders that read one byte as one character: UTF-8 text in them turns into mojibake without an error. */
export const SINGLE_BYTE: ReadonlySet<string> = new Set(['latin1', 'windows-1252', 'iso-8859-15']);

/**
 * Where bytes hold a UTF-8 Latin-1 letter (C2/C3 and a continuation byte: Ø is C3 98), or -1. Read as one
 * byte each they are "Ã" or "Â" and a control character or symbol, which no real name holds, so one is
 * proof enough that the file is UTF-8. (A pair split between two chunks is missed; the next is found.)
 */
export function findUtf8Letter(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let first = -1;
  for (const lead of [0xc2, 0xc3]) {
    for (let at = buf.indexOf(lead); at >= 0 && at + 1 < buf.length; at = buf.indexOf(lead, at + 1)) {
      if (buf[at + 1]! >= 0x80 && buf[at + 1]! <= 0xbf) {
        if (first < 0 || at < first) first = at;
        break;
      }
    }
  }
  return first;
}

/** Windows-1252's characters for 80–9F, as a reader of the file would see them (Node's decoder has C1 controls). */
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** Why a file declared single-byte whose bytes hold a UTF-8 letter (`pair`) cannot be imported. */
export function utf8InSingleByteMessage(encoding: string, pair: Uint8Array): string {
  const hex = [...pair].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  const letter = Buffer.from(pair).toString('utf8');
  const garbled = [...pair].map((b) => (b >= 0x80 && b < 0xa0 ? CP1252[b - 0x80] : String.fromCharCode(b))).join('');
  return `the file declares a single-byte encoding (${encoding === 'latin1' ? 'ISO-8859-1' : encoding}) but holds UTF-8 text: bytes ${hex} are UTF-8 for "${letter}" and would be read as "${garbled}", so every name with æ, ø or å would be garbled in MO. Nothing of the file is imported. Fix: have OPUS write the declared encoding, or declare encoding="utf-8" in its first line`;
}
