// The validations OS2MO makes on writes (docs/mo-api-subset.md "Checks"), in OS2MO's order and with its error
// keys: address values by their type's scope, unique CPR numbers on create, and a period within its unit's and
// its person's validity — on create for engagements, addresses, IT users and rolebindings, on update only for
// managers (against the unit they started in); a unit within its parent on create and move.
import { ADDRESS_SCOPE_RULES } from '../mo/addressScopes.js';
import type { MoContext } from './context.js';
import { moError } from './errors.js';
import type { KindName } from './kinds.js';
import { classScope } from './responses.js';
import { existingObjects, run } from './store.js';
import type { Instant } from './time.js';
import type { Slice } from './timeline.js';
import { checkNewUnit, checkUnitMove, checkWithinPerson, checkWithinUnit } from './unitRules.js';

/** What a create produces for one object: the slices the checks look at. */
export interface Written {
  uuid: string;
  slices: readonly Slice[];
}

/** One update of one object: its input and period, the object before, and its active slices in the period after. */
export interface Updated extends Written {
  input: Record<string, unknown>;
  from: Instant;
  to: Instant;
  original: readonly Slice[];
}

/** Marks which object failed a check, so a batched write can name the mutation that carried it. */
function blame<E extends Error>(error: E, uuid: string): E {
  return Object.assign(error, { culprit: uuid });
}

export function culpritOf(error: unknown): string | null {
  const culprit = (error as { culprit?: unknown } | null)?.culprit;
  return typeof culprit === 'string' ? culprit : null;
}

async function blaming(uuid: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    throw error instanceof Error ? blame(error, uuid) : error;
  }
}

/**
 * The unit a manager update is checked against: OS2MO checks the first unit relation LoRa returns for the
 * stored manager, whatever unit the update names. For a manager that has only been in one unit that is the
 * one; after a move, which one comes first varies between objects in OS2MO (measured: mostly the earliest),
 * and the local MO takes the unit of the earliest period.
 */
function firstUnit(original: readonly Slice[]): string | null {
  const earliest = [...original].sort((a, b) => a.from - b.from)[0];
  return typeof earliest?.data.org_unit_uuid === 'string' ? earliest.data.org_unit_uuid : null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Loads the units and persons the checks will look at in one query per kind (the loaders batch what is asked
 * at once and cache it), so that checking object by object costs no query per object.
 */
async function prefetch(ctx: MoContext, written: readonly Written[]): Promise<void> {
  const units = new Set<string>();
  const persons = new Set<string>();
  for (const { slices } of written) {
    for (const { data } of slices) {
      for (const unit of [data.org_unit_uuid, data.parent_uuid]) if (typeof unit === 'string') units.add(unit);
      if (typeof data.person_uuid === 'string') persons.add(data.person_uuid);
    }
  }
  await Promise.all([...[...units].map((u) => ctx.activeSlices('org_unit', u)), ...[...persons].map((p) => ctx.activeSlices('person', p))]);
}

/** MO's checks on creates of one kind, object by object, in the order OS2MO makes them. */
export async function checkCreates(ctx: MoContext, kind: KindName, written: readonly Written[]): Promise<void> {
  if (kind === 'person') return checkCprsUnique(ctx, written);
  if (kind === 'address') await checkAddressValues(ctx, written);
  await prefetch(ctx, written);
  for (const { uuid, slices } of written) {
    for (const { from, to, data } of slices) {
      const unit = str(data.org_unit_uuid);
      const person = str(data.person_uuid);
      await blaming(uuid, async () => {
        if (kind === 'org_unit') await checkNewUnit(ctx, data.parent_uuid, from, to);
        if (kind === 'engagement' && person) await checkWithinPerson(ctx, person, from, to);
        if ((kind === 'engagement' || kind === 'address' || kind === 'ituser' || kind === 'rolebinding') && unit) await checkWithinUnit(ctx, unit, from, to);
        if ((kind === 'address' || kind === 'manager' || kind === 'ituser') && person) await checkWithinPerson(ctx, person, from, to);
      });
    }
  }
}

/** MO's checks on updates: a unit's move, a manager's unit, the person of an engagement, address or manager. */
export async function checkUpdates(ctx: MoContext, kind: KindName, updates: readonly Updated[]): Promise<void> {
  if (kind === 'address') await checkAddressValues(ctx, updates.filter((u) => 'value' in u.input));
  await prefetch(ctx, [...updates, ...updates.map((u) => ({ uuid: u.uuid, slices: u.original }))]);
  for (const { uuid, input, from, to, original, slices } of updates) {
    if (kind === 'org_unit' && 'parent' in input) await checkUnitMove(ctx, uuid, input.parent, from, to);
    if (kind === 'manager') {
      const unit = firstUnit(original);
      if (unit) await checkWithinUnit(ctx, unit, from, to);
    }
    if (kind === 'engagement' || kind === 'address' || kind === 'manager') {
      const person = str((kind === 'manager' ? slices[0] : original[0])?.data.person_uuid);
      if (person) await checkWithinPerson(ctx, person, from, to);
    }
  }
}

/**
 * Each address slice's value must suit its address type's scope; the type must be a class with a scope. A DAR
 * value is looked up in DAR when the local MO has a DAR service (V_INVALID_ADDRESS_DAR as OS2MO answers it);
 * without one (the demo) it need only be a uuid.
 */
export async function checkAddressValues(ctx: MoContext, written: readonly Written[]): Promise<void> {
  const seen = new Set<string>();
  const pairs = written
    .flatMap((w) => w.slices.filter((s) => s.active).map((s) => ({ uuid: w.uuid, type: String(s.data.address_type_uuid), value: String(s.data.value ?? '') })))
    .filter((p) => !seen.has(`${p.type}|${p.value}`) && seen.add(`${p.type}|${p.value}`));
  const scopes = await Promise.all(pairs.map((p) => classScope(ctx, p.type)));
  // With a DAR service, a DAR value must be an address DAR has (all looked up at once, as OS2MO's loader does).
  const inDar = await Promise.all(pairs.map((p, i) => (scopes[i] === 'DAR' && ctx.dar.enabled && UUID_RE.test(p.value) ? ctx.dar.lookUp(p.value) : null)));
  for (const [i, { uuid, type, value }] of pairs.entries()) {
    const scope = scopes[i] ?? null;
    if (scope === null) {
      const exists = (await existingObjects(ctx.db, 'class', [type])).size > 0;
      if (!exists) throw blame(moError('E_CLASS_NOT_FOUND', `Address type ${type} not found.`, 404, { address_type_uuid: type }), uuid);
      throw blame(moError('E_INVALID_TYPE', `Address type ${type} has no scope, so the value cannot be checked.`, 400, { address_type_uuid: type }), uuid);
    }
    if (scope === 'DAR' && ctx.dar.enabled && (!UUID_RE.test(value) || inDar[i] === null)) {
      // OS2MO's DARAddressHandler.validate_value: no uuid, or no such address in DAR.
      throw blame(moError('V_INVALID_ADDRESS_DAR', 'Invalid address', 400, { value }), uuid);
    }
    const validator = ADDRESS_SCOPE_RULES[scope];
    if (!validator) throw blame(moError('E_INVALID_TYPE', `Address type ${type} has the unknown scope ${scope}.`, 400, { address_type_uuid: type }), uuid);
    if (!validator.valid(value)) {
      throw blame(moError(`V_INVALID_ADDRESS_${scope}`, `Invalid ${validator.what}: ${JSON.stringify(value)}.`, 400, { value, scope }), uuid);
    }
  }
}

/**
 * A new person's CPR number may not belong to another person (V_EXISTING_CPR); creating a person again under
 * its own uuid is allowed. Only employee_create checks: OS2MO lets employee_update give a person any CPR.
 * Locks each number until the transaction ends.
 */
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
  const owners = new Map<string, Set<string>>();
  for (const r of rows) owners.set(r.cpr, (owners.get(r.cpr) ?? new Set()).add(r.uuid));
  for (const person of wanted) {
    const cpr = person.data.cpr_number as string;
    const others = [...(owners.get(cpr) ?? [])].filter((u) => u !== person.uuid);
    // Never the CPR number itself in the message: it reaches clients' logs.
    if (others.length) throw blame(moError('V_EXISTING_CPR', 'Person with CPR number already exists.', 409), person.uuid);
    owners.set(cpr, new Set([...(owners.get(cpr) ?? []), person.uuid]));
  }
}
