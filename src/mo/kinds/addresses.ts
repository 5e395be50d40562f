// Addresses of units and persons; the address type class's scope decides how MO validates the value.
import { type Day } from '../time.js';
import { deleteInput, mapFields, terminateInput, uuidOf, validity, type FieldNames, type RawSlice, type SliceBase } from './common.js';

export interface AddressSlice extends SliceBase {
  value: string;
  /** Only from `readWithName`: the DAR address text for DAR addresses, else the value. */
  name?: string | null;
  addressTypeUuid: string;
  visibilityUuid: string | null;
  personUuid: string | null;
  orgUnitUuid: string | null;
  engagementUuid: string | null;
}

export interface AddressFilter {
  uuids?: string[];
  personUuids?: string[];
  orgUnitUuids?: string[];
  /** Give either the address types' uuids or their user_keys (MO does not combine uuids with keys). */
  addressTypeUuids?: string[];
  addressTypeUserKeys?: string[];
}

export interface AddressCreate {
  uuid?: string;
  userKey?: string;
  value: string;
  addressTypeUuid: string;
  visibilityUuid?: string | null;
  /** Exactly one of personUuid and orgUnitUuid. */
  personUuid?: string;
  orgUnitUuid?: string;
  engagementUuid?: string | null;
  from: Day;
  to?: Day | null;
}

interface AddressUpdateBase {
  uuid: string;
  userKey?: string;
  personUuid?: string;
  orgUnitUuid?: string;
  engagementUuid?: string | null;
  from: Day;
  to: Day | null;
}

/**
 * OS2MO 66 writes an address's value, type and visibility only together (mora/service/address.py): a value
 * without its address type is refused ("Missing address_type", V_MISSING_REQUIRED_VALUE), a type or visibility
 * without a value is silently ignored, and a null visibility keeps the one MO has.
 */
export type AddressUpdate = AddressUpdateBase &
  ({ value: string; addressTypeUuid: string; visibilityUuid?: string | null } | { value?: undefined; addressTypeUuid?: undefined; visibilityUuid?: undefined });

export interface RawAddressSlice extends RawSlice {
  value: string;
  name?: string | null;
  address_type_uuid: string;
  visibility_uuid: string | null;
  person_response: { uuid: string } | null;
  org_unit_uuid: string | null;
  engagement_uuid: string | null;
}

export function addressFilter(f: AddressFilter) {
  const typed = f.addressTypeUuids || f.addressTypeUserKeys;
  return {
    uuids: f.uuids,
    employee: f.personUuids && { uuids: f.personUuids },
    org_unit: f.orgUnitUuids && { uuids: f.orgUnitUuids },
    address_type: typed && { uuids: f.addressTypeUuids, user_keys: f.addressTypeUserKeys },
  };
}

export const mapAddressSlice = (r: RawAddressSlice, from: Day | null, to: Day | null): AddressSlice => ({
  from,
  to,
  userKey: r.user_key,
  value: r.value,
  ...(r.name !== undefined ? { name: r.name } : {}),
  addressTypeUuid: r.address_type_uuid,
  visibilityUuid: r.visibility_uuid,
  personUuid: uuidOf(r.person_response),
  orgUnitUuid: r.org_unit_uuid,
  engagementUuid: r.engagement_uuid,
});

const createNames: FieldNames<AddressCreate> = {
  uuid: 'uuid',
  userKey: 'user_key',
  value: 'value',
  addressTypeUuid: 'address_type',
  visibilityUuid: 'visibility',
  personUuid: 'person',
  orgUnitUuid: 'org_unit',
  engagementUuid: 'engagement',
};
const updateNames: FieldNames<AddressUpdate> = { ...createNames, uuid: 'uuid' };

export const addressInputs = {
  create: (i: AddressCreate) => ({ ...mapFields(i, createNames), validity: validity(i.from, i.to) }),
  update: (i: AddressUpdate) => ({ ...mapFields(i, updateNames), validity: validity(i.from, i.to) }),
  terminate: terminateInput,
  delete: deleteInput,
};
