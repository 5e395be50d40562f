// Rolebindings: an IT user granted a role class, optionally within an org unit.
import { mutation, validitiesRead, VALIDITY } from './spec.js';

export const ROLE_BINDING_FIELDS = `uuid user_key ituser_response { uuid } org_unit_response { uuid } role_response { uuid } ${VALIDITY}`;

export const readRoleBindings = validitiesRead('MoRoleBindings', 'rolebindings', 'RoleBindingFilter', ROLE_BINDING_FIELDS);

export const roleBindingMutations = [
  mutation('roleBinding', 'create', 'rolebinding_create', 'RoleBindingCreateInput', 'rolebindings_create'),
  mutation('roleBinding', 'update', 'rolebinding_update', 'RoleBindingUpdateInput'),
  mutation('roleBinding', 'terminate', 'rolebinding_terminate', 'RoleBindingTerminateInput'),
];
