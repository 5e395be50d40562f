// What tonight's import needs of last night's dump — a fingerprint per record and the CPR of each employment —
// kept on local disk when that dump is imported, so tonight the previous dump need not be read and parsed
// again (half the comparison's time). A missing, stale or unreadable entry only means reading the dump.
// The file holds CPR numbers, as the dumps themselves do: it lives in moflow's data folder, next to them.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DumpFingerprints } from '../opus/compare.js';
import { makePrivateDir } from '../util/privateDir.js';

export interface DumpDigest {
  fingerprints: DumpFingerprints;
  /** Employment id → CPR, for employments of the dump (not leave stubs). */
  employmentCprs: Map<string, string>;
  /** Unit uuid → the print of what the dump wants of its addresses (unitAddressPrints.ts). */
  unitAddresses: Map<string, string>;
}

/** Identifies a dump's content well enough: a dump is written once and never changed under its name. */
export interface DigestKey {
  name: string;
  size: number;
}

/** 2: with the unit address prints (a version-1 digest is read as missing: the dump is read again). */
const VERSION = 2;
/** Digests kept: tonight's previous, plus a few for re-runs of older dumps. */
const KEEP = 4;

interface Stored {
  version: number;
  name: string;
  size: number;
  orgUnits: [string, string][];
  employees: [string, string][];
  cprs: [string, string][];
  unitAddresses: [string, string][];
}

export class DigestCache {
  constructor(private readonly dir: string) {}

  load(key: DigestKey): DumpDigest | null {
    let stored: Stored;
    try {
      stored = JSON.parse(readFileSync(this.path(key.name), 'utf8')) as Stored;
    } catch {
      return null;
    }
    if (stored.version !== VERSION || stored.name !== key.name || stored.size !== key.size) return null;
    return {
      fingerprints: { orgUnits: new Map(stored.orgUnits), employees: new Map(stored.employees) },
      employmentCprs: new Map(stored.cprs),
      unitAddresses: new Map(stored.unitAddresses),
    };
  }

  /** Written under a temporary name and renamed, so a crash never leaves half a digest. */
  save(key: DigestKey, digest: DumpDigest): void {
    makePrivateDir(this.dir);
    const stored: Stored = {
      version: VERSION,
      name: key.name,
      size: key.size,
      orgUnits: [...digest.fingerprints.orgUnits],
      employees: [...digest.fingerprints.employees],
      cprs: [...digest.employmentCprs],
      unitAddresses: [...digest.unitAddresses],
    };
    const target = this.path(key.name);
    writeFileSync(`${target}.tmp`, JSON.stringify(stored), { mode: 0o600 });
    renameSync(`${target}.tmp`, target);
    this.prune();
  }

  /** Keeps the digests written last (not the newest names: an older dump may be imported again). */
  private prune(): void {
    const files = readdirSync(this.dir)
      .filter((f) => f.endsWith('.digest.json'))
      .map((f) => ({ f, at: statSync(join(this.dir, f)).mtimeMs }))
      .sort((a, b) => a.at - b.at);
    for (const { f } of files.slice(0, Math.max(0, files.length - KEEP))) rmSync(join(this.dir, f), { force: true });
  }

  private path(name: string): string {
    return join(this.dir, `${name}.digest.json`);
  }
}
