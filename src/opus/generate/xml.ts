// Writing the model as an OPUS dump in the real format (spec §1.3–1.5): all orgUnit elements, then all
// employee elements, one child per line. The file is streamed out in chunks (each write awaited, so a
// slow disk holds the generator back) to `<name>.tmp` and renamed when complete, so a reader polling
// the directory never sees half a dump.
import { open, rename, rm } from 'node:fs/promises';
import type { Employment, Unit, World } from './model.js';
import { ALL_POSITIONS, CONTRACTS, ORG_TYPES } from './names.js';

export type DumpEncoding = 'utf-8' | 'iso-8859-1';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const SPECIAL = /[&<>"']/;

export function escapeXml(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!) : text;
}

/** One child line: `<name>value</name>`, or `<name/>` when empty. */
function child(name: string, value: string): string {
  return value === '' ? `  <${name}/>\n` : `  <${name}>${escapeXml(value)}</${name}>\n`;
}

/** `lastChanged` may be overridden, e.g. with '' to compare content alone. */
export function unitXml(u: Unit, client: string, lastChanged = u.lastChanged): string {
  let s = ` <orgUnit id="${u.id}" client="${client}" lastChanged="${lastChanged}">\n`;
  s += `  <startDate>${u.startDate}</startDate>\n  <endDate>${u.endDate}</endDate>\n`;
  s += u.parent ? `  <parentOrgUnit>${u.parent.id}</parentOrgUnit>\n` : '  <parentOrgUnit/>\n';
  s += child('shortName', u.shortName) + child('longName', u.longName);
  // Optional children are left out entirely when unknown, as OPUS does.
  if (u.place) s += child('street', u.place.street) + child('zipCode', u.place.zip) + child('city', u.place.city);
  if (u.phone) s += child('phoneNumber', u.phone);
  if (u.numbers) {
    const n = u.numbers;
    s += child('cvrNr', n.cvr) + child('eanNr', n.ean) + child('seNr', n.se) + child('pNr', n.p);
  }
  if (u.costCenter) s += child('costCenter', u.costCenter);
  if (u.typed) {
    const [code, text] = ORG_TYPES[Math.min(u.depth, ORG_TYPES.length - 1)]!;
    s += child('orgType', code) + child('orgTypeTxt', text);
  }
  return `${s} </orgUnit>\n`;
}

export function employmentXml(e: Employment, client: string, lastChanged = e.lastChanged): string {
  if (e.state !== 'active') return ` <employee id="${e.id}" client="${client}" action="leave"/>\n`;
  const p = e.person;
  const position = ALL_POSITIONS[e.position];
  const [contractCode, contractText] = CONTRACTS[e.contract]!;
  let s = ` <employee id="${e.id}" client="${client}" lastChanged="${lastChanged}">\n`;
  s += child('entryDate', e.entryDate) + child('leaveDate', e.leaveDate);
  s += `  <cpr suppId="0">${p.cpr}</cpr>\n`;
  s += child('firstName', p.firstName) + child('lastName', p.lastName);
  if (p.protection === 0) {
    s += child('address', p.home?.street ?? '') + child('postalCode', p.home?.zip ?? '') + child('city', p.home?.city ?? '');
  } else {
    // Protected addresses come either as an attribute or as child elements, never as text.
    s += p.protection === 1 ? '  <address protected="true"/>\n' : '  <address>\n   <protected>true</protected>\n  </address>\n';
    s += '  <postalCode/>\n  <city/>\n';
  }
  s += child('country', p.country) + child('workPhone', e.workPhone) + child('email', p.email) + child('userId', p.userId);
  s += child('workContract', contractCode) + child('workContractText', contractText);
  s += child('positionId', position?.id ?? '') + child('position', position?.title ?? '') + child('positionShort', position?.short ?? '');
  s += `  <isManager>${e.isManager}</isManager>\n`;
  s += child('superiorLevel', e.superiorLevel) + child('subordinateLevel', e.subordinateLevel);
  s += `  <orgUnit>${e.unit.id}</orgUnit>\n`;
  s += child('payGradeText', e.payGrade);
  s += `  <numerator>${e.numerator}</numerator>\n  <denominator>${e.denominator}</denominator>\n`;
  for (const f of e.functions) {
    s += `  <function startDate="${f.startDate}" endDate="${f.endDate}">\n   <artText>${escapeXml(f.art)}</artText>\n`;
    if (f.role) s += `   <roleText>${escapeXml(f.role)}</roleText>\n`;
    s += '  </function>\n';
  }
  return `${s} </employee>\n`;
}

export interface DumpStats {
  bytes: number;
  units: number;
  employments: number;
  leaves: number;
}

/** Called every few thousand records with the number written so far and the file's total. */
export type RecordProgress = (records: number, totalRecords: number) => void;

const CHUNK_CHARS = 1 << 20;
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;
const PROGRESS_EVERY = 10_000;

/** Writes the world as it is now to `path` (via `path.tmp`), and says what the file holds. */
export async function writeDump(world: World, path: string, encoding: DumpEncoding, onProgress?: RecordProgress): Promise<DumpStats> {
  const stats: DumpStats = { bytes: 0, units: world.units.length, employments: 0, leaves: 0 };
  for (const e of world.employments) {
    if (e.state === 'active') stats.employments++;
    else stats.leaves++;
  }
  const total = world.units.length + world.employments.length;
  const tmp = `${path}.tmp`;
  const charset = encoding === 'utf-8' ? 'utf8' : 'latin1';
  // One buffer for the whole file: each chunk is encoded into it and written before the next.
  const buffer = Buffer.allocUnsafe(CHUNK_CHARS * 4);
  const file = await open(tmp, 'w');
  try {
    let chunk = `<?xml version="1.0" encoding="${encoding === 'utf-8' ? 'utf-8' : 'ISO-8859-1'}"?>\n<kmd>\n`;
    const flush = async () => {
      // Latin-1 encoding would silently mangle anything beyond U+00FF; the word lists never hold such.
      if (charset === 'latin1' && BEYOND_LATIN1.test(chunk)) throw new Error(`${path}: text outside ISO-8859-1`);
      // A UTF-16 code unit takes at most 3 bytes in UTF-8; a chunk never outgrows the buffer.
      const bytes = chunk.length * 3 <= buffer.length ? buffer : Buffer.allocUnsafe(chunk.length * 3);
      const length = bytes.write(chunk, 0, charset);
      chunk = '';
      for (let at = 0; at < length; ) at += (await file.write(bytes, at, length - at)).bytesWritten;
      stats.bytes += length;
    };
    const units = world.units.length;
    for (let i = 0; i < total; i++) {
      chunk += i < units ? unitXml(world.units[i]!, world.client) : employmentXml(world.employments[i - units]!, world.client);
      if ((i + 1) % PROGRESS_EVERY === 0) onProgress?.(i + 1, total);
      if (chunk.length >= CHUNK_CHARS) await flush();
    }
    chunk += '</kmd>\n';
    await flush();
    onProgress?.(total, total);
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
  await rename(tmp, path);
  return stats;
}
