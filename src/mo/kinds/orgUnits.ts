// Organisation units.
import { type Day } from '../time.js';
import { mapFields, terminateInput, validity, type FieldNames, type RawSlice, type SliceBase } from './common.js';

export interface OrgUnitSlice extends SliceBase {
  name: string;
  /** null for a top-level unit (v28+). */
  parentUuid: string | null;
  unitTypeUuid: string | null;
  orgUnitLevelUuid: string | null;
}

export interface OrgUnitFilter {
  uuids?: string[];
  userKeys?: string[];
  /** Children of these units. */
  parentUuids?: string[];
  /** Units below these units, at any depth. */
  ancestorUuids?: string[];
}

export interface OrgUnitCreate {
  uuid?: string;
  userKey?: string;
  name: string;
  /** null or absent: a top-level unit. */
  parentUuid?: string | null;
  unitTypeUuid: string;
  orgUnitLevelUuid?: string | null;
  from: Day;
  to?: Day | null;
}

/**
 * PATCH semantics: an absent field keeps its value; a null parent makes the unit top-level. `to: null` = open
 * (re-opens). OS2MO 66 cannot clear the type or level through an update: a null level is ignored, and a null
 * type fails inside OS2MO ("'NoneType' object is not subscriptable"), so never send one.
 */
export interface OrgUnitUpdate {
  uuid: string;
  name?: string;
  userKey?: string;
  parentUuid?: string | null;
  unitTypeUuid?: string | null;
  orgUnitLevelUuid?: string;
  from: Day;
  to: Day | null;
}

export interface RawOrgUnitSlice extends RawSlice {
  name: string;
  parent_uuid: string | null;
  unit_type_uuid: string | null;
  org_unit_level_uuid: string | null;
}

export const orgUnitFilter = (f: OrgUnitFilter) => ({
  uuids: f.uuids,
  user_keys: f.userKeys,
  parent: f.parentUuids && { uuids: f.parentUuids },
  ancestor: f.ancestorUuids && { uuids: f.ancestorUuids },
});

export const mapOrgUnitSlice = (r: RawOrgUnitSlice, from: Day | null, to: Day | null): OrgUnitSlice => ({
  from,
  to,
  userKey: r.user_key,
  name: r.name,
  parentUuid: r.parent_uuid,
  unitTypeUuid: r.unit_type_uuid,
  orgUnitLevelUuid: r.org_unit_level_uuid,
});

const createNames: FieldNames<OrgUnitCreate> = {
  uuid: 'uuid',
  userKey: 'user_key',
  name: 'name',
  parentUuid: 'parent',
  unitTypeUuid: 'org_unit_type',
  orgUnitLevelUuid: 'org_unit_level',
};

const updateNames: FieldNames<OrgUnitUpdate> = { ...createNames, uuid: 'uuid' };

export const orgUnitInputs = {
  create: (i: OrgUnitCreate) => ({ ...mapFields(i, createNames), validity: validity(i.from, i.to) }),
  update: (i: OrgUnitUpdate) => ({ ...mapFields(i, updateNames), validity: validity(i.from, i.to) }),
  terminate: terminateInput,
};
