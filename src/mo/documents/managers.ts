// Manager roles (person null = vacant).
import { mutation, validitiesRead, VALIDITY } from './spec.js';

export const MANAGER_FIELDS = `uuid user_key person_response { uuid } org_unit_uuid manager_type_uuid manager_level_uuid responsibility_uuids ${VALIDITY}`;

export const readManagers = validitiesRead('MoManagers', 'managers', 'ManagerFilter', MANAGER_FIELDS);

export const managerMutations = [
  mutation('manager', 'create', 'manager_create', 'ManagerCreateInput', 'managers_create'),
  mutation('manager', 'update', 'manager_update', 'ManagerUpdateInput'),
  mutation('manager', 'terminate', 'manager_terminate', 'ManagerTerminateInput'),
];
