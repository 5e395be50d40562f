// Addresses of one owner (a unit or a person): for each address type OPUS speaks of, MO's address of that
// type follows OPUS from the dump date on — created, changed, or ended when OPUS no longer has it (DIPEX
// never ended addresses). A value MO would refuse is reported instead of written.
import type { AddressSlice, Day, MoTemporal } from '../../mo/index.js';
import type { DesiredAddress } from '../desired/types.js';
import { scopeProblem } from '../mapping/addressValues.js';
import { classKey } from '../mapping/classes.js';
import { countUnchanged, needsOf, periodsOf, pickObject, type PlanContext } from './objects.js';
import { planTimeline } from './timeline.js';
import type { PlanSubject } from './types.js';

export interface AddressOwner {
  kind: 'unit' | 'person';
  uuid: string;
  /** Addresses start no earlier than the owner (MO refuses an address outside its unit's validity). */
  from: Day | null;
  to: Day | null;
  subject: PlanSubject;
}

type AddressValues = { value: string; visibilityUuid: string | null };
const equal = (a: AddressValues, b: AddressValues) => a.value === b.value && a.visibilityUuid === b.visibilityUuid;

export function planAddresses(ctx: PlanContext, owner: AddressOwner, desired: DesiredAddress[], mo: MoTemporal<AddressSlice>[]): void {
  for (const { type, wish } of desired) {
    if (wish.kind === 'keep') {
      if (wish.problem) ctx.issues.push({ opusId: owner.subject.opusId, kind: 'address', message: `${owner.subject.label}: ${wish.why}` });
      continue;
    }
    const addressType = ctx.catalog.resolve(type);
    const visibility = wish.kind === 'value' && wish.visibility ? ctx.catalog.resolve(wish.visibility).uuid : null;
    const deterministic = ctx.uuids.of('address', `${owner.uuid}/${classKey(type)}`);
    const candidates = mo.filter((a) => a.validities.some((v) => v.addressTypeUuid === addressType.uuid));
    const chosen = pickObject(candidates, deterministic, (n) =>
      ctx.issues.push({ opusId: owner.subject.opusId, kind: 'address', message: `${owner.subject.label} has ${n} "${type.name}" addresses in MO; moflow maintains the most recent one` }),
    );
    // OPUS gives most addresses no visibility, and OS2MO cannot clear one by update (a null keeps the old): a
    // visibility set in MO by hand then stays, and moflow does not try to undo it every night.
    const periods = periodsOf(chosen, (s) => ({ value: s.value, visibilityUuid: visibility === null ? null : s.visibilityUuid }), equal);

    if (wish.kind === 'value') {
      const problem = addressType.scope ? scopeProblem(addressType.scope, wish.value) : null;
      if (problem) {
        // A person's e-mail or phone is personal data: it stays out of issues, reports and the run history.
        const what = owner.kind === 'unit' ? `value "${wish.value}"` : 'value';
        ctx.issues.push({ opusId: owner.subject.opusId, kind: 'address', message: `${owner.subject.label}: "${type.name}" ${what} ${problem}; not written` });
        continue;
      }
    }
    const start = owner.from !== null && owner.from > ctx.effective ? owner.from : ctx.effective;
    const wanted = wish.kind === 'value' ? { from: start, to: owner.to, values: { value: wish.value, visibilityUuid: visibility } } : null;
    const writes = planTimeline(periods, wanted, { effective: ctx.effective, anchored: false, equal, describe: (a, b) => (a.value !== b.value ? 'value changed in OPUS' : 'visibility changed') });
    if (writes.length === 0) {
      if (wanted && (wanted.to === null || wanted.from < wanted.to)) countUnchanged(ctx, 'address');
      continue;
    }
    const uuid = chosen?.uuid ?? deterministic;
    const needs = needsOf(ctx, owner.uuid, addressType.uuid, visibility);
    const base = { phase: 'details' as const, subject: owner.subject, needs };
    const link = owner.kind === 'unit' ? { orgUnitUuid: owner.uuid } : { personUuid: owner.uuid };
    for (const w of writes) {
      const reason = `${type.name}: ${w.action === 'terminate' && wish.kind === 'none' ? wish.why : w.reason}`;
      if (w.action === 'create' && wanted) {
        ctx.ops.push({ ...base, reason, op: { kind: 'address', action: 'create', input: { uuid, ...link, addressTypeUuid: addressType.uuid, value: wanted.values.value, visibilityUuid: visibility, from: w.from, to: w.to } } });
      } else if (w.action === 'update' && wanted) {
        ctx.ops.push({ ...base, reason, op: { kind: 'address', action: 'update', input: { uuid, value: wanted.values.value, addressTypeUuid: addressType.uuid, visibilityUuid: visibility, from: w.from, to: w.to } } });
      } else if (w.action === 'terminate') {
        ctx.ops.push({ ...base, phase: 'endings', reason, op: { kind: 'address', action: 'terminate', input: { uuid, to: w.to, ...(w.from ? { from: w.from } : {}) } } });
      }
    }
  }
}
