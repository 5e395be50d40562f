// DIPEX's CPR → uuid mapping file (exporters/cpr_uuid.py, read by cpr_mapper.py; spec §4.8):
//
//   "cpr";"mo_uuid";"ad_guid";"sam_account_name"
//   "0101701111";"1034f987-555a-4183-bad1-2c5846117cee";"";""
//
// `;`-separated, fields quoted or not (`""` inside quotes is a quote), header first. Only cpr → mo_uuid is
// used. The file is personal data: errors name the line, never the CPR.
import { maskCpr, maskCprsIn } from '../util/cpr.js';

export const CPR_MAP_COLUMNS = ['cpr', 'mo_uuid', 'ad_guid', 'sam_account_name'] as const;

export interface CprMapRow {
  cpr: string;
  moUuid: string;
  adGuid: string;
  samAccountName: string;
}

export class CprMapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CprMapError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The mapping cpr → uuid of a file's text; `file` names it in errors. */
export function parseCprMap(text: string, file: string): Map<string, string> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const where = (n: number) => `${file} line ${n}`;
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) return new Map();
  const header = splitRow(lines[headerIndex]!, where(headerIndex + 1)).map((h) => h.trim().toLowerCase());
  const cprColumn = header.indexOf('cpr');
  const uuidColumn = header.indexOf('mo_uuid');
  if (cprColumn < 0 || uuidColumn < 0) {
    throw new CprMapError(`${where(headerIndex + 1)}: the header must name the columns cpr and mo_uuid (${CPR_MAP_COLUMNS.join(';')})`);
  }
  const map = new Map<string, string>();
  const lineOfUuid = new Map<string, number>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const n = i + 1;
    const fields = splitRow(line, where(n));
    if (fields.length !== header.length) throw new CprMapError(`${where(n)}: ${fields.length} fields, the header has ${header.length}`);
    const cpr = fields[cprColumn]!.trim().replace('-', '');
    const uuid = fields[uuidColumn]!.trim().toLowerCase();
    if (!/^\d{10}$/.test(cpr)) throw new CprMapError(`${where(n)}: the cpr is not 10 digits`);
    if (!UUID.test(uuid)) throw new CprMapError(`${where(n)}: mo_uuid "${maskCprsIn(fields[uuidColumn]!)}" is not a uuid`);
    const known = map.get(cpr);
    if (known !== undefined && known !== uuid) throw new CprMapError(`${where(n)}: ${maskCpr(cpr)} is mapped to two uuids (also on line ${lineOfUuid.get(known)})`);
    const other = lineOfUuid.get(uuid);
    if (other !== undefined && known === undefined) throw new CprMapError(`${where(n)}: mo_uuid ${uuid} is given to two CPR numbers (also on line ${other})`);
    map.set(cpr, uuid);
    lineOfUuid.set(uuid, n);
  }
  return map;
}

/** One row's fields: `;`-separated, a field may be quoted ("…", with "" for a quote). */
function splitRow(line: string, where: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let value = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new CprMapError(`${where}: a quoted field is not closed`);
        value += line.slice(i, quote);
        i = quote + 1;
        if (line[i] === '"') {
          value += '"';
          i++;
        } else break;
      }
      if (i < line.length && line[i] !== ';') throw new CprMapError(`${where}: text after a closing quote`);
    } else {
      const end = line.indexOf(';', i);
      value = line.slice(i, end < 0 ? line.length : end);
      if (value.includes('"')) throw new CprMapError(`${where}: a quote inside an unquoted field`);
      i = end < 0 ? line.length : end;
    }
    fields.push(value);
    if (i >= line.length) return fields;
    i++; // the ';'
  }
}

/** The file's text as DIPEX wrote it: header, every field quoted, `;`, CRLF-free lines. */
export function formatCprMap(rows: readonly CprMapRow[]): string {
  const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const lines = [CPR_MAP_COLUMNS.map(quote).join(';')];
  for (const r of rows) lines.push([r.cpr, r.moUuid, r.adGuid, r.samAccountName].map(quote).join(';'));
  return `${lines.join('\n')}\n`;
}
