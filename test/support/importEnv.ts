// An OPUS import against a real MO — the local MO on PostgreSQL, or the real OS2MO 66.1.2 — with dumps in a
// temporary folder: what the import tests need to write dumps, import them day by day and look at MO through
// the client. Each import suite runs once per MO kind (see moTargets.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { opusImportDefaults, type OpusImportOptions } from '../../src/config/opus.js';
import { createMoClient, type MoClient } from '../../src/mo/index.js';
import { LocalFolderSource } from '../../src/sources/local.js';
import { importDump, importSettings, planDump, type ImportSettings } from '../../src/sync/importDump.js';
import type { PostalResolver } from '../../src/sync/prepare.js';
import { OpusUuids } from '../../src/sync/uuids.js';
import { useMo, type MoKind, type MoUnderTest, type UseMoOptions } from './moTargets.js';

export const MUNICIPALITY = 'Andeby Kommune';
export const UUIDS = new OpusUuids(MUNICIPALITY);

export const BASE_OPTIONS: OpusImportOptions = opusImportDefaults(MUNICIPALITY);

export interface ImportEnv {
  readonly kind: MoKind;
  readonly mo: MoUnderTest;
  readonly client: MoClient;
  /** The MO's base URL (mora.base), for commands run as operators run them. */
  readonly moUrl: string;
  /** The settings that point moflow's CLI at this MO (mora.base, and Keycloak credentials for OS2MO). */
  moSettings(): Record<string, string>;
  readonly dir: string;
  readonly source: LocalFolderSource;
  /** Writes a dump named for the day, e.g. `dump('2024-03-01', xml)` → ZLPE20240301223000_delta.xml. */
  dump(day: string, xml: string): string;
  settings(overrides?: Partial<OpusImportOptions>, extra?: { full?: boolean; postal?: PostalResolver }): ImportSettings;
  /** Imports a dump against the previous one (null for a first import). */
  run(name: string, previous: string | null, overrides?: Partial<OpusImportOptions> & { approveMassChange?: boolean; postal?: PostalResolver; full?: boolean }): ReturnType<typeof importDump>;
  /** Like run, through another client (e.g. one that fails on purpose). */
  runWith(client: MoClient, name: string, previous: string | null, overrides?: Partial<OpusImportOptions> & { approveMassChange?: boolean }): ReturnType<typeof importDump>;
  plan(name: string, previous: string | null, overrides?: Partial<OpusImportOptions> & { postal?: PostalResolver; full?: boolean }): ReturnType<typeof planDump>;
}

export function dumpName(day: string): string {
  return `ZLPE${day.replace(/-/g, '')}223000_delta.xml`;
}

export function useImportEnv(kind: MoKind = 'local', options: UseMoOptions = {}): ImportEnv {
  const mo = useMo(kind, options);
  let dir = '';
  let client: MoClient | undefined;
  let source: LocalFolderSource | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'moflow-import-'));
    source = new LocalFolderSource(dir);
    client = createMoClient(mo.clientOptions());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const settingsOf = (overrides: Partial<OpusImportOptions> & { postal?: PostalResolver; full?: boolean } = {}) => {
    const { postal, full, ...options } = overrides;
    return importSettings({ ...BASE_OPTIONS, ...options }, { full: full ?? false, ...(postal ? { postal } : {}) });
  };
  return {
    kind,
    mo,
    moSettings: () => mo.settings(),
    get client() {
      return client!;
    },
    get moUrl() {
      return mo.url;
    },
    get dir() {
      return dir;
    },
    get source() {
      return source!;
    },
    dump(day, xml) {
      const name = dumpName(day);
      writeFileSync(join(dir, name), xml);
      return name;
    },
    settings: (overrides, extra) => settingsOf({ ...overrides, ...extra }),
    run: (name, previous, overrides = {}) =>
      importDump(client!, source!, { name, previous }, { ...settingsOf(overrides), approveMassChange: overrides.approveMassChange ?? false }),
    runWith: (other, name, previous, overrides = {}) =>
      importDump(other, source!, { name, previous }, { ...settingsOf(overrides), approveMassChange: overrides.approveMassChange ?? false }),
    plan: (name, previous, overrides = {}) => planDump(client!, source!, { name, previous }, settingsOf(overrides)),
  };
}
