// `npm start` on a fresh clone: with no dump source configured, a synthetic sample municipality is generated
// under the data folder (once; the same seed gives the same files), and the settings the demo needs but a
// fresh clone lacks — municipality name, Plan2Learn root unit and engagement types — are derived from it.
// Configured settings always win.
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { municipalityKeys, opusKeys } from '../config/keys.js';
import type { Settings } from '../config/load.js';
import { generateDumps } from '../opus/generate/index.js';
import { parseDumpName } from '../opus/dumpName.js';
import { readDump } from '../opus/reader.js';
import { plan2learnKeys } from '../plan2learn/settings.js';
import { classKey, engagementTypeClass } from '../sync/mapping/classes.js';
import { OpusUuids } from '../sync/uuids.js';
import type { BookAddress } from './darStandIn.js';

export const SAMPLE = { units: 40, employees: 400, days: 3, seed: 1 } as const;

export function hasDumpSource(settings: Settings): boolean {
  return [opusKeys.xmlPath, opusKeys.smbHost, opusKeys.gcloudBucket].some((spec) => settings.has(spec));
}

/** Writes the sample dumps into `dir` unless they are there; returns the folder. */
export async function ensureSampleDumps(dir: string, log: (message: string) => void): Promise<string> {
  const present = existsSync(dir) && readdirSync(dir).filter((name) => parseDumpName(name).ok).length === SAMPLE.days + 1;
  if (!present) {
    log(`generating a sample municipality (${SAMPLE.units} units, ${SAMPLE.employees} employments, ${SAMPLE.days + 1} daily dumps) in ${dir}`);
    await generateDumps({ outDir: dir, ...SAMPLE });
  }
  // The sample's CPR numbers are invented but look real: private to moflow's user, like the dump cache.
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o600);
  return dir;
}

/**
 * Environment overrides (settings keys' variable names) for what the sample needs and the settings lack:
 * the municipality's name (from the sample's root unit), and Plan2Learn's variant, root unit and the
 * engagement types the import creates.
 */
export async function sampleSettings(settings: Settings, dumpsDir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = { [opusKeys.xmlPath.env[0]!]: dumpsDir };
  const root = await rootUnit(dumpsDir);
  const municipality = settings.get(municipalityKeys.name) ?? root.name;
  if (!settings.has(municipalityKeys.name)) env[municipalityKeys.name.env[0]!] = municipality;
  const uuids = new OpusUuids(municipality);
  if (!settings.has(plan2learnKeys.variant)) env[plan2learnKeys.variant.env[0]!] = 'Viborg';
  if (!settings.has(plan2learnKeys.rootUnit)) env[plan2learnKeys.rootUnit.env[0]!] = uuids.unit(root.id);
  if (!settings.has(plan2learnKeys.allowedEngagementTypes)) {
    // A fresh MO gets the import's own classes, whose uuids follow from the municipality and the class.
    const types = ['Månedsløn', 'Timeløn'].map((text) => uuids.of('class', classKey(engagementTypeClass(text))));
    env[plan2learnKeys.allowedEngagementTypes.env[0]!] = JSON.stringify(types);
  }
  return env;
}

async function rootUnit(dumpsDir: string): Promise<{ id: string; name: string }> {
  const first = readdirSync(dumpsDir).filter((name) => parseDumpName(name).ok).sort()[0]!;
  for await (const entry of readDump(createReadStream(join(dumpsDir, first)), { file: first })) {
    if (entry.kind === 'orgUnit' && entry.parentOrgUnit === null) return { id: entry.id, name: entry.longName ?? entry.id };
  }
  throw new Error(`the sample dump ${first} has no root unit`);
}

/** Every postal address in the sample's dumps (units' and employees'), for the DAR stand-in to know. */
export async function sampleAddresses(dumpsDir: string): Promise<BookAddress[]> {
  const addresses: BookAddress[] = [];
  for (const name of readdirSync(dumpsDir).filter((n) => parseDumpName(n).ok)) {
    for await (const entry of readDump(createReadStream(join(dumpsDir, name)), { file: name })) {
      if (entry.kind === 'orgUnit' && entry.street && entry.zipCode && entry.city) addresses.push({ street: entry.street, postcode: entry.zipCode, city: entry.city });
      if (entry.kind === 'employment' && entry.address && entry.postalCode && entry.city) addresses.push({ street: entry.address, postcode: entry.postalCode, city: entry.city });
    }
  }
  return addresses;
}
