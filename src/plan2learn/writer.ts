// Writes an export to a local folder: the five CSV files and manifest.json. Each file is written to a
// temporary name in the same folder, flushed, then renamed over the old one, so a reader never sees half a
// file. The old manifest is removed first and the new one renamed in last: a folder with a manifest.json holds
// the complete set it describes (sizes and sha256 let a reader check). bruger.csv holds CPR numbers, so the
// files are readable by moflow's user only (0600) and a folder made here is 0700, like the dump cache.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan2LearnExport } from './export.js';
import type { Plan2LearnVariant } from './options.js';

export interface Plan2LearnManifest {
  variant: Plan2LearnVariant;
  /** The day the export describes. */
  today: string;
  /** When the export was made, as given by the caller (ISO 8601). */
  generatedAt: string;
  files: { name: string; rows: number; bytes: number; sha256: string }[];
}

export const MANIFEST_NAME = 'manifest.json';

export async function writeExport(dir: string, exported: Plan2LearnExport, generatedAt: string): Promise<Plan2LearnManifest> {
  const manifest: Plan2LearnManifest = {
    variant: exported.variant,
    today: exported.today,
    generatedAt,
    files: exported.files.map((f) => ({
      name: f.name,
      rows: f.rows,
      bytes: f.content.length,
      sha256: createHash('sha256').update(f.content).digest('hex'),
    })),
  };
  const outputs = [
    ...exported.files.map((f) => ({ name: f.name, content: f.content })),
    { name: MANIFEST_NAME, content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
  ];

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temps = outputs.map((o) => ({ ...o, temp: join(dir, `.${o.name}.${tag}.tmp`), final: join(dir, o.name) }));
  try {
    for (const t of temps) await writeDurably(t.temp, t.content);
    await rm(join(dir, MANIFEST_NAME), { force: true });
    for (const t of temps) await rename(t.temp, t.final); // the manifest is last in the list
    await syncDirectory(dir);
  } catch (err) {
    await Promise.all(temps.map((t) => rm(t.temp, { force: true })));
    throw err;
  }
  return manifest;
}

async function writeDurably(path: string, content: Buffer): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the renames themselves durable. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
