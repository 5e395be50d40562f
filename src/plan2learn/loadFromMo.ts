// The export's MO snapshot, read through the MO client in bulk: one paged read per collection for the whole
// organisation (eight reads in all), joined in memory by the export. DIPEX asked MO per unit, per person and
// per engagement (REST and GraphQL mixed, spec §7.20); nothing here reads a single object.
//
// The windows follow spec §2, anchored on the export's `today` (never MO's clock, so the day is the same for
// every read even across midnight):
// - classes, facets, org units, persons, managers: as on `today`;
// - engagements: every slice from `today` on, or for RSD their whole history (the original start date);
// - person e-mails and phones: every slice from `today` on (a future address counts, spec §1.1), of the
//   types that can be chosen: any e-mail type (the priority list is only a preference), only the listed
//   phone types (a strict filter);
// - unit postal (DAR) addresses: as on `today`, with MO's `name` (the DAR text).
import type { AddressSlice, MoClient, MoTemporal } from '../mo/index.js';
import type { Plan2LearnVariant } from './options.js';
import type { Day, MoSnapshot } from './snapshot.js';

/** Only units' DAR addresses are read with their name: resolving persons' home addresses in DAR is slow and unused. */
const UNIT_ADDRESS_FACET = 'org_unit_address_type';

export interface LoadOptions {
  today: Day;
  /** RSD needs each engagement's whole history; Viborg only what is valid from `today` on. */
  variant: Plan2LearnVariant;
  /** Phone address types the export may choose (exporters' phone priority); other phone types are not read. */
  phonePriority: readonly string[];
  /** Objects per request (default: the client's). */
  pageSize?: number;
  /** After each page: the collection and the objects read so far in it. */
  onPage?: (collection: string, objects: number) => void;
}

export interface LoadStats {
  /** Objects per collection. */
  objects: Record<string, number>;
  ms: number;
}

export async function loadSnapshotFromMo(client: MoClient, options: LoadOptions): Promise<{ snapshot: MoSnapshot; stats: LoadStats }> {
  const started = performance.now();
  const { today } = options;
  const at = { at: today };
  const fromToday = { from: today, to: null };
  const read = options.pageSize === undefined ? {} : { pageSize: options.pageSize };
  const stats: LoadStats = { objects: {}, ms: 0 };

  async function all<T>(collection: string, pages: AsyncGenerator<T[], void, undefined>): Promise<T[]> {
    const out: T[] = [];
    for await (const page of pages) {
      for (const item of page) out.push(item);
      options.onPage?.(collection, out.length);
    }
    stats.objects[collection] = out.length;
    return out;
  }

  /** readWithName has no page-by-page form; a few hundred units fit one or two pages anyway. */
  async function named<T>(collection: string, reading: Promise<T[]>): Promise<T[]> {
    const out = await reading;
    stats.objects[collection] = out.length;
    options.onPage?.(collection, out.length);
    return out;
  }

  // The classes come first: the address reads are narrowed to the address types the export looks at.
  const [facets, classes] = await Promise.all([
    all('facets', client.facets.pages({}, at, read)),
    all('classes', client.classes.pages({}, at, read)),
  ]);
  const facetKey = new Map(facets.map((f) => [f.uuid, f.userKey]));
  const phoneTypes = new Set(options.phonePriority);
  const personAddressTypes = classes.filter((c) => c.scope === 'EMAIL' || (c.scope === 'PHONE' && phoneTypes.has(c.uuid))).map((c) => c.uuid);
  const unitDarTypes = classes.filter((c) => c.scope === 'DAR' && facetKey.get(c.facetUuid) === UNIT_ADDRESS_FACET).map((c) => c.uuid);

  // Independent reads, concurrently: MO answers one while moflow maps another.
  const none = Promise.resolve([] as MoTemporal<AddressSlice>[]);
  const [orgUnits, persons, engagements, contactAddresses, unitAddresses, managers] = await Promise.all([
    all('org units', client.orgUnits.pages({}, at, read)),
    all('persons', client.persons.pages({}, at, read)),
    all('engagements', client.engagements.pages({}, options.variant === 'RSD' ? 'all' : fromToday, read)),
    personAddressTypes.length === 0 ? none : all('e-mails and phones', client.addresses.pages({ addressTypeUuids: personAddressTypes }, fromToday, read)),
    unitDarTypes.length === 0 ? none : named('unit addresses', client.addresses.readWithName({ addressTypeUuids: unitDarTypes }, at, read)),
    all('managers', client.managers.pages({}, at, read)),
  ]);

  stats.ms = performance.now() - started;
  // In a fixed order for the log (the reads finish in any order).
  const order = ['facets', 'classes', 'org units', 'persons', 'engagements', 'managers', 'e-mails and phones', 'unit addresses'];
  stats.objects = Object.fromEntries(order.filter((k) => k in stats.objects).map((k) => [k, stats.objects[k]!]));
  // The two address reads select disjoint types (EMAIL/PHONE vs DAR), so no address is listed twice.
  const snapshot: MoSnapshot = { facets, classes, orgUnits, persons, engagements, addresses: [...contactAddresses, ...unitAddresses], managers };
  return { snapshot, stats };
}
