// People (spec §3.4 steps 3–5): found by CPR, created when missing, renamed from the dump date; their
// phone, e-mail and postal address; and their IT users ("Opus" from userId, "Active Directory" from AD).
import { randomUUID } from 'node:crypto';
import type { ItUserSlice, MoTemporal, PersonSlice } from '../../mo/index.js';
import { maskCpr } from '../../util/cpr.js';
import type { DesiredPerson } from '../desired/types.js';
import { OPUS_IT_SYSTEM } from '../mapping/itSystems.js';
import type { MoState } from '../moState.js';
import { planAddresses } from './addresses.js';
import { countUnchanged, needsOf, periodsOf, type PlanContext } from './objects.js';
import { planTimeline } from './timeline.js';
import type { PlanSubject } from './types.js';

/** Where enrichments plug in: the uuid of a new person (CPR mapping, AD), and extra IT accounts (AD). */
export interface PersonSeams {
  /** The uuid a new person gets; undefined (the default) a random one, never derived from the CPR, which it would leak. */
  newPersonUuid?: (cpr: string) => string | undefined;
  /** IT accounts per system user_key for a person: a user name, null for none, undefined to leave MO alone. */
  itAccounts?: (person: DesiredPerson) => Record<string, string | null | undefined>;
  /** What an enrichment could not decide for a person (e.g. several AD accounts), for the plan's issues. */
  issues?: (person: DesiredPerson) => string[];
}

/** The people of a plan by CPR: their uuid, and their "Opus" IT user's when they have (or get) one. */
export interface PlannedPeople {
  uuids: Map<string, string>;
  opusItUsers: Map<string, string>;
}

type NameValues = { givenName: string; surname: string };
const equalNames = (a: NameValues, b: NameValues) => a.givenName === b.givenName && a.surname === b.surname;

/** Plans every person and returns their uuids by CPR (existing, or created by the plan). */
export function planPersons(ctx: PlanContext, persons: readonly DesiredPerson[], mo: MoState, seams: PersonSeams = {}): PlannedPeople {
  const uuids = new Map<string, string>();
  const opusItUsers = new Map<string, string>();
  for (const person of persons) {
    const subject: PlanSubject = { kind: 'person', opusId: person.sourceEmploymentId, label: `person ${maskCpr(person.cpr)} (employment ${person.sourceEmploymentId})` };
    const existing = mo.persons.get(person.cpr);
    const uuid = existing?.uuid ?? seams.newPersonUuid?.(person.cpr) ?? randomUUID();
    uuids.set(person.cpr, uuid);
    planPerson(ctx, person, uuid, existing, subject);
    planAddresses(ctx, { kind: 'person', uuid, from: null, to: null, subject }, person.addresses, mo.personAddresses.get(uuid) ?? []);
    for (const message of seams.issues?.(person) ?? []) ctx.issues.push({ opusId: person.sourceEmploymentId, kind: 'person', message: `${subject.label}: ${message}` });
    const accounts = { [OPUS_IT_SYSTEM]: person.opusUserName, ...(seams.itAccounts?.(person) ?? {}) };
    for (const [system, userName] of Object.entries(accounts)) {
      if (userName === undefined) continue;
      const itUser = planItUser(ctx, uuid, system, userName, mo.itUsers.get(uuid) ?? [], subject);
      if (system === OPUS_IT_SYSTEM && itUser !== null) opusItUsers.set(person.cpr, itUser);
    }
  }
  return { uuids, opusItUsers };
}

function planPerson(ctx: PlanContext, person: DesiredPerson, uuid: string, existing: MoTemporal<PersonSlice> | undefined, subject: PlanSubject): void {
  const names = { givenName: person.givenName, surname: person.surname };
  if (!existing) {
    ctx.creates.add(uuid);
    ctx.ops.push({
      op: { kind: 'person', action: 'create', input: { uuid, ...names, cprNumber: person.cpr } },
      phase: 'persons',
      subject,
      reason: 'new in OPUS',
      needs: [],
    });
    return;
  }
  const periods = periodsOf(existing, (s) => ({ givenName: s.givenName, surname: s.surname }), equalNames);
  const writes = planTimeline(periods, { from: ctx.effective, to: null, values: names }, { effective: ctx.effective, anchored: false, equal: equalNames, describe: () => 'name changed in OPUS' });
  for (const w of writes) {
    if (w.action !== 'update') continue; // a person is never created twice nor ended by the import
    ctx.ops.push({ op: { kind: 'person', action: 'update', input: { uuid, ...names, from: w.from, to: w.to } }, phase: 'persons', subject, reason: w.reason, needs: [] });
  }
  if (writes.length === 0) countUnchanged(ctx, 'person');
}

/**
 * One IT account of a person in one IT system, following the user name from the dump date on; ended when
 * the name is gone. Several accounts in the system that moflow did not create are left alone (as DIPEX).
 * Returns the account's uuid while the person has a user name in the system, else null.
 */
function planItUser(ctx: PlanContext, personUuid: string, system: string, userName: string | null, mo: MoTemporal<ItUserSlice>[], subject: PlanSubject): string | null {
  const systemUuid = ctx.catalog.itSystem(system);
  const deterministic = ctx.uuids.of('ituser', `${personUuid}/${system}`);
  const candidates = mo.filter((u) => u.validities.some((v) => v.itSystemUuid === systemUuid));
  const own = candidates.find((c) => c.uuid === deterministic);
  if (!own && candidates.length > 1) {
    ctx.issues.push({ opusId: subject.opusId, kind: 'person', message: `${subject.label} has ${candidates.length} ${system} IT users in MO; none is changed` });
    return null;
  }
  const chosen = own ?? candidates[0];
  const equal = (a: { userKey: string }, b: { userKey: string }) => a.userKey === b.userKey;
  const wanted = userName === null ? null : { from: ctx.effective, to: null, values: { userKey: userName } };
  const writes = planTimeline(periodsOf(chosen, (s) => ({ userKey: s.userKey }), equal), wanted, {
    effective: ctx.effective,
    anchored: false,
    equal,
    describe: () => `${system} user name changed`,
  });
  if (writes.length === 0 && wanted) countUnchanged(ctx, 'itUser');
  const uuid = chosen?.uuid ?? deterministic;
  const needs = needsOf(ctx, personUuid, systemUuid);
  for (const w of writes) {
    const base = { subject, needs, reason: `${system}: ${w.action === 'terminate' ? 'no user name in the source any more' : w.reason}` };
    if (w.action === 'create' && userName !== null) {
      ctx.creates.add(uuid); // rolebindings refer to it
      ctx.ops.push({ ...base, phase: 'engagements', op: { kind: 'itUser', action: 'create', input: { uuid, userKey: userName, itSystemUuid: systemUuid, personUuid, from: w.from, to: w.to } } });
    } else if (w.action === 'update' && userName !== null) {
      ctx.ops.push({ ...base, phase: 'engagements', op: { kind: 'itUser', action: 'update', input: { uuid, userKey: userName, from: w.from, to: w.to } } });
    } else if (w.action === 'terminate') {
      ctx.ops.push({ ...base, phase: 'accountEndings', op: { kind: 'itUser', action: 'terminate', input: { uuid, to: w.to, ...(w.from ? { from: w.from } : {}) } } });
    }
  }
  return userName === null ? null : uuid;
}
