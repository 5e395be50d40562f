// Organisation units, with their history.
import { mutation, validitiesRead, VALIDITY } from './spec.js';

export const ORG_UNIT_FIELDS = `uuid user_key name parent_uuid unit_type_uuid org_unit_level_uuid ${VALIDITY}`;

export const readOrgUnits = validitiesRead('MoOrgUnits', 'org_units', 'OrganisationUnitFilter', ORG_UNIT_FIELDS);

export const orgUnitMutations = [
  mutation('orgUnit', 'create', 'org_unit_create', 'OrganisationUnitCreateInput'),
  mutation('orgUnit', 'update', 'org_unit_update', 'OrganisationUnitUpdateInput'),
  mutation('orgUnit', 'terminate', 'org_unit_terminate', 'OrganisationUnitTerminateInput'),
];
