// DIPEX's CSV dialect (spec §1.0: Python csv.DictWriter, delimiter ";", QUOTE_ALL): every field quoted —
// header, numbers and empty fields included —, embedded quotes doubled, ";" and newlines kept inside the
// quotes, CRLF after every record including the last, UTF-8 without BOM, None as "".
// Cells are strings or null, so there is no number or boolean formatting to get wrong.
import { stringify } from 'csv-stringify/sync';
import type { Cell } from './options.js';

const OPTIONS = {
  delimiter: ';',
  quote: '"',
  escape: '"', // a quote inside a field is doubled
  quoted: true, // every non-empty field
  quoted_empty: true, // and empty ones (null and undefined are written as empty)
  record_delimiter: '\r\n',
  eof: true, // the last record ends with CRLF too
  bom: false,
} as const;

export function renderCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): Buffer {
  return Buffer.from(stringify([header, ...rows] as Cell[][], OPTIONS), 'utf8');
}
