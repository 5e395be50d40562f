// Reading a dump (and the one imported before it) into what the planner needs: every unit, and the
// employments and people a dump changes. Both dumps are streamed once; only changed employments are kept
// whole, so memory follows the number of records and the size of the change. Without a previous dump (the
// first import, or --full) every employment counts as changed and MO is compared with all of them.
import type { OpusImportOptions } from '../config/opus.js';
import { compareDumps, type DumpComparison, type DumpFingerprints } from '../opus/compare.js';
import type { DumpDigest } from './digestCache.js';
import type { DumpName } from '../opus/dumpName.js';
import { formatDiagnostic, type DumpEntry, type Employment, type LeaveStub, type OrgUnit } from '../opus/records.js';
import { employmentWish, personFacts } from './desired/employments.js';
import { desiredPerson } from './desired/persons.js';
import type { AddressWish, DesiredPerson, EmploymentWish, ImportIssue, PersonFacts } from './desired/types.js';
import { desiredUnits, type UnitsWanted } from './desired/units.js';
import { unitAddressPrints, unitsWithChangedAddresses } from './unitAddressPrints.js';
import { OpusUuids } from './uuids.js';

/** Looks up postal addresses (street + postal code) in DAR, all at once; the enrichment supplies it. */
export type PostalResolver = (addresses: { street: string; postalCode: string }[]) => Promise<Map<string, AddressWish>>;

export const postalKey = (street: string, postalCode: string): string => `${street.trim().toLowerCase()}|${postalCode.trim()}`;

/** Until DAR is configured, postal addresses are left as they are in MO, and counted. */
export const noDar: PostalResolver = async (addresses) =>
  new Map(addresses.map((a) => [postalKey(a.street, a.postalCode), { kind: 'keep', why: 'postal addresses need DAR, which is not configured' } as AddressWish]));

export interface ImportInput {
  dump: DumpName;
  uuids: OpusUuids;
  units: UnitsWanted;
  /** Wishes of the employments to plan (new or changed in the dump, or all without a previous dump). */
  wishes: EmploymentWish[];
  /** Employment ids of the previous dump gone from this one. */
  gone: string[];
  /** The people of the employments to plan. */
  persons: DesiredPerson[];
  /** Employments (not leave stubs) the dump lists: the base of the mass-change guard. */
  employmentCount: number;
  /** Unit ids of the previous dump, to recognise OPUS units in MO. */
  previousUnitIds: string[];
  comparison: DumpComparison;
  issues: ImportIssue[];
  /** This dump's digest, for the next night's comparison (see digestCache.ts). */
  digest: DumpDigest;
  /**
   * The units (uuids) whose addresses to compare with MO; null: every unit's (a first import, --full, or no
   * digest of the previous dump). See unitAddressPrints.ts.
   */
  unitAddressesToCompare: Set<string> | null;
}

/** The dump imported before: read again, or its digest kept from when it was imported. */
export type PreviousDump = { dump: DumpName; entries: AsyncIterable<DumpEntry> } | { dump: DumpName; digest: DumpDigest };

export interface PrepareOptions extends OpusImportOptions {
  /** Compare every record with MO, not only the ones changed since the previous dump. */
  full?: boolean;
  /** Compare every employment in these OPUS units with MO too: units that widen (see importDump.ts). */
  alsoUnits?: readonly string[];
}

export async function prepareImport(
  dump: DumpName,
  current: AsyncIterable<DumpEntry>,
  previous: PreviousDump | null,
  options: PrepareOptions,
  resolvePostal: PostalResolver = noDar,
): Promise<ImportInput> {
  const uuids = new OpusUuids(options.municipalityName);
  const unitRecords: OrgUnit[] = [];
  const changed: (Employment | LeaveStub)[] = [];
  const facts = new Map<string, PersonFacts[]>();
  const previousUnitIds: string[] = [];
  let employmentCount = 0;

  // The previous dump's unit ids are wanted too; tap them while the comparison reads it.
  // From the previous dump: its unit ids, and whose each employment was, so a person is planned again when
  // one of their employments ends or vanishes (it may have been the one speaking for them).
  let previousCprs = new Map<string, string>();
  let tapped: AsyncIterable<DumpEntry> | DumpFingerprints | null = null;
  if (previous && 'digest' in previous) {
    tapped = previous.digest.fingerprints;
    previousCprs = previous.digest.employmentCprs;
    for (const [id, print] of tapped.orgUnits) if (print !== '') previousUnitIds.push(id);
  } else if (previous) {
    tapped = tap(previous.entries, (e) => {
      if (e.kind === 'orgUnit') previousUnitIds.push(e.id);
      else if (e.kind === 'employment') previousCprs.set(e.id, e.cpr);
    });
  }
  const currentCprs = new Map<string, string>();
  // An unchanged record still changes meaning when its leaveDate passes: the employment stops speaking for
  // its person (name, addresses, user name), so its person is planned again.
  const endedSince = (e: Employment) => previous !== null && e.leaveDate !== null && e.leaveDate >= previous.dump.date && e.leaveDate < dump.date;
  const alsoUnits = new Set(options.alsoUnits);
  const inAlsoUnits = (e: Employment) => e.orgUnit !== null && alsoUnits.has(e.orgUnit);
  const comparison = await compareDumps(tapped, current, (entry, status) => {
    if (entry.kind === 'orgUnit') unitRecords.push(entry);
    else if (entry.kind === 'employment') {
      employmentCount++;
      currentCprs.set(entry.id, entry.cpr);
      const list = facts.get(entry.cpr);
      const fact = personFacts(entry, dump.date);
      if (list) list.push(fact);
      else facts.set(entry.cpr, [fact]);
      if (options.full || status !== 'unchanged' || endedSince(entry) || inAlsoUnits(entry)) changed.push(entry);
    } else if (entry.kind === 'leave' && (options.full || status !== 'unchanged')) {
      changed.push(entry);
    }
  }, { keepFingerprints: true });
  const issues: ImportIssue[] = comparison.diagnostics.map((d) => ({
    opusId: d.opusId,
    kind: d.element === 'orgUnit' ? 'orgUnit' : 'employment',
    message: formatDiagnostic(d),
    source: { file: d.file, line: d.line },
  }));
  const invalid = new Set(comparison.employees.invalid);

  const skipEmployees = options.skipEmployees;
  const touched = skipEmployees ? [] : changed.filter((e) => !invalid.has(e.id));
  const touchedCprs = new Set(touched.flatMap((e) => (e.kind === 'employment' ? [e.cpr] : [])));
  if (!skipEmployees) {
    for (const id of [...touched.map((e) => e.id), ...comparison.employees.gone]) {
      const cpr = previousCprs.get(id);
      if (cpr !== undefined && facts.has(cpr)) touchedCprs.add(cpr);
    }
  }
  const postalWanted = [
    ...unitRecords.flatMap((u) => (u.street && u.zipCode ? [{ street: u.street, postalCode: u.zipCode }] : [])),
    ...(options.skipEmployeeAddress ? [] : [...touchedCprs].flatMap((cpr) => (facts.get(cpr) ?? []).flatMap((f) => (f.address && f.address !== 'protected' ? [f.address] : [])))),
  ];
  const postal = await resolvePostal(dedupe(postalWanted));
  const postalAddress = (street: string, postalCode: string): AddressWish =>
    postal.get(postalKey(street, postalCode)) ?? { kind: 'keep', why: 'the postal address was not looked up', retry: true };

  const units = desiredUnits(unitRecords, {
    uuids,
    filterIds: new Set(options.filterUnitIds),
    unitUserKey: options.unitUserKey,
    postalAddress,
    rejectedIds: new Set(comparison.orgUnits.invalid),
  });
  issues.push(...units.issues);
  // A unit the reader rejected is still OPUS's: left alone like a blocked one, never ended as gone.
  for (const id of comparison.orgUnits.invalid) units.blocked.add(id);
  const importedUnits = new Map(units.units.map((u) => [u.opusId, { from: u.from, to: u.to }]));
  const wishes = touched.map((record) => employmentWish(record, { uuids, importedUnits, filteredUnits: units.filtered }));
  const personContext = { skipEmail: options.skipEmployeeEmail, skipPhone: options.skipEmployeePhone, skipAddress: options.skipEmployeeAddress, postalAddress };
  // Like DIPEX, an employment in a filtered unit is not imported at all: it neither creates nor speaks for
  // its person. A person known only from such employments is left as MO has them.
  const persons = [...touchedCprs].flatMap((cpr) => {
    const importable = facts.get(cpr)!.filter((f) => f.unitOpusId === null || !units.filtered.has(f.unitOpusId));
    return importable.length > 0 ? [desiredPerson(importable, personContext)] : [];
  });

  const addressPrints = unitAddressPrints(units.units);
  const previousPrints = previous && 'digest' in previous ? previous.digest.unitAddresses : null;
  return {
    dump,
    uuids,
    units,
    wishes,
    gone: skipEmployees ? [] : comparison.employees.gone,
    persons,
    employmentCount,
    previousUnitIds,
    comparison,
    issues,
    digest: { fingerprints: comparison.fingerprints!, employmentCprs: currentCprs, unitAddresses: addressPrints },
    unitAddressesToCompare: options.full || !previousPrints ? null : unitsWithChangedAddresses(addressPrints, previousPrints),
  };
}

async function* tap<T>(entries: AsyncIterable<T>, see: (entry: T) => unknown): AsyncGenerator<T> {
  for await (const entry of entries) {
    see(entry);
    yield entry;
  }
}

function dedupe(addresses: { street: string; postalCode: string }[]): { street: string; postalCode: string }[] {
  const seen = new Map<string, { street: string; postalCode: string }>();
  for (const a of addresses) seen.set(postalKey(a.street, a.postalCode), a);
  return [...seen.values()];
}

/** The OPUS employment ids a plan of `input` asks MO about: those it wishes something for, and those gone. */
export function employmentIdsOf(input: Pick<ImportInput, 'wishes' | 'gone'>): string[] {
  return [...input.wishes.map((w) => (w.kind === 'employment' ? w.employment.opusId : w.opusId)), ...input.gone];
}
