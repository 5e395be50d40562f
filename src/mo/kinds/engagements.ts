// Engagements (employments).
import { type Day } from '../time.js';
import { deleteInput, mapFields, terminateInput, validity, type FieldNames, type RawSlice, type SliceBase } from './common.js';

/** extension_1 … extension_10; `extensions[0]` is extension_1. */
export type Extensions = readonly (string | null)[];

export interface EngagementSlice extends SliceBase {
  personUuid: string;
  orgUnitUuid: string;
  jobFunctionUuid: string;
  engagementTypeUuid: string;
  primaryUuid: string | null;
  /** As MO's is_primary: the primary class's scope is a whole number ≥ 3000 (worked out by the client: flagPrimary). */
  isPrimary: boolean;
  fraction: number | null;
  extensions: Extensions;
}

export interface EngagementFilter {
  uuids?: string[];
  userKeys?: string[];
  personUuids?: string[];
  orgUnitUuids?: string[];
}

export interface EngagementCreate {
  uuid?: string;
  userKey?: string;
  personUuid: string;
  orgUnitUuid: string;
  jobFunctionUuid: string;
  engagementTypeUuid: string;
  primaryUuid?: string | null;
  fraction?: number | null;
  /** Index 0 is extension_1; undefined entries are left out. */
  extensions?: readonly (string | null | undefined)[];
  from: Day;
  to?: Day | null;
}

/** Writes [from, to); absent fields keep their value in each affected slice. */
export interface EngagementUpdate {
  uuid: string;
  userKey?: string;
  personUuid?: string;
  orgUnitUuid?: string;
  jobFunctionUuid?: string;
  engagementTypeUuid?: string;
  primaryUuid?: string;
  fraction?: number;
  extensions?: readonly (string | null | undefined)[];
  from: Day;
  to: Day | null;
}

export interface RawEngagementSlice extends RawSlice {
  person_response: { uuid: string };
  org_unit_uuid: string;
  job_function_uuid: string;
  engagement_type_uuid: string;
  primary_uuid: string | null;
  fraction: number | null;
  extension_1: string | null;
  extension_2: string | null;
  extension_3: string | null;
  extension_4: string | null;
  extension_5: string | null;
  extension_6: string | null;
  extension_7: string | null;
  extension_8: string | null;
  extension_9: string | null;
  extension_10: string | null;
}

export const engagementFilter = (f: EngagementFilter) => ({
  uuids: f.uuids,
  user_keys: f.userKeys,
  employee: f.personUuids && { uuids: f.personUuids },
  org_unit: f.orgUnitUuids && { uuids: f.orgUnitUuids },
});

export const mapEngagementSlice = (r: RawEngagementSlice, from: Day | null, to: Day | null): EngagementSlice => ({
  from,
  to,
  userKey: r.user_key,
  personUuid: r.person_response.uuid,
  orgUnitUuid: r.org_unit_uuid,
  jobFunctionUuid: r.job_function_uuid,
  engagementTypeUuid: r.engagement_type_uuid,
  primaryUuid: r.primary_uuid,
  isPrimary: false,
  fraction: r.fraction,
  extensions: [
    r.extension_1,
    r.extension_2,
    r.extension_3,
    r.extension_4,
    r.extension_5,
    r.extension_6,
    r.extension_7,
    r.extension_8,
    r.extension_9,
    r.extension_10,
  ],
});

/**
 * Sets each slice's isPrimary as OS2MO's is_primary does (mora/service/facet.py is_class_primary): its primary
 * class exists and its scope is an integer ≥ 3000. `scopesOf` reads the classes' scopes by uuid.
 */
export async function flagPrimary(
  engagements: { validities: EngagementSlice[] }[],
  scopesOf: (uuids: string[]) => Promise<Map<string, string | null>>,
): Promise<void> {
  const uuids = [...new Set(engagements.flatMap((e) => e.validities.flatMap((v) => (v.primaryUuid ? [v.primaryUuid] : []))))];
  if (uuids.length === 0) return;
  const scopes = await scopesOf(uuids);
  const primary = (uuid: string | null) => {
    const scope = uuid === null ? null : (scopes.get(uuid) ?? null);
    return scope !== null && /^\s*[+-]?\d+\s*$/.test(scope) && Number(scope) >= MINIMUM_PRIMARY_SCOPE;
  };
  for (const e of engagements) for (const v of e.validities) v.isPrimary = primary(v.primaryUuid);
}

/** OS2MO's mapping.MINIMUM_PRIMARY_SCOPE_VALUE. */
const MINIMUM_PRIMARY_SCOPE = 3000;

function extensionFields(extensions: readonly (string | null | undefined)[] | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (!extensions) return out;
  if (extensions.length > 10) throw new RangeError(`MO has 10 engagement extensions, got ${extensions.length}`);
  extensions.forEach((value, i) => {
    if (value !== undefined) out[`extension_${i + 1}`] = value;
  });
  return out;
}

const createNames: FieldNames<EngagementCreate> = {
  uuid: 'uuid',
  userKey: 'user_key',
  personUuid: 'person',
  orgUnitUuid: 'org_unit',
  jobFunctionUuid: 'job_function',
  engagementTypeUuid: 'engagement_type',
  primaryUuid: 'primary',
  fraction: 'fraction',
};
const updateNames: FieldNames<EngagementUpdate> = { ...createNames, uuid: 'uuid' };

export const engagementInputs = {
  create: (i: EngagementCreate) => ({ ...mapFields(i, createNames), ...extensionFields(i.extensions), validity: validity(i.from, i.to) }),
  update: (i: EngagementUpdate) => ({ ...mapFields(i, updateNames), ...extensionFields(i.extensions), validity: validity(i.from, i.to) }),
  terminate: terminateInput,
  delete: deleteInput,
};
