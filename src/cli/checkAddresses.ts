// `moflow opus check-addresses`: the units of the newest dump whose postal address DAR does not resolve, as
// `id, longName, street, zipCode, why` (tab-separated on stdout) — DIPEX's `opus_check_dar_adresses`, which
// never reported anything there (the look-up was not awaited). It asks DAR as the import does, through the
// same cache, so it also warms the cache before a first import. Always exits 0: it is a report.
import type { Command } from 'commander';
import { loadSettings, type Settings } from '../config/load.js';
import { describeSource, dumpSourceConfig } from '../config/opus.js';
import { openDarResolver, type OpenDarOptions } from '../dar/open.js';
import { hitRate, type DarStats } from '../dar/resolver.js';
import { readDump } from '../opus/reader.js';
import type { OrgUnit } from '../opus/records.js';
import { openDumpSource } from '../sources/index.js';
import { DumpSourceError } from '../sources/types.js';
import type { AddressWish } from '../sync/desired/types.js';
import { postalKey } from '../sync/prepare.js';
import { log, settingsPathOf } from './output.js';

export interface UnresolvedUnit {
  id: string;
  longName: string | null;
  street: string | null;
  zipCode: string | null;
  why: string;
}

export interface AddressCheck {
  dump: string;
  units: number;
  /** Units with both street and zipCode, i.e. looked up. */
  withAddress: number;
  resolved: number;
  /** Misses and half addresses (street without zipCode or the reverse). */
  unresolved: UnresolvedUnit[];
  /** Units DAR did not answer for (not listed: unknown, not wrong). */
  unanswered: number;
  dar: DarStats;
}

export function registerCheckAddressesCommand(opus: Command): void {
  opus
    .command('check-addresses')
    .description("list the newest dump's units whose postal address DAR cannot resolve (id, longName, street, zipCode, why)")
    .option('--refresh', 'ask DAR again even for addresses the cache has an answer for')
    .action(async (opts: { refresh?: boolean }, command: Command) => {
      const settings = loadSettings({ settingsPath: settingsPathOf(command) });
      const check = await checkUnitAddresses(settings, { resolver: { ignoreCachedAnswers: opts.refresh ?? false }, log });
      for (const u of check.unresolved) process.stdout.write(`${[u.id, u.longName, u.street, u.zipCode, u.why].map((v) => clean(v ?? '')).join('\t')}\n`);
      log(checkSummary(check));
    });
}

/** Reads the newest dump's units and resolves their addresses through DAR and the cache. */
export async function checkUnitAddresses(settings: Settings, options: Pick<OpenDarOptions, 'client' | 'cache' | 'resolver' | 'log'> = {}): Promise<AddressCheck> {
  const config = dumpSourceConfig(settings);
  const source = openDumpSource(config);
  let dump: string;
  const units: OrgUnit[] = [];
  try {
    const { dumps } = await source.list();
    const newest = dumps.at(-1);
    if (!newest) throw new DumpSourceError(`${describeSource(config)} holds no dumps. Fix: check the source settings (moflow config show).`);
    dump = newest.name;
    options.log?.(`reading ${dump} from ${describeSource(config)}`);
    for await (const entry of readDump(await source.open(dump), { file: dump })) if (entry.kind === 'orgUnit') units.push(entry);
  } finally {
    await source.close();
  }

  const unresolved: UnresolvedUnit[] = [];
  const lookedUp = units.filter((u) => u.street && u.zipCode);
  for (const u of units) {
    if ((u.street === null) !== (u.zipCode === null)) {
      unresolved.push({ ...row(u), why: u.street ? 'a street without zipCode in OPUS: not looked up' : 'a zipCode without street in OPUS: not looked up' });
    }
  }
  const dar = await openDarResolver(settings, options);
  let wishes: Map<string, AddressWish>;
  try {
    options.log?.(`asking DAR at ${dar.baseUrl} (cache: ${dar.cacheLocation}) about ${lookedUp.length} unit address(es)`);
    wishes = await dar.resolver(lookedUp.map((u) => ({ street: u.street!, postalCode: u.zipCode! })));
  } finally {
    await dar.close();
  }
  let resolved = 0;
  let unanswered = 0;
  for (const u of lookedUp) {
    const wish = wishes.get(postalKey(u.street!, u.zipCode!));
    if (wish?.kind === 'value') resolved++;
    else if (wish?.kind === 'keep' && wish.problem) unresolved.push({ ...row(u), why: wish.why });
    else unanswered++;
  }
  unresolved.sort((a, b) => compareIds(a.id, b.id));
  return { dump, units: units.length, withAddress: lookedUp.length, resolved, unresolved, unanswered, dar: { ...dar.resolver.stats } };
}

export function checkSummary(check: AddressCheck): string {
  const parts = [
    `${check.dump}: ${check.units} units, ${check.withAddress} with street and zipCode: ${check.resolved} resolve in DAR, ${check.unresolved.length} listed as not resolving`,
  ];
  if (check.unanswered > 0) parts.push(`${check.unanswered} not checked because DAR did not answer (run again later)`);
  parts.push(`cache hit rate ${hitRate(check.dar)}, ${check.dar.requests} DAR requests`);
  return parts.join('; ');
}

function row(u: OrgUnit): Omit<UnresolvedUnit, 'why'> {
  return { id: u.id, longName: u.longName, street: u.street, zipCode: u.zipCode };
}

/** OPUS ids are numbers in text; sort them as numbers when they are. */
function compareIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a.localeCompare(b);
}

/** Keeps one row per line: tabs and newlines inside values become spaces. */
function clean(value: string): string {
  return value.replace(/[\t\r\n]+/g, ' ');
}
