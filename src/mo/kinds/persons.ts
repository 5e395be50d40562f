// Persons. A person has no validity input: MO makes them valid from the CPR birth date (or always) on.
import { type Day } from '../time.js';
import { mapFields, validity, type FieldNames, type RawSlice, type SliceBase } from './common.js';

export interface PersonSlice extends SliceBase {
  givenName: string;
  surname: string;
  /** Personal data: never log it (util/cpr.ts masks). */
  cprNumber: string | null;
}

export interface PersonFilter {
  uuids?: string[];
  cprNumbers?: string[];
}

export interface PersonCreate {
  uuid?: string;
  userKey?: string;
  givenName: string;
  surname: string;
  cprNumber?: string | null;
}

export interface PersonUpdate {
  uuid: string;
  userKey?: string;
  givenName?: string;
  surname?: string;
  cprNumber?: string;
  from: Day;
  to: Day | null;
}

export interface RawPersonSlice extends RawSlice {
  given_name: string;
  surname: string;
  cpr_number: string | null;
}

export const personFilter = (f: PersonFilter) => ({ uuids: f.uuids, cpr_numbers: f.cprNumbers });

export const mapPersonSlice = (r: RawPersonSlice, from: Day | null, to: Day | null): PersonSlice => ({
  from,
  to,
  userKey: r.user_key,
  givenName: r.given_name,
  surname: r.surname,
  cprNumber: r.cpr_number,
});

const createNames: FieldNames<PersonCreate> = { uuid: 'uuid', userKey: 'user_key', givenName: 'given_name', surname: 'surname', cprNumber: 'cpr_number' };
const updateNames: FieldNames<PersonUpdate> = { ...createNames, uuid: 'uuid' };

export const personInputs = {
  create: (i: PersonCreate) => mapFields(i, createNames),
  update: (i: PersonUpdate) => ({ ...mapFields(i, updateNames), validity: validity(i.from, i.to) }),
};
