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
