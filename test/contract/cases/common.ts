// The objects cases build on, each created with moflow's own mutation documents. OS2MO checks no class
// reference but an address type's, so units, engagements and managers point at one made-up class uuid.
import { readAddresses } from '../../../src/mo/documents/addresses.js';
import { readEngagements } from '../../../src/mo/documents/engagements.js';
import { readManagers } from '../../../src/mo/documents/managers.js';
import { readOrgUnits } from '../../../src/mo/documents/orgUnits.js';
import { accepted, type Contract } from '../support/contract.js';

export interface Validity {
  from: string;
  to?: string | null;
}

/** A class uuid no MO checks (unit type, job function, engagement type, manager type and level, role). */
export const anyClass = (c: Contract): string => c.id('any-class');

export async function unit(c: Contract, label: string, validity: Validity, parent?: string): Promise<string> {
  const uuid = c.id(label);
  const input = { uuid, name: label, user_key: label, org_unit_type: anyClass(c), validity, ...(parent ? { parent } : {}) };
  accepted(await c.mutate(`create unit ${label}`, 'orgUnit', 'create', input), label);
  return uuid;
}

export async function person(c: Contract, label: string): Promise<string> {
  const uuid = c.id(label);
  accepted(await c.mutate(`create person ${label}`, 'person', 'create', { uuid, given_name: label, surname: 'Kontrakt', cpr_number: c.cpr(label) }), label);
  return uuid;
}

export function engagementInput(c: Contract, label: string, personUuid: string, unitUuid: string, validity: Validity): Record<string, unknown> {
  return { uuid: c.id(label), user_key: label, person: personUuid, org_unit: unitUuid, job_function: anyClass(c), engagement_type: anyClass(c), validity };
}

export async function engagement(c: Contract, label: string, personUuid: string, unitUuid: string, validity: Validity): Promise<string> {
  accepted(await c.mutate(`create engagement ${label}`, 'engagement', 'create', engagementInput(c, label, personUuid, unitUuid, validity)), label);
  return c.id(label);
}

export function managerInput(c: Contract, label: string, personUuid: string | null, unitUuid: string, validity: Validity): Record<string, unknown> {
  const cls = anyClass(c);
  return { uuid: c.id(label), user_key: label, person: personUuid, org_unit: unitUuid, manager_type: cls, manager_level: cls, responsibility: [cls], validity };
}

/** A facet of the case's own (a bare OS2MO has none) with one address type class of the scope. */
export async function addressType(c: Contract, scope: string): Promise<string> {
  const facet = c.id(`facet ${scope}`);
  accepted(await c.mutate(`create facet for ${scope}`, 'facet', 'create', { uuid: facet, user_key: `contract_${facet}`, validity: { from: null } }));
  const type = c.id(`address type ${scope}`);
  accepted(await c.mutate(`create ${scope} address type`, 'class', 'create', { uuid: type, facet_uuid: facet, user_key: `Contract${scope}`, name: scope, scope, validity: { from: null } }));
  return type;
}

export async function itSystem(c: Contract, label: string): Promise<string> {
  const uuid = c.id(label);
  accepted(await c.mutate(`create IT system ${label}`, 'itSystem', 'create', { uuid, user_key: `${label}-${uuid.slice(0, 8)}`, name: label, validity: { from: null } }));
  return uuid;
}

/** Every validity of the objects, the whole history. */
export const ALL = { start: null, end: null } as const;
export const EVERYTHING = { from_date: null, to_date: null } as const;

export const unitHistory = (c: Contract, label: string, uuids: string[]) => c.read(label, readOrgUnits, { filter: { uuids, ...EVERYTHING }, ...ALL });
export const engagementHistory = (c: Contract, label: string, uuids: string[]) => c.read(label, readEngagements, { filter: { uuids, ...EVERYTHING }, ...ALL });
export const addressHistory = (c: Contract, label: string, uuids: string[]) => c.read(label, readAddresses, { filter: { uuids, ...EVERYTHING }, ...ALL });
export const managerHistory = (c: Contract, label: string, uuids: string[]) => c.read(label, readManagers, { filter: { uuids, ...EVERYTHING }, ...ALL });

/** The validities of the one object a read found, as [from day, to day] pairs (to null = open). */
export function periods(data: Record<string, any>, collection: string): [string, string | null][] {
  const [object] = data[collection].objects as { validities: { validity: { from: string; to: string | null } }[] }[];
  return (object?.validities ?? []).map((v) => [v.validity.from.slice(0, 10), v.validity.to?.slice(0, 10) ?? null]);
}
