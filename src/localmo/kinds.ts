// The kinds of MO object the local MO stores, with OS2MO's names for each. Every kind lives in the same
// tables; its attributes are a jsonb document (keys named as MO's read fields) and the relations filters use
// are copied into indexed columns.

export type KindName =
  | 'organisation'
  | 'facet'
  | 'class'
  | 'itsystem'
  | 'org_unit'
  | 'person'
  | 'engagement'
  | 'address'
  | 'manager'
  | 'ituser'
  | 'rolebinding';

/** Attributes of one validity slice, keyed by MO's field names (org_unit_uuid, person_uuid, …). */
export type Data = Record<string, unknown>;

export interface KindInfo {
  name: KindName;
  /** For messages: "Engagement". */
  label: string;
  /** GraphQL object type of one validity, e.g. Engagement. */
  objectType: string;
  /** GraphQL Response type, e.g. EngagementResponse. */
  responseType: string;
  /** MO's error key when an update/terminate/delete names an unknown uuid. */
  notFoundKey: string;
  /** Validity type allows an open start (OpenValidity): facets, classes, IT systems, persons. */
  openStart: boolean;
}

const info = (name: KindName, label: string, objectType: string, notFoundKey: string, openStart = false): KindInfo => ({
  name,
  label,
  objectType,
  responseType: `${objectType}Response`,
  notFoundKey,
  openStart,
});

export const KINDS: Record<KindName, KindInfo> = {
  organisation: info('organisation', 'Organisation', 'Organisation', 'E_ORG_NOT_FOUND', true),
  facet: info('facet', 'Facet', 'Facet', 'E_FACET_NOT_FOUND', true),
  class: info('class', 'Class', 'Class', 'E_CLASS_NOT_FOUND', true),
  itsystem: info('itsystem', 'IT system', 'ITSystem', 'E_ITSYSTEM_NOT_FOUND', true),
  org_unit: info('org_unit', 'Organisation unit', 'OrganisationUnit', 'E_ORG_UNIT_NOT_FOUND'),
  person: info('person', 'Employee', 'Employee', 'E_USER_NOT_FOUND', true),
  engagement: info('engagement', 'Engagement', 'Engagement', 'E_ENGAGEMENT_NOT_FOUND'),
  address: info('address', 'Address', 'Address', 'E_ADDRESS_NOT_FOUND'),
  manager: info('manager', 'Manager', 'Manager', 'E_MANAGER_NOT_FOUND'),
  ituser: info('ituser', 'IT user', 'ITUser', 'E_ITUSER_NOT_FOUND'),
  rolebinding: info('rolebinding', 'Role binding', 'RoleBinding', 'E_ROLEBINDING_NOT_FOUND'),
};

/** The indexed columns of mo_slice, in table order. */
export const INDEXED_COLUMNS = ['cpr', 'person', 'org_unit', 'parent', 'facet', 'itsystem', 'ituser', 'address_type', 'engagement'] as const;
export type IndexedColumn = (typeof INDEXED_COLUMNS)[number];

/** The data key each indexed column is copied from (the same key means the same thing in every kind). */
const COLUMN_SOURCE: Record<IndexedColumn, readonly string[]> = {
  cpr: ['cpr_number'],
  person: ['person_uuid'],
  org_unit: ['org_unit_uuid'],
  parent: ['parent_uuid'],
  facet: ['facet_uuid'],
  itsystem: ['itsystem_uuid', 'it_system_uuid'],
  ituser: ['ituser_uuid'],
  address_type: ['address_type_uuid'],
  engagement: ['engagement_uuid'],
};

export function indexedColumns(data: Data): Record<IndexedColumn, string | null> {
  const out = {} as Record<IndexedColumn, string | null>;
  for (const column of INDEXED_COLUMNS) {
    let value: unknown = null;
    for (const key of COLUMN_SOURCE[column]) if (data[key] !== undefined && data[key] !== null) value = data[key];
    out[column] = typeof value === 'string' ? value : null;
  }
  return out;
}
