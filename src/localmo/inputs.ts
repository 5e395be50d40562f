// Mutation inputs (OS2MO's *CreateInput / *UpdateInput) → the stored attributes of a slice. Input names
// differ from read names (org_unit → org_unit_uuid, person → person_uuid); defaults follow MO (user_key is
// the uuid, an address's user_key its value, a person is valid from the CPR birth date).
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { invalidInput, moError } from './errors.js';
import type { Data, KindName } from './kinds.js';
import { copenhagenDay, copenhagenMidnight, formatDateTime, startOfCopenhagenDay, type Instant } from './time.js';

export type Input = Record<string, unknown>;

export interface Validity {
  from: Instant;
  to: Instant;
}

/** A terminate's `to` as MO takes it: a Copenhagen midnight, or refused (OS2MO's get_terminate_effect_to_date). */
export function midnightTo(to: Instant): Instant {
  const day = startOfCopenhagenDay(to);
  if (day !== to) throw invalidInput(`'${formatDateTime(to)}' is not at midnight!`);
  return day;
}

/** A create's or update's validity: OS2MO takes the date of `from` and of `to` (a time of day is dropped). */
export function validityOf(input: unknown): Validity {
  const v = (input ?? {}) as { from?: Instant | null; to?: Instant | null };
  const from = v.from == null ? -Infinity : startOfCopenhagenDay(v.from);
  const to = v.to == null ? Infinity : startOfCopenhagenDay(v.to);
  if (!(from < to)) throw moError('V_END_BEFORE_START', 'End date is before start date.', 400, { obj: { from: v.from ?? null, to: v.to ?? null } });
  return { from, to };
}

export interface CreateItem {
  uuid: string;
  validity: Validity;
  data: Data;
}

type Pairs = readonly (readonly [inputKey: string, dataKey: string])[];

const ENGAGEMENT_PAIRS: Pairs = [
  ['user_key', 'user_key'],
  ['person', 'person_uuid'],
  ['employee', 'person_uuid'],
  ['org_unit', 'org_unit_uuid'],
  ['job_function', 'job_function_uuid'],
  ['engagement_type', 'engagement_type_uuid'],
  ['primary', 'primary_uuid'],
  ['fraction', 'fraction'],
  ...Array.from({ length: 10 }, (_, i) => [`extension_${i + 1}`, `extension_${i + 1}`] as const),
];
const ADDRESS_PAIRS: Pairs = [
  ['user_key', 'user_key'],
  ['value', 'value'],
  ['address_type', 'address_type_uuid'],
  ['visibility', 'visibility_uuid'],
  ['person', 'person_uuid'],
  ['employee', 'person_uuid'],
  ['org_unit', 'org_unit_uuid'],
  ['engagement', 'engagement_uuid'],
  ['ituser', 'ituser_uuid'],
];
const MANAGER_PAIRS: Pairs = [
  ['user_key', 'user_key'],
  ['person', 'person_uuid'],
  ['org_unit', 'org_unit_uuid'],
  ['manager_type', 'manager_type_uuid'],
  ['manager_level', 'manager_level_uuid'],
  ['responsibility', 'responsibility_uuids'],
  ['engagement', 'engagement_uuid'],
];
const ITUSER_PAIRS: Pairs = [
  ['user_key', 'user_key'],
  ['itsystem', 'itsystem_uuid'],
  ['person', 'person_uuid'],
  ['org_unit', 'org_unit_uuid'],
  ['external_id', 'external_id'],
  ['binding_type', 'binding_type'],
  ['primary', 'primary_uuid'],
  ['note', 'note'],
];
const ROLEBINDING_PAIRS: Pairs = [
  ['user_key', 'user_key'],
  ['ituser', 'ituser_uuid'],
  ['org_unit', 'org_unit_uuid'],
  ['role', 'role_uuid'],
];
const ORG_UNIT_PAIRS: Pairs = [
  ['user_key', 'user_key'],
  ['name', 'name'],
  ['parent', 'parent_uuid'],
  ['org_unit_type', 'unit_type_uuid'],
  ['org_unit_level', 'org_unit_level_uuid'],
  ['org_unit_hierarchy', 'org_unit_hierarchy'],
  ['time_planning', 'time_planning_uuid'],
];
const PERSON_PAIRS: Pairs = [
  ['user_key', 'user_key'],
  ['given_name', 'given_name'],
  ['surname', 'surname'],
  ['cpr_number', 'cpr_number'],
  ['nickname_given_name', 'nickname_given_name'],
  ['nickname_surname', 'nickname_surname'],
  ['seniority', 'seniority'],
];
const CLASS_PAIRS: Pairs = [
  ['user_key', 'user_key'],
  ['name', 'name'],
  ['scope', 'scope'],
  ['facet_uuid', 'facet_uuid'],
  ['parent_uuid', 'parent_uuid'],
  ['owner', 'owner'],
  ['it_system_uuid', 'it_system_uuid'],
  ['published', 'published'],
  ['example', 'example'],
  ['description', 'description'],
];

/** Every pair's data key, null where the input has none (later pairs win: `employee` after `person`). */
function fullData(input: Input, pairs: Pairs): Data {
  const data: Data = {};
  for (const [inputKey, dataKey] of pairs) {
    const value = input[inputKey];
    if (value !== null && value !== undefined) data[dataKey] = value;
    else if (!(dataKey in data)) data[dataKey] = null;
  }
  return data;
}

/** An update: given fields replace the stored ones; absent ones keep their value (`null` too, unless nullClears). */
function patchOf(input: Input, pairs: Pairs, nullClears = false): (data: Data) => Data {
  const changes: Data = {};
  for (const [inputKey, dataKey] of pairs) {
    if (!(inputKey in input)) continue;
    const value = input[inputKey];
    if (value !== null && value !== undefined) changes[dataKey] = value;
    else if (nullClears && !(dataKey in changes)) changes[dataKey] = null;
  }
  return (data) => ({ ...data, ...changes });
}

const CREATE_PAIRS: Partial<Record<KindName, Pairs>> = {
  facet: [['user_key', 'user_key'], ['published', 'published']],
  class: CLASS_PAIRS,
  itsystem: [['user_key', 'user_key'], ['name', 'name']],
  org_unit: ORG_UNIT_PAIRS,
  person: PERSON_PAIRS,
  engagement: ENGAGEMENT_PAIRS,
  address: ADDRESS_PAIRS,
  manager: MANAGER_PAIRS,
  ituser: ITUSER_PAIRS,
  rolebinding: ROLEBINDING_PAIRS,
};

export function createItem(kind: KindName, input: Input): CreateItem {
  const pairs = CREATE_PAIRS[kind];
  if (!pairs) throw new Error(`no create mapping for ${kind}`);
  const uuid = typeof input.uuid === 'string' ? input.uuid : randomUUID();
  const data = fullData(input, pairs);
  data.user_key ??= kind === 'address' ? input.value : uuid;
  let validity: Validity;
  if (kind === 'person') validity = { from: personValidFrom(data.cpr_number), to: Infinity };
  else validity = validityOf(input.validity);
  if (kind === 'ituser') data.engagement_uuids = (input.engagements as string[] | null) ?? (input.engagement ? [input.engagement] : []);
  // OS2MO's own words for an engagement without a person and an address or IT user without exactly one owner.
  if (kind === 'engagement' && !data.person_uuid) throw invalidInput("Must set one of 'person' and 'employee'");
  if (kind === 'address' && !data.person_uuid === !data.org_unit_uuid) throw invalidInput('Must supply exactly one org_unit or person UUID');
  if (kind === 'ituser' && !data.person_uuid === !data.org_unit_uuid) throw invalidInput('Exactly 1 of the fields {mapping.ORG_UNIT} or {mapping.PERSON} must be set');
  return { uuid, validity, data };
}

export interface UpdateItem {
  uuid: string;
  validity: Validity;
  patch: (data: Data) => Data;
}

/** The same fields as create; facets and IT systems have no update mutation here. */
const UPDATE_PAIRS: Partial<Record<KindName, Pairs>> = { ...CREATE_PAIRS, facet: undefined, itsystem: undefined };

export function updateItem(kind: KindName, input: Input): UpdateItem {
  const pairs = UPDATE_PAIRS[kind];
  if (!pairs) throw new Error(`no update mapping for ${kind}`);
  const uuid = input.uuid as string;
  const validity = validityOf(input.validity);
  // class_update replaces the whole class over the interval; org_unit_update is a PATCH where null clears.
  if (kind === 'class') {
    const data = fullData(input, pairs);
    return { uuid, validity, patch: () => data };
  }
  if (kind === 'address') return { uuid, validity, patch: addressPatch(input) };
  let patch = patchOf(input, pairs, kind === 'org_unit');
  if (kind === 'manager' && 'engagement' in input && input.engagement === null) {
    const base = patch;
    patch = (data) => ({ ...base(data), engagement_uuid: null });
  }
  // OS2MO 66 never changes an engagement's person on update (mora/service/engagement.py's edit has no person).
  if (kind === 'engagement') {
    const base = patch;
    patch = (data) => ({ ...base(data), person_uuid: data.person_uuid });
  }
  // OS2MO 66 hands a manager update's person on even when it is absent: an update without one vacates the role.
  if (kind === 'manager' && input.person == null) {
    const base = patch;
    patch = (data) => ({ ...base(data), person_uuid: null });
  }
  if (kind === 'ituser' && (input.engagements != null || input.engagement != null)) {
    const base = patch;
    const engagements = (input.engagements as string[] | null) ?? [input.engagement as string];
    patch = (data) => ({ ...base(data), engagement_uuids: engagements });
  }
  return { uuid, validity, patch };
}

/**
 * OS2MO 66 writes an address's value, type and visibility only together (mora/service/address.py): without a
 * value, a type or visibility in the update is ignored; a value without its type is refused. OS2MO 66.1.2
 * answered `address_update(input: {uuid, value: "b@example.dk", visibility, validity: {from: "2024-01-01"}})`:
 *   {"message": "ErrorCodes.V_MISSING_REQUIRED_VALUE", "path": ["address_update"], "extensions": {"error_context":
 *    {"error": true, "description": "Missing address_type", "status": 400, "error_key": "V_MISSING_REQUIRED_VALUE",
 *     "key": "address_type", "obj": {"uuid": "ceeaf5f9-…", "visibility": {"uuid": "42ab3967-…"},
 *     "validity": {"from": "2024-01-01", "to": null}, "value": "b@example.dk"}}}}
 * `obj` is the input as OS2MO's handler sees it (AddressUpdate.to_handler_dict, nulls left out).
 */
function addressPatch(input: Input): (data: Data) => Data {
  if (input.value == null) return patchOf({ ...input, address_type: undefined, visibility: undefined }, ADDRESS_PAIRS);
  if (input.address_type == null) {
    const context = { error: true, description: 'Missing address_type', status: 400, error_key: 'V_MISSING_REQUIRED_VALUE', key: 'address_type', obj: addressHandlerDict(input) };
    throw new GraphQLError('ErrorCodes.V_MISSING_REQUIRED_VALUE', { extensions: { error_context: context } });
  }
  return patchOf(input, ADDRESS_PAIRS);
}

function addressHandlerDict(input: Input): Record<string, unknown> {
  const ref = (value: unknown) => (typeof value === 'string' ? { uuid: value } : null);
  const day = (instant: unknown) => (typeof instant === 'number' && Number.isFinite(instant) ? copenhagenDay(instant) : null);
  const validity = (input.validity ?? {}) as { from?: unknown; to?: unknown };
  const dict: Record<string, unknown> = {
    uuid: input.uuid,
    user_key: input.user_key,
    visibility: ref(input.visibility),
    validity: { from: day(validity.from), to: day(validity.to) },
    org_unit: ref(input.org_unit),
    person: ref(input.person) ?? ref(input.employee),
    engagement: ref(input.engagement),
    it: ref(input.ituser),
    value: input.value,
  };
  return Object.fromEntries(Object.entries(dict).filter(([, value]) => value !== null && value !== undefined));
}

/**
 * A person is valid from the birth date its CPR encodes (MO: mora/service/employee.py), else since always.
 * The 7th digit picks the century (the CPR office's rules).
 */
export function personValidFrom(cpr: unknown): Instant {
  if (typeof cpr !== 'string') return -Infinity;
  const [dd, mm, yy, c] = [cpr.slice(0, 2), cpr.slice(2, 4), Number(cpr.slice(4, 6)), Number(cpr[6])];
  const century = c <= 3 ? 1900 : c === 4 || c === 9 ? (yy <= 36 ? 2000 : 1900) : yy <= 57 ? 2000 : 1800;
  try {
    return copenhagenMidnight(`${century + yy}-${mm}-${dd}`);
  } catch {
    throw moError('V_CPR_NOT_VALID', 'Not a valid CPR number.', 400);
  }
}
