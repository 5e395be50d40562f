// MO's collection filters compiled to SQL conditions on mo_slice. Every filter has uuids, user_keys, the date
// window (from_date/to_date, os2mo-api.md §2) and registration_time; relation filters are nested filters
// of the related kind (subqueries), with a shortcut for the common "uuids only" form. A filter field
// outside the subset is an error, never ignored.
import { notSupported } from './errors.js';
import { KINDS, type KindName } from './kinds.js';
import { registeredAt, type SqlParams } from './store.js';
import { dateWindow, toSqlTimestamp, type Instant } from './time.js';

export type FilterInput = Record<string, unknown>;

export interface FilterCompiler {
  params: SqlParams;
  /** "now" of the default window (the request's, or the first page's when paging). */
  now: Instant;
  /** A fresh table alias for a subquery. */
  alias(): string;
}

type Handler = (value: unknown, alias: string, c: FilterCompiler) => string;

const COMMON = new Set(['uuids', 'user_keys', 'from_date', 'to_date', 'registration_time']);

/** Conditions (ANDed) selecting the slices of `kind` that match the filter, on table alias `alias`. */
export function filterConditions(kind: KindName, filter: FilterInput | null | undefined, alias: string, c: FilterCompiler): string[] {
  const f = filter ?? {};
  const p = (value: unknown) => c.params.add(value);
  const conditions = [registeredAt(alias, (f.registration_time as Instant | null | undefined) ?? null, c.params), `${alias}.active`];
  const window = dateWindow(
    'from_date' in f ? (f.from_date as Instant | null) : undefined,
    'to_date' in f ? (f.to_date as Instant | null) : undefined,
    c.now,
  );
  if (window.end !== Infinity) conditions.push(`${alias}.valid_from < ${p(toSqlTimestamp(window.end))}::timestamptz`);
  if (window.start !== -Infinity) conditions.push(`${alias}.valid_to > ${p(toSqlTimestamp(window.start))}::timestamptz`);
  if (f.uuids != null) conditions.push(`${alias}.uuid = ANY(${p(f.uuids)}::uuid[])`);
  if (f.user_keys != null) conditions.push(`${alias}.user_key = ANY(${p(f.user_keys)}::text[])`);
  const handlers = HANDLERS[kind];
  for (const [key, value] of Object.entries(f)) {
    if (COMMON.has(key)) continue;
    const explicitNull = EXPLICIT_NULL[kind]?.[key];
    if (value === null && explicitNull) {
      conditions.push(explicitNull(alias));
      continue;
    }
    if (value === null || value === undefined) continue;
    const handler = handlers[key];
    if (!handler) throw notSupported(`The filter field ${filterTypeName(kind)}.${key}`);
    conditions.push(handler(value, alias, c));
  }
  return conditions;
}

function filterTypeName(kind: KindName): string {
  return kind === 'org_unit' ? 'OrganisationUnitFilter' : kind === 'person' ? 'EmployeeFilter' : `${KINDS[kind].objectType}Filter`;
}

/** A nested filter that only names uuids (and no dates): matched directly, without a subquery. */
function onlyUuids(value: unknown): string[] | null {
  const f = value as FilterInput;
  const keys = Object.keys(f).filter((k) => f[k] !== null && f[k] !== undefined);
  if (keys.length !== 1 || keys[0] !== 'uuids' || 'from_date' in f || 'to_date' in f) return null;
  return f.uuids as string[];
}

function subquery(kind: KindName, filter: FilterInput, c: FilterCompiler): string {
  const x = c.alias();
  return `SELECT ${x}.uuid FROM mo_slice ${x} WHERE ${x}.kind = '${kind}' AND ${filterConditions(kind, filter, x, c).join(' AND ')}`;
}

/** `column` references an object of `kind` matching a nested filter. */
const related =
  (column: string, kind: KindName): Handler =>
  (value, alias, c) => {
    const uuids = onlyUuids(value);
    if (uuids) return `${alias}.${column} = ANY(${c.params.add(uuids)}::uuid[])`;
    return `${alias}.${column} IN (${subquery(kind, value as FilterInput, c)})`;
  };

/** Deprecated list forms (`employees: [uuid]`, `facets: [uuid]`). */
const uuidList =
  (column: string): Handler =>
  (value, alias, c) =>
    `${alias}.${column} = ANY(${c.params.add(value)}::uuid[])`;

/** Deprecated `*_user_keys` forms: the related object's user_key. */
const relatedUserKeys =
  (column: string, kind: KindName): Handler =>
  (value, alias, c) =>
    `${alias}.${column} IN (${subquery(kind, { user_keys: value }, c)})`;

const attributeIn =
  (key: string): Handler =>
  (value, alias, c) =>
    `${alias}.data->>'${key}' = ANY(${c.params.add(value)}::text[])`;

/** Units with an ancestor matching the filter; every unit is its own ancestor (MO: CLRS 12.2-6). */
const ancestor: Handler = (value, alias, c) => {
  const uuids = onlyUuids(value);
  const seeds = uuids ? `SELECT unnest(${c.params.add(uuids)}::uuid[])` : subquery('org_unit', value as FilterInput, c);
  const y = c.alias();
  return (
    `${alias}.uuid IN (WITH RECURSIVE tree(uuid) AS (${seeds} UNION SELECT ${y}.uuid FROM mo_slice ${y} JOIN tree ON ${y}.parent = tree.uuid ` +
    `WHERE ${y}.kind = 'org_unit' AND ${y}.reg_to = 'infinity' AND ${y}.active) SELECT uuid FROM tree)`
  );
};

const owners = (extra: Record<string, Handler> = {}): Record<string, Handler> => ({
  employee: related('person', 'person'),
  employees: uuidList('person'),
  org_unit: related('org_unit', 'org_unit'),
  org_units: uuidList('org_unit'),
  ...extra,
});

const HANDLERS: Record<KindName, Record<string, Handler>> = {
  organisation: {},
  facet: {},
  itsystem: {},
  class: {
    facet: related('facet', 'facet'),
    facets: uuidList('facet'),
    facet_user_keys: relatedUserKeys('facet', 'facet'),
    parent: related('parent', 'class'),
    parents: uuidList('parent'),
    it_system: related('itsystem', 'itsystem'),
    name: attributeIn('name'),
    scope: attributeIn('scope'),
  },
  org_unit: {
    parent: related('parent', 'org_unit'),
    parents: uuidList('parent'),
    ancestor,
    names: attributeIn('name'),
  },
  person: {
    cpr_numbers: (value, alias, c) => `${alias}.cpr = ANY(${c.params.add(value)}::text[])`,
  },
  engagement: owners(),
  address: owners({
    address_type: related('address_type', 'class'),
    address_types: uuidList('address_type'),
    address_type_user_keys: relatedUserKeys('address_type', 'class'),
    engagement: related('engagement', 'engagement'),
    engagements: uuidList('engagement'),
  }),
  manager: owners(),
  ituser: owners({
    itsystem: related('itsystem', 'itsystem'),
    itsystem_uuids: uuidList('itsystem'),
    external_ids: attributeIn('external_id'),
  }),
  rolebinding: {
    org_unit: related('org_unit', 'org_unit'),
    org_units: uuidList('org_unit'),
    ituser: related('ituser', 'ituser'),
  },
};

/** Fields where an explicit null means something: `parent: null` selects the top-level units. */
const EXPLICIT_NULL: Partial<Record<KindName, Record<string, (alias: string) => string>>> = {
  org_unit: { parent: (alias) => `${alias}.parent IS NULL` },
};
