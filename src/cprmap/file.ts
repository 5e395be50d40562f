// Reading and writing the CPR mapping file. DIPEX wrote it in cp1252 and some installations keep a UTF-8
// copy: bytes that are valid UTF-8 are read as such, anything else as cp1252 (which decodes every byte).
import { readFile, writeFile } from 'node:fs/promises';
import { CprMapError, formatCprMap, parseCprMap, type CprMapRow } from './format.js';

export function decodeCprMap(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The mapping in a file. A configured file that is missing is an error: a re-import would give new uuids. */
export async function readCprMapFile(path: string): Promise<Map<string, string>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CprMapError(
      `cannot read the CPR mapping ${path} (${code}). Fix: give the file \`moflow mo export-cpr-map\` wrote, an empty file with only the header for a first import, or remove integrations.opus.import.cpr_uuid_map_path`,
    );
  }
  return parseCprMap(decodeCprMap(bytes), path);
}

export async function writeCprMapFile(path: string, rows: readonly CprMapRow[]): Promise<void> {
  await writeFile(path, formatCprMap(rows), { encoding: 'utf8', mode: 0o600 });
}
