// IT users (accounts in an IT system: OPUS user id, AD account).
import { mutation, validitiesRead, VALIDITY } from './spec.js';

export const IT_USER_FIELDS = `uuid user_key itsystem_uuid person_response { uuid } external_id engagement_uuids ${VALIDITY}`;

export const readItUsers = validitiesRead('MoItUsers', 'itusers', 'ITUserFilter', IT_USER_FIELDS);

export const itUserMutations = [
  mutation('itUser', 'create', 'ituser_create', 'ITUserCreateInput', 'itusers_create'),
  mutation('itUser', 'update', 'ituser_update', 'ITUserUpdateInput'),
  mutation('itUser', 'terminate', 'ituser_terminate', 'ITUserTerminateInput'),
  mutation('itUser', 'delete', 'ituser_delete', null),
];
