// OPUS employment records → the person MO should hold (spec §3.4 step 3 and §3.5). A person with several
// employments appears in several records; the lowest active employment id speaks for the person, so the
// result does not depend on file order (DIPEX let whichever record came last win).
import { byOpusId } from '../../opus/compare.js';
import { parsePhone } from '../mapping/addressValues.js';
import { EMPLOYEE_ADDRESS, INTERNAL_VISIBILITY } from '../mapping/classes.js';
import type { AddressWish, DesiredAddress, DesiredPerson, PersonFacts } from './types.js';

export interface PersonContext {
  skipEmail: boolean;
  skipPhone: boolean;
  skipAddress: boolean;
  /** The postal address of a person, looked up in DAR (pre-resolved by the caller). */
  postalAddress: (street: string, postalCode: string) => AddressWish;
}

export function desiredPerson(facts: readonly PersonFacts[], ctx: PersonContext): DesiredPerson {
  if (facts.length === 0) throw new Error('a person needs at least one employment record');
  const ordered = [...facts].sort((a, b) => (a.active === b.active ? byOpusId(a.employmentId, b.employmentId) : a.active ? -1 : 1));
  const source = ordered[0]!;
  const both = !source.givenName && !source.surname;
  return {
    cpr: source.cpr,
    givenName: both ? 'Ukendt' : (source.givenName ?? ''),
    surname: both ? 'Ukendt' : (source.surname ?? ''),
    sourceEmploymentId: source.employmentId,
    addresses: personAddresses(source, ctx),
    opusUserName: ordered.find((f) => f.active && f.userId)?.userId ?? null,
  };
}

function personAddresses(source: PersonFacts, ctx: PersonContext): DesiredAddress[] {
  const keep = (why: string): AddressWish => ({ kind: 'keep', why });
  let phone: AddressWish;
  if (ctx.skipPhone) phone = keep('integrations.opus.skip_employee_phone is set');
  else if (source.workPhone === null) phone = { kind: 'none', why: 'no workPhone in OPUS' };
  else {
    const parsed = parsePhone(source.workPhone);
    phone =
      parsed === null
        ? { kind: 'keep', why: `the workPhone of employment ${source.employmentId} is not a phone number (4, 5, 8, 9 or 11 characters)`, problem: true }
        : { kind: 'value', value: parsed, visibility: null };
  }
  const email: AddressWish = ctx.skipEmail
    ? keep('integrations.opus.skip_employee_email is set')
    : source.email === null
      ? { kind: 'none', why: 'no email in OPUS' }
      : { kind: 'value', value: source.email, visibility: null };
  let postal: AddressWish;
  if (ctx.skipAddress) postal = keep('integrations.opus.skip_employee_address is set');
  else if (source.address === 'protected') postal = { kind: 'none', why: 'address protection: a protected address must not stay in MO' };
  else if (source.address === null) postal = { kind: 'none', why: 'no address and postalCode in OPUS' };
  else {
    const found = ctx.postalAddress(source.address.street, source.address.postalCode);
    // A home address is personal data: it never goes into plans, reports or the run history.
    postal =
      found.kind === 'value'
        ? { ...found, visibility: INTERNAL_VISIBILITY }
        : found.kind === 'keep' && found.problem
          ? { kind: 'keep', why: `the postal address of employment ${source.employmentId} has no unique match in DAR`, problem: true }
          : found;
  }
  return [
    { type: EMPLOYEE_ADDRESS.phone, wish: phone },
    { type: EMPLOYEE_ADDRESS.email, wish: email },
    { type: EMPLOYEE_ADDRESS.postal, wish: postal },
  ];
}
