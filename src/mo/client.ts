// The OS2MO client: the only way moflow reads from and writes to MO, against a municipality's OS2MO and
// the local OS2MO-compatible service alike. Per kind it offers paged reads with a time window and the
// mutations of docs/mo-api-subset.md; `write` sends many operations in few all-or-nothing requests.
import type { Settings } from '../config/load.js';
import { moClientConfig, type MoClientConfig } from '../config/mo.js';
import { createClassCatalog, type ClassSpec } from './classCatalog.js';
import { readAddresses, readAddressesWithName } from './documents/addresses.js';
import { readClasses } from './documents/classes.js';
import { readEngagements } from './documents/engagements.js';
import { readFacets } from './documents/facets.js';
import { readItSystems } from './documents/itSystems.js';
import { readItUsers } from './documents/itUsers.js';
import { readManagers } from './documents/managers.js';
import { readOrgUnits } from './documents/orgUnits.js';
import { readPersons } from './documents/persons.js';
import { MUTATIONS } from './documents/registry.js';
import { readRoleBindings } from './documents/roleBindings.js';
import type { MoKind, ReadDocument } from './documents/spec.js';
import { addressFilter, mapAddressSlice, type AddressFilter, type AddressSlice, type RawAddressSlice } from './kinds/addresses.js';
import { classFilter, mapClasses, type ClassFilter, type MoClass } from './kinds/classes.js';
import { isEmptySelection, mapTemporal, type MoTemporal, type RawSlice, type RawTemporal, type SliceBase } from './kinds/common.js';
import { engagementFilter, flagPrimary, mapEngagementSlice, type EngagementFilter, type EngagementSlice } from './kinds/engagements.js';
import { facetFilter, mapFacets, type FacetFilter, type MoFacet } from './kinds/facets.js';
import { itSystemFilter, mapItSystems, type ItSystemFilter, type MoItSystem } from './kinds/itSystems.js';
import { itUserFilter, mapItUserSlice, type ItUserFilter, type ItUserSlice } from './kinds/itUsers.js';
import { managerFilter, mapManagerSlice, type ManagerFilter, type ManagerSlice } from './kinds/managers.js';
import { mapOrgUnitSlice, orgUnitFilter, type OrgUnitFilter, type OrgUnitSlice } from './kinds/orgUnits.js';
import { mapPersonSlice, personFilter, type PersonFilter, type PersonSlice } from './kinds/persons.js';
import { mapRoleBindingSlice, roleBindingFilter, type RoleBindingFilter, type RoleBindingSlice } from './kinds/roleBindings.js';
import { prepareOperation, type MoActionsOf, type MoInput, type MoOperation } from './operations.js';
import { DEFAULT_PAGE_SIZE, readAll, readPages } from './paging.js';
import { copenhagenToday, type Day } from './time.js';
import { createTransport, type MoRetryOptions, type MoTransport } from './transport.js';
import { windowVariables, type MoWhen } from './when.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_REQUESTS_IN_FLIGHT, writeOperations, type WriteOptions } from './writer.js';

export interface ReadOptions {
  /** Objects per request (default 1000). */
  pageSize?: number;
}

/** Reads of a collection with history: every object with its slices in the window. */
export interface TemporalCollection<F, S> {
  read(filter?: F, when?: MoWhen, options?: ReadOptions): Promise<MoTemporal<S>[]>;
  pages(filter?: F, when?: MoWhen, options?: ReadOptions): AsyncGenerator<MoTemporal<S>[], void, undefined>;
  byUuid(uuid: string, when?: MoWhen): Promise<MoTemporal<S> | null>;
}

/** Classes, facets and IT systems are read as they are on one day (default today). */
export type MoAt = 'current' | { at: Day };

export interface CurrentCollection<F, T> {
  read(filter?: F, at?: MoAt, options?: ReadOptions): Promise<T[]>;
  pages(filter?: F, at?: MoAt, options?: ReadOptions): AsyncGenerator<T[], void, undefined>;
}

/** create/update/terminate/delete as MO offers them for a kind; each resolves to the object's uuid. */
export type Mutators<K extends MoKind> = { [A in MoActionsOf<K>]: (input: MoInput<K, A>) => Promise<string> };

export interface MoClient {
  readonly transport: MoTransport;
  readonly facets: CurrentCollection<FacetFilter, MoFacet> & Mutators<'facet'>;
  readonly classes: CurrentCollection<ClassFilter, MoClass> &
    Mutators<'class'> & {
      /** The facet's classes (current). */
      byFacet(facetUserKey: string, at?: MoAt): Promise<MoClass[]>;
    };
  readonly itSystems: CurrentCollection<ItSystemFilter, MoItSystem> & Mutators<'itSystem'>;
  readonly orgUnits: TemporalCollection<OrgUnitFilter, OrgUnitSlice> & Mutators<'orgUnit'>;
  readonly persons: TemporalCollection<PersonFilter, PersonSlice> &
    Mutators<'person'> & {
      byCprs(cprNumbers: string[], when?: MoWhen, options?: ReadOptions): Promise<MoTemporal<PersonSlice>[]>;
    };
  readonly engagements: TemporalCollection<EngagementFilter, EngagementSlice> & Mutators<'engagement'>;
  readonly addresses: TemporalCollection<AddressFilter, AddressSlice> &
    Mutators<'address'> & {
      /** Also reads `name` (for DAR addresses MO looks the text up in DAR: slower). */
      readWithName(filter?: AddressFilter, when?: MoWhen, options?: ReadOptions): Promise<MoTemporal<AddressSlice>[]>;
    };
  readonly managers: TemporalCollection<ManagerFilter, ManagerSlice> & Mutators<'manager'>;
  readonly itUsers: TemporalCollection<ItUserFilter, ItUserSlice> & Mutators<'itUser'>;
  readonly roleBindings: TemporalCollection<RoleBindingFilter, RoleBindingSlice> & Mutators<'roleBinding'>;
  /** The class of the facet matching user_key or name (case-insensitive, like DIPEX), created when missing. */
  ensureClass(facetUserKey: string, spec: ClassSpec): Promise<MoClass>;
  /** One operation, alone in its request. */
  mutate(operation: MoOperation): Promise<string>;
  /** Writes per request and requests in flight that a plan's writer uses (sync/apply.ts). */
  readonly writeTuning: { batchSize: number; requestsInFlight: number };
  /** Many operations in order, in all-or-nothing requests of `batchSize`; the uuids in the same order. */
  write(operations: readonly MoOperation[], options?: WriteOptions): Promise<string[]>;
}

export interface MoClientOptions extends MoClientConfig {
  retry?: MoRetryOptions;
  /** Default objects per read request (1000). */
  pageSize?: number;
  /** "Today" for the 'future' and 'history' windows (default: today in Copenhagen). */
  today?: () => Day;
}

export function moClientFromSettings(settings: Settings, options: Omit<MoClientOptions, keyof MoClientConfig> = {}): MoClient {
  return createMoClient({ ...moClientConfig(settings), ...options });
}

export function createMoClient(options: MoClientOptions): MoClient {
  const transport = createTransport({ baseUrl: options.baseUrl, auth: options.auth, timeoutMs: options.timeoutMs, retry: options.retry });
  const defaultPageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const today = options.today ?? (() => copenhagenToday());

  function temporal<F extends object, R extends RawSlice, S extends SliceBase>(
    document: ReadDocument,
    toFilter: (filter: F) => object,
    mapSlice: (raw: R, from: Day | null, to: Day | null) => S,
  ): TemporalCollection<F, S> {
    const map = (objects: RawTemporal<R>[]) => mapTemporal(objects, mapSlice);
    const variables = (filter: F, when: MoWhen) => {
      const w = windowVariables(when, today);
      return { filter: { ...toFilter(filter), ...w.filterDates }, start: w.start, end: w.end };
    };
    const collection: TemporalCollection<F, S> = {
      async read(filter = {} as F, when = 'current', opts = {}) {
        if (isEmptySelection(filter)) return [];
        return readAll(transport, document, variables(filter, when), map, opts.pageSize ?? defaultPageSize);
      },
      async *pages(filter = {} as F, when = 'current', opts = {}) {
        if (isEmptySelection(filter)) return;
        yield* readPages(transport, document, variables(filter, when), map, opts.pageSize ?? defaultPageSize);
      },
      async byUuid(uuid, when = 'current') {
        const [found] = await collection.read({ uuids: [uuid] } as F, when);
        return found ?? null;
      },
    };
    return collection;
  }

  function current<F extends object, R, T>(document: ReadDocument, toFilter: (filter: F) => object, map: (objects: R[]) => T[]): CurrentCollection<F, T> {
    const variables = (filter: F, at: MoAt) => {
      const w = windowVariables(at, today);
      return { filter: { ...toFilter(filter), ...w.filterDates }, at: w.at };
    };
    return {
      async read(filter = {} as F, at = 'current', opts = {}) {
        if (isEmptySelection(filter)) return [];
        return readAll(transport, document, variables(filter, at), map, opts.pageSize ?? defaultPageSize);
      },
      async *pages(filter = {} as F, at = 'current', opts = {}) {
        if (isEmptySelection(filter)) return;
        yield* readPages(transport, document, variables(filter, at), map, opts.pageSize ?? defaultPageSize);
      },
    };
  }

  async function mutate(operation: MoOperation): Promise<string> {
    const { spec, variable } = prepareOperation(operation);
    const data = await transport.request<Record<string, { uuid: string }>>(spec.document, { [spec.argument]: variable });
    const uuid = data[spec.field]?.uuid;
    if (typeof uuid !== 'string') throw new Error(`OS2MO ${spec.document.operationName} answered without a uuid`);
    return uuid;
  }

  function mutators<K extends MoKind>(kind: K): Mutators<K> {
    const out: Record<string, (input: unknown) => Promise<string>> = {};
    for (const spec of MUTATIONS) {
      if (spec.kind === kind) out[spec.action] = (input) => mutate({ kind, action: spec.action, input } as MoOperation);
    }
    return out as Mutators<K>;
  }

  const classes = current(readClasses, classFilter, mapClasses);
  const facets = current(readFacets, facetFilter, mapFacets);
  const classMutators = mutators('class');
  const catalog = createClassCatalog({
    facet: async (userKey) => (await facets.read({ userKeys: [userKey] }))[0] ?? null,
    classesOf: (facetUserKey) => classes.read({ facetUserKeys: [facetUserKey] }),
    create: (input) => classMutators.create(input),
  });
  const persons = temporal(readPersons, personFilter, mapPersonSlice);
  const engagements = withPrimaryFlags(temporal(readEngagements, engagementFilter, mapEngagementSlice), async (uuids) => {
    const found = await classes.read({ uuids });
    return new Map(found.map((c) => [c.uuid, c.scope]));
  });
  const addresses = temporal(readAddresses, addressFilter, mapAddressSlice);
  const addressesWithName = temporal(readAddressesWithName, addressFilter, mapAddressSlice);

  return {
    transport,
    facets: { ...facets, ...mutators('facet') },
    classes: { ...classes, ...classMutators, byFacet: (facetUserKey, at) => classes.read({ facetUserKeys: [facetUserKey] }, at) },
    itSystems: { ...current(readItSystems, itSystemFilter, mapItSystems), ...mutators('itSystem') },
    orgUnits: { ...temporal(readOrgUnits, orgUnitFilter, mapOrgUnitSlice), ...mutators('orgUnit') },
    persons: { ...persons, ...mutators('person'), byCprs: (cprNumbers, when, opts) => persons.read({ cprNumbers }, when, opts) },
    engagements: { ...engagements, ...mutators('engagement') },
    addresses: { ...addresses, ...mutators('address'), readWithName: (filter, when, opts) => addressesWithName.read(filter, when, opts) },
    managers: { ...temporal(readManagers, managerFilter, mapManagerSlice), ...mutators('manager') },
    itUsers: { ...temporal(readItUsers, itUserFilter, mapItUserSlice), ...mutators('itUser') },
    roleBindings: { ...temporal(readRoleBindings, roleBindingFilter, mapRoleBindingSlice), ...mutators('roleBinding') },
    ensureClass: (facetUserKey, spec) => catalog.ensure(facetUserKey, spec),
    mutate,
    writeTuning: { batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, requestsInFlight: options.requestsInFlight ?? DEFAULT_REQUESTS_IN_FLIGHT },
    write: (operations, opts = {}) =>
      writeOperations(transport, operations, { batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, bulk: options.bulkMutations ?? false, ...opts }),
  };
}

/** Engagement reads with isPrimary worked out from the primary classes (see flagPrimary). */
function withPrimaryFlags(
  collection: TemporalCollection<EngagementFilter, EngagementSlice>,
  scopesOf: (uuids: string[]) => Promise<Map<string, string | null>>,
): TemporalCollection<EngagementFilter, EngagementSlice> {
  const read: TemporalCollection<EngagementFilter, EngagementSlice>['read'] = async (filter, when, opts) => {
    const found = await collection.read(filter, when, opts);
    await flagPrimary(found, scopesOf);
    return found;
  };
  return {
    read,
    async *pages(filter, when, opts) {
      for await (const page of collection.pages(filter, when, opts)) {
        await flagPrimary(page, scopesOf);
        yield page;
      }
    },
    async byUuid(uuid, when) {
      const [found] = await read({ uuids: [uuid] }, when);
      return found ?? null;
    },
  };
}
