// Addresses of units and persons. `name` is left out by default: for DAR addresses MO resolves it by
// looking the address up in DAR, which is slow and needs DAR; the export reads it explicitly.
import { mutation, validitiesRead, VALIDITY } from './spec.js';

export const ADDRESS_FIELDS = `uuid user_key value address_type_uuid visibility_uuid person_response { uuid } org_unit_uuid engagement_uuid ${VALIDITY}`;

export const readAddresses = validitiesRead('MoAddresses', 'addresses', 'AddressFilter', ADDRESS_FIELDS);

export const readAddressesWithName = validitiesRead('MoAddressesWithName', 'addresses', 'AddressFilter', `name ${ADDRESS_FIELDS}`);

export const addressMutations = [
  mutation('address', 'create', 'address_create', 'AddressCreateInput', 'addresses_create'),
  mutation('address', 'update', 'address_update', 'AddressUpdateInput'),
  mutation('address', 'terminate', 'address_terminate', 'AddressTerminateInput'),
  mutation('address', 'delete', 'address_delete', null),
];
