// Counting the data rows of a Plan2Learn CSV as it streams past (the export guard reads the files on the
// server this way, keeping none of their bytes).
import { Writable } from 'node:stream';

/**
 * Counts the data rows (records after the header) of a CSV written as DIPEX writes it: every field quoted,
 * so a line break inside quotes belongs to the field. A last line without its line break still counts.
 */
export class CsvRowCounter extends Writable {
  private records = 0;
  private inQuotes = false;
  private pending = false;

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.count(chunk);
    done();
  }

  count(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === 0x22) this.inQuotes = !this.inQuotes; // '"'; a doubled quote toggles twice
      if (byte === 0x0a && !this.inQuotes) {
        this.records += 1;
        this.pending = false;
      } else if (byte !== 0x0d) {
        this.pending = true;
      }
    }
  }

  /** Records after the header, once the whole file was written. */
  rows(): number {
    return Math.max(0, this.records + (this.pending ? 1 : 0) - 1);
  }
}

/** Data rows of a CSV held in memory (tests, and the files just written). */
export function countCsvRows(bytes: Buffer): number {
  const counter = new CsvRowCounter();
  counter.count(bytes);
  return counter.rows();
}
