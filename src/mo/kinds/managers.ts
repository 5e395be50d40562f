// Manager roles in units; a null person is a vacant position.
import { type Day } from '../time.js';
import { mapFields, terminateInput, uuidOf, validity, type FieldNames, type RawSlice, type SliceBase } from './common.js';

export interface ManagerSlice extends SliceBase {
  personUuid: string | null;
  orgUnitUuid: string;
  managerTypeUuid: string | null;
  managerLevelUuid: string | null;
  responsibilityUuids: string[];
}

export interface ManagerFilter {
  uuids?: string[];
  userKeys?: string[];
  personUuids?: string[];
  orgUnitUuids?: string[];
}

export interface ManagerCreate {
  uuid?: string;
  userKey?: string;
  personUuid?: string | null;
  orgUnitUuid: string;
  managerTypeUuid: string;
  managerLevelUuid: string;
  responsibilityUuids: string[];
  engagementUuid?: string | null;
  from: Day;
  to?: Day | null;
}

export interface ManagerUpdate {
  uuid: string;
  userKey?: string;
  /** Required: OS2MO 66 makes the role vacant when an update does not name the person (seen on 66.1.2). */
  personUuid: string | null;
  orgUnitUuid?: string;
  managerTypeUuid?: string;
  managerLevelUuid?: string;
  responsibilityUuids?: string[];
  engagementUuid?: string | null;
  from: Day;
  to: Day | null;
}

export interface RawManagerSlice extends RawSlice {
  person_response: { uuid: string } | null;
  org_unit_uuid: string;
  manager_type_uuid: string | null;
  manager_level_uuid: string | null;
  responsibility_uuids: string[] | null;
}

export const managerFilter = (f: ManagerFilter) => ({
  uuids: f.uuids,
  user_keys: f.userKeys,
  employee: f.personUuids && { uuids: f.personUuids },
  org_unit: f.orgUnitUuids && { uuids: f.orgUnitUuids },
});

export const mapManagerSlice = (r: RawManagerSlice, from: Day | null, to: Day | null): ManagerSlice => ({
  from,
  to,
  userKey: r.user_key,
  personUuid: uuidOf(r.person_response),
  orgUnitUuid: r.org_unit_uuid,
  managerTypeUuid: r.manager_type_uuid,
  managerLevelUuid: r.manager_level_uuid,
  responsibilityUuids: r.responsibility_uuids ?? [],
});

const createNames: FieldNames<ManagerCreate> = {
  uuid: 'uuid',
  userKey: 'user_key',
  personUuid: 'person',
  orgUnitUuid: 'org_unit',
  managerTypeUuid: 'manager_type',
  managerLevelUuid: 'manager_level',
  responsibilityUuids: 'responsibility',
  engagementUuid: 'engagement',
};
const updateNames: FieldNames<ManagerUpdate> = { ...createNames, uuid: 'uuid' };

export const managerInputs = {
  create: (i: ManagerCreate) => ({ ...mapFields(i, createNames), validity: validity(i.from, i.to) }),
  update: (i: ManagerUpdate) => ({ ...mapFields(i, updateNames), validity: validity(i.from, i.to) }),
  terminate: terminateInput,
};
