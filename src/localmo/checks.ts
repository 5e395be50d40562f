// The validations OS2MO makes on writes (docs/mo-api-subset.md "Checks"), with MO's error keys: address
// values by their type's scope, unique CPR numbers, and functions inside their unit's validity.
import { ADDRESS_SCOPE_RULES } from '../mo/addressScopes.js';
import type { MoContext } from './context.js';
import { moError } from './errors.js';
import { KINDS } from './kinds.js';
import { classScope } from './responses.js';
import { existingObjects, run } from './store.js';
import { formatDateTime, type Instant } from './time.js';
import type { Slice } from './timeline.js';

/** What a write produces for one object: the slices the checks look at. */
export interface Written {
  uuid: string;
  slices: readonly Slice[];
}

/** Marks which object failed a check, so a batched write can name the mutation that carried it. */
function blame<E extends Error>(error: E, uuid: string): E {
  return Object.assign(error, { culprit: uuid });
}

export function culpritOf(error: unknown): string | null {
  const culprit = (error as { culprit?: unknown } | null)?.culprit;
  return typeof culprit === 'string' ? culprit : null;
}

/** Referenced persons must exist (MO: E_USER_NOT_FOUND). */
export async function checkPersonsExist(ctx: MoContext, written: readonly Written[]): Promise<void> {
  const refs = written.flatMap((w) => w.slices.map((s) => ({ uuid: w.uuid, person: s.data.person_uuid }))).filter((r): r is { uuid: string; person: string } => typeof r.person === 'string');
  const found = await existingObjects(ctx.db, 'person', [...new Set(refs.map((r) => r.person))]);
  const missing = refs.find((r) => !found.has(r.person));
  if (missing) throw blame(moError(KINDS.person.notFoundKey, `Employee ${missing.person} not found.`, 404, { person_uuid: missing.person }), missing.uuid);
}

/** Each address slice's value must suit its address type's scope; the type must be a class with a scope. */
export async function checkAddressValues(ctx: MoContext, written: readonly Written[]): Promise<void> {
  const seen = new Set<string>();
  const pairs = written
    .flatMap((w) => w.slices.filter((s) => s.active).map((s) => ({ uuid: w.uuid, type: String(s.data.address_type_uuid), value: String(s.data.value ?? '') })))
    .filter((p) => !seen.has(`${p.type}|${p.value}`) && seen.add(`${p.type}|${p.value}`));
  const scopes = await Promise.all(pairs.map((p) => classScope(ctx, p.type)));
  for (const [i, { uuid, type, value }] of pairs.entries()) {
    const scope = scopes[i] ?? null;
    if (scope === null) {
      const exists = (await existingObjects(ctx.db, 'class', [type])).size > 0;
      if (!exists) throw blame(moError('E_CLASS_NOT_FOUND', `Address type ${type} not found.`, 404, { address_type_uuid: type }), uuid);
      throw blame(moError('E_INVALID_TYPE', `Address type ${type} has no scope, so the value cannot be checked.`, 400, { address_type_uuid: type }), uuid);
    }
    const validator = ADDRESS_SCOPE_RULES[scope];
    if (!validator) throw blame(moError('E_INVALID_TYPE', `Address type ${type} has the unknown scope ${scope}.`, 400, { address_type_uuid: type }), uuid);
    if (!validator.valid(value)) {
      throw blame(moError(`V_INVALID_ADDRESS_${scope}`, `Invalid ${validator.what}: ${JSON.stringify(value)}.`, 400, { value, scope }), uuid);
    }
  }
}

/** True when active slices cover [from, to) without a gap. */
function covers(slices: readonly Slice[], from: Instant, to: Instant): boolean {
  let cursor = from;
  for (const s of slices) {
    if (!s.active) continue;
    if (s.from <= cursor && s.to > cursor) cursor = s.to;
    if (cursor >= to) return true;
  }
  return cursor >= to;
}

/** Engagements, managers, addresses and role bindings must lie inside their unit's validity. */
export async function checkOrgUnitRanges(ctx: MoContext, kindLabel: string, written: readonly Written[]): Promise<void> {
  const wanted = written.flatMap((w) => w.slices.filter((s) => s.active && typeof s.data.org_unit_uuid === 'string').map((slice) => ({ uuid: w.uuid, slice })));
  const units = [...new Set(wanted.map((w) => w.slice.data.org_unit_uuid as string))];
  const unitSlices = await Promise.all(units.map((u) => ctx.activeSlices('org_unit', u)));
  const byUnit = new Map(units.map((u, i) => [u, unitSlices[i] ?? []]));
  for (const { uuid, slice } of wanted) {
    const unit = slice.data.org_unit_uuid as string;
    const timeline = byUnit.get(unit) ?? [];
    if (timeline.length === 0 && (await existingObjects(ctx.db, 'org_unit', [unit])).size === 0) {
      throw blame(moError(KINDS.org_unit.notFoundKey, `Organisation unit ${unit} not found.`, 404, { org_unit_uuid: unit }), uuid);
    }
    if (!covers(timeline, slice.from, slice.to)) {
      throw blame(moError('V_DATE_OUTSIDE_ORG_UNIT_RANGE', 'Date range exceeds validity range of associated org unit.', 400, {
        org_unit_uuid: unit,
        kind: kindLabel,
        wanted_valid_from: Number.isFinite(slice.from) ? formatDateTime(slice.from) : null,
        wanted_valid_to: Number.isFinite(slice.to) ? formatDateTime(slice.to) : null,
      }), uuid);
    }
  }
}

/** A CPR number belongs to one person (V_EXISTING_CPR). Locks each number until the transaction ends. */
export async function checkCprsUnique(ctx: MoContext, written: readonly Written[]): Promise<void> {
  const wanted = written.flatMap((w) => w.slices.map((s) => ({ uuid: w.uuid, data: s.data }))).filter((p) => typeof p.data.cpr_number === 'string');
  if (wanted.length === 0) return;
  const cprs = [...new Set(wanted.map((p) => p.data.cpr_number as string))].sort();
  await run(ctx.db, `SELECT pg_advisory_xact_lock(hashtext('moflow-cpr:' || c)) FROM unnest($1::text[]) c`, [cprs]);
  const rows = await run<{ uuid: string; cpr: string }>(
    ctx.db,
    // Only persons have a cpr; no kind condition, so the planner always takes the cpr index.
    `SELECT DISTINCT s.uuid, s.cpr FROM mo_slice s WHERE s.reg_to = 'infinity' AND s.cpr = ANY($1::text[])`,
    [cprs],
  );
  const owner = new Map<string, string>(rows.map((r) => [r.cpr, r.uuid]));
  for (const person of wanted) {
    const cpr = person.data.cpr_number as string;
    const existing = owner.get(cpr);
    if (existing !== undefined && existing !== person.uuid) {
      // Never the CPR number itself in the message: it reaches clients' logs.
      throw blame(moError('V_EXISTING_CPR', 'Person with CPR number already exists.', 409, { existing_uuid: existing }), person.uuid);
    }
    owner.set(cpr, person.uuid);
  }
}
