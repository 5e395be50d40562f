// IT users: a person's account in an IT system; user_key is the account name.
import { type Day } from '../time.js';
import { deleteInput, mapFields, terminateInput, uuidOf, validity, type FieldNames, type RawSlice, type SliceBase } from './common.js';

export interface ItUserSlice extends SliceBase {
  itSystemUuid: string;
  personUuid: string | null;
  externalId: string | null;
  engagementUuids: string[];
}

export interface ItUserFilter {
  uuids?: string[];
  userKeys?: string[];
  personUuids?: string[];
  /** Give either the IT systems' uuids or their user_keys. */
  itSystemUuids?: string[];
  itSystemUserKeys?: string[];
}

export interface ItUserCreate {
  uuid?: string;
  /** The account name. */
  userKey: string;
  itSystemUuid: string;
  personUuid?: string | null;
  orgUnitUuid?: string | null;
  externalId?: string | null;
  engagementUuids?: string[] | null;
  from: Day;
  to?: Day | null;
}

export interface ItUserUpdate {
  uuid: string;
  userKey?: string;
  itSystemUuid?: string;
  personUuid?: string | null;
  orgUnitUuid?: string | null;
  externalId?: string | null;
  engagementUuids?: string[] | null;
  from: Day;
  to: Day | null;
}

export interface RawItUserSlice extends RawSlice {
  itsystem_uuid: string;
  person_response: { uuid: string } | null;
  external_id: string | null;
  engagement_uuids: string[] | null;
}

export function itUserFilter(f: ItUserFilter) {
  const bySystem = f.itSystemUuids || f.itSystemUserKeys;
  return {
    uuids: f.uuids,
    user_keys: f.userKeys,
    employee: f.personUuids && { uuids: f.personUuids },
    itsystem: bySystem && { uuids: f.itSystemUuids, user_keys: f.itSystemUserKeys },
  };
}

export const mapItUserSlice = (r: RawItUserSlice, from: Day | null, to: Day | null): ItUserSlice => ({
  from,
  to,
  userKey: r.user_key,
  itSystemUuid: r.itsystem_uuid,
  personUuid: uuidOf(r.person_response),
  externalId: r.external_id,
  engagementUuids: r.engagement_uuids ?? [],
});

const createNames: FieldNames<ItUserCreate> = {
  uuid: 'uuid',
  userKey: 'user_key',
  itSystemUuid: 'itsystem',
  personUuid: 'person',
  orgUnitUuid: 'org_unit',
  externalId: 'external_id',
  engagementUuids: 'engagements',
};
const updateNames: FieldNames<ItUserUpdate> = { ...createNames, uuid: 'uuid' };

export const itUserInputs = {
  create: (i: ItUserCreate) => ({ ...mapFields(i, createNames), validity: validity(i.from, i.to) }),
  update: (i: ItUserUpdate) => ({ ...mapFields(i, updateNames), validity: validity(i.from, i.to) }),
  terminate: terminateInput,
  delete: deleteInput,
};
