// Rolebindings: an IT user holding a role class (facet "role"), optionally within a unit.
import { type Day } from '../time.js';
import { mapFields, terminateInput, uuidOf, validity, type FieldNames, type RawSlice, type SliceBase } from './common.js';

export interface RoleBindingSlice extends SliceBase {
  itUserUuid: string;
  orgUnitUuid: string | null;
  roleUuid: string;
}

export interface RoleBindingFilter {
  uuids?: string[];
  userKeys?: string[];
  itUserUuids?: string[];
  orgUnitUuids?: string[];
}

export interface RoleBindingCreate {
  uuid?: string;
  userKey?: string;
  itUserUuid: string;
  roleUuid: string;
  orgUnitUuid?: string | null;
  from: Day;
  to?: Day | null;
}

/** MO requires the IT user on every update. */
export interface RoleBindingUpdate {
  uuid: string;
  itUserUuid: string;
  userKey?: string;
  roleUuid?: string;
  orgUnitUuid?: string | null;
  from: Day;
  to: Day | null;
}

export interface RawRoleBindingSlice extends RawSlice {
  ituser_response: { uuid: string };
  org_unit_response: { uuid: string } | null;
  role_response: { uuid: string };
}

export const roleBindingFilter = (f: RoleBindingFilter) => ({
  uuids: f.uuids,
  user_keys: f.userKeys,
  ituser: f.itUserUuids && { uuids: f.itUserUuids },
  org_unit: f.orgUnitUuids && { uuids: f.orgUnitUuids },
});

export const mapRoleBindingSlice = (r: RawRoleBindingSlice, from: Day | null, to: Day | null): RoleBindingSlice => ({
  from,
  to,
  userKey: r.user_key,
  itUserUuid: r.ituser_response.uuid,
  orgUnitUuid: uuidOf(r.org_unit_response),
  roleUuid: r.role_response.uuid,
});

const createNames: FieldNames<RoleBindingCreate> = {
  uuid: 'uuid',
  userKey: 'user_key',
  itUserUuid: 'ituser',
  roleUuid: 'role',
  orgUnitUuid: 'org_unit',
};
const updateNames: FieldNames<RoleBindingUpdate> = { ...createNames, uuid: 'uuid' };

export const roleBindingInputs = {
  create: (i: RoleBindingCreate) => ({ ...mapFields(i, createNames), validity: validity(i.from, i.to) }),
  update: (i: RoleBindingUpdate) => ({ ...mapFields(i, updateNames), validity: validity(i.from, i.to) }),
  terminate: terminateInput,
};
