// The whole organisation as the Plan2Learn export sees it: a few bulk, paged GraphQL reads of OS2MO joined
// in memory (no per-object calls). Field names are the camelCase of the MO read fields in
// docs/mo-api-subset.md, in the shape of the MO client's reads (src/mo/kinds): objects are
// `{ uuid, validities }`, every slice carries its validity as plain dates `from`/`to` ('YYYY-MM-DD',
// midnight Europe/Copenhagen, `to` EXCLUSIVE, null open: os2mo-api.md §2, §4), `person_response { uuid }` is
// `personUuid`, `extension_1…10` are `extensions[0…9]`. The types list only what the export reads, so the
// client's richer objects can be passed as they are.
//
// The export decides what is "current" and "current or known future" itself, from an explicit `today`, so a
// collection may hold more history than needed. What each must hold at least:
//
// | collection   | MO read                                                          | why                                  |
// |--------------|------------------------------------------------------------------|--------------------------------------|
// | facets       | `facets { uuid current { user_key } }`                           | find engagement_job_function         |
// | classes      | `classes { uuid current { … } }`: the classes valid today          | names, scopes, the job function list |
// | orgUnits     | the slice valid today                                            | the unit tree is current only        |
// | persons      | the slice valid today                                            | CPR and name                         |
// | engagements  | EVERY slice (`from_date: null, to_date: null`, `validities(start: null, end: null)`) | RSD's original start |
// | addresses    | every slice from today on (`from_date: today, to_date: null`)    | future phones and e-mails count      |
// | managers     | the slice valid today                                            | managers are current only            |
//
// Order matters where DIPEX's output follows MO's order (children of a unit, persons, engagements,
// addresses, managers, classes): keep the objects in the order MO's pages return them.

/** A calendar date 'YYYY-MM-DD', meaning midnight Europe/Copenhagen. */
export type Day = string;

/** A validity `[from, to)`; null is open on that side. */
export interface Validity {
  from: Day | null;
  to: Day | null;
}

/** One MO object: its uuid and its validity slices (MO's `validities`). */
export interface Versioned<Slice extends Validity> {
  uuid: string;
  validities: readonly Slice[];
}

export interface Facet {
  uuid: string;
  userKey: string;
}

/** A class as valid today (MO's `current`); classes have no history here, as in DIPEX's cache. */
export interface MoClassRecord {
  uuid: string;
  name: string;
  /** PHONE / EMAIL / DAR for address types, PUBLIC / SECRET / INTERNAL for visibilities; null when unset. */
  scope: string | null;
  facetUuid: string;
}

export interface OrgUnitSlice extends Validity {
  name: string;
  /** null for a top-level unit (its parent is the organisation). */
  parentUuid: string | null;
  orgUnitLevelUuid: string | null;
}

export interface PersonSlice extends Validity {
  givenName: string;
  surname: string;
  /** null when MO has no CPR number for the person. */
  cprNumber: string | null;
}

export interface EngagementSlice extends Validity {
  /** RSD's Stilling picks among engagements by user_key. */
  userKey: string;
  personUuid: string;
  orgUnitUuid: string;
  jobFunctionUuid: string | null;
  engagementTypeUuid: string | null;
  isPrimary: boolean;
  /** extension_1 … extension_10: [0] is RSD's Stilling, [2] Viborg's (the job-function-configurator's). */
  extensions: readonly (string | null)[];
}

export interface AddressSlice extends Validity {
  /** The stored value: the number, the e-mail address, or for DAR the DAR address uuid. */
  value: string;
  /** MO's `name`: the value, except for DAR, where it is the address text looked up in DAR. */
  name?: string | null;
  addressTypeUuid: string;
  visibilityUuid: string | null;
  /** A person's or a unit's address. */
  personUuid: string | null;
  orgUnitUuid: string | null;
}

export interface ManagerSlice extends Validity {
  /** null for a vacant manager position. */
  personUuid: string | null;
  orgUnitUuid: string;
  /** In MO's order. */
  responsibilityUuids: readonly string[];
}

export interface MoSnapshot {
  facets: readonly Facet[];
  classes: readonly MoClassRecord[];
  orgUnits: readonly Versioned<OrgUnitSlice>[];
  persons: readonly Versioned<PersonSlice>[];
  engagements: readonly Versioned<EngagementSlice>[];
  addresses: readonly Versioned<AddressSlice>[];
  managers: readonly Versioned<ManagerSlice>[];
}
