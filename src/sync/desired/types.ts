// What a dump wants MO to hold, before anything is compared with MO. Built by pure functions from the
// dump's records (units.ts, employments.ts, persons.ts); compared with MO by src/sync/plan/.
import type { Day } from '../../mo/time.js';
import type { OpusFunction, SourcePosition } from '../../opus/records.js';
import type { ClassRef } from '../mapping/classes.js';

/**
 * What the import wants for one address of an owner:
 * - `value`: this value (and visibility) from the dump date on;
 * - `none`: no such address (OPUS has none, it is protected, or the import skips the kind);
 * - `keep`: the import cannot tell (e.g. DAR is down) or does not manage the kind (a skip setting): MO's
 *   address is left as it is; `problem` marks bad OPUS data, which the import reports; `retry` marks an
 *   answer that may come next run (DAR did not answer), so the next run compares the address again.
 */
export type AddressWish =
  | { kind: 'value'; value: string; visibility: ClassRef | null }
  | { kind: 'none'; why: string }
  | { kind: 'keep'; why: string; problem?: boolean; retry?: boolean };

export interface DesiredAddress {
  type: ClassRef;
  wish: AddressWish;
}

export interface DesiredUnit {
  opusId: string;
  uuid: string;
  /** null for a top-level unit. */
  parentUuid: string | null;
  userKey: string;
  name: string;
  unitType: ClassRef;
  from: Day;
  to: Day | null;
  addresses: DesiredAddress[];
  source: SourcePosition;
}

export interface DesiredManagerRole {
  level: ClassRef;
  type: ClassRef;
  responsibility: ClassRef;
}

/** An employment OPUS still has, as MO should hold it. */
export interface DesiredEmployment {
  opusId: string;
  cpr: string;
  unitOpusId: string;
  unitUuid: string;
  jobFunction: ClassRef;
  engagementType: ClassRef;
  from: Day;
  to: Day | null;
  /** null when `isManager` is false: any manager role of the employment ends. */
  manager: DesiredManagerRole | null;
  /** `isManager` was neither true nor false: leave MO's manager role alone, as DIPEX does. */
  managerUnknown: boolean;
  functions: OpusFunction[];
  source: SourcePosition;
}

/**
 * Every employment id the dump speaks of, and what the import wants for it:
 * - `employment`: as described;
 * - `ended`: a leave stub, or an employment in a filtered unit: engagement and manager role end at the
 *   dump date;
 * - `skipped`: present but not importable (reported): MO is left as it is.
 */
export type EmploymentWish =
  | { kind: 'employment'; employment: DesiredEmployment }
  | { kind: 'ended'; opusId: string; why: string }
  | { kind: 'skipped'; opusId: string; why: string; source: SourcePosition };

/** The person-level data of one employment record: persons are built from all of them. */
export interface PersonFacts {
  employmentId: string;
  cpr: string;
  /** The employment's unit: an employment in a filtered unit does not speak for its person. */
  unitOpusId: string | null;
  active: boolean;
  givenName: string | null;
  surname: string | null;
  address: { street: string; postalCode: string } | 'protected' | null;
  workPhone: string | null;
  email: string | null;
  userId: string | null;
}

export interface DesiredPerson {
  cpr: string;
  givenName: string;
  surname: string;
  /** The employment whose record gave the person data (the lowest active employment id). */
  sourceEmploymentId: string;
  addresses: DesiredAddress[];
  /** The OPUS user name for the "Opus" IT user, or null for none. */
  opusUserName: string | null;
}

/** A problem the import reports and works around (the object is skipped, the rest goes on). */
export interface ImportIssue {
  opusId: string | null;
  kind: 'orgUnit' | 'employment' | 'person' | 'address';
  message: string;
  source?: SourcePosition;
}
