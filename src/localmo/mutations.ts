// The mutation root: create / update / terminate / delete for the kinds of the subset, each a
// read-check-write on the request's transaction. Bulk mutators take lists and cost one read, one batch of
// checks and one write statement for the whole list.
import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { checkCreates, checkUpdates, culpritOf, type Updated } from './checks.js';
import type { DeferredWrite, MoContext } from './context.js';
import { moError } from './errors.js';
import { createItem, midnightTo, updateItem, type CreateItem, type Input } from './inputs.js';
import { KINDS, type KindName } from './kinds.js';
import { MoResponse } from './responses.js';
import { DuplicateObjectError, loadSlices, writeTimelines, type StoredSlice } from './store.js';
import { startOfCopenhagenDay, type Instant } from './time.js';
import { activeSlicesIn, applyTerminate, applyUpdate, type Slice } from './timeline.js';
import { checkItUserTerminate, checkUnitTerminate, notFound, topLevelParent } from './unitRules.js';

type Args = Record<string, unknown>;
export type MutationResolver = (args: Args, ctx: MoContext, info: GraphQLResolveInfo) => Promise<MoResponse | MoResponse[]>;

function requireTransaction(ctx: MoContext): void {
  if (!ctx.writable) throw new Error('mutations run only inside the request transaction');
}

/**
 * Creates return their uuid at once and are written together with the creates of the same kind that follow
 * them in the request (aliased employee_create × 250 becomes one check and one INSERT). Anything else — a
 * read, another kind, an update, the end of the request — writes them first. A failure names the mutation
 * that carried the offending object.
 */
interface PendingCreates extends DeferredWrite {
  entries: { item: CreateItem; path: readonly (string | number)[] }[];
}

async function create(ctx: MoContext, kind: KindName, inputs: readonly Input[], info: GraphQLResolveInfo): Promise<MoResponse[]> {
  requireTransaction(ctx);
  // OS2MO's rolebinding_create ignores the uuid it is given and makes up its own.
  const items = inputs.map((input) => createItem(kind, kind === 'rolebinding' ? { ...input, uuid: undefined } : topLevelParent(kind, input)));
  const key = `create:${kind}`;
  const path = responsePathAsArray(info.path);
  for (const item of items) {
    let pending = ctx.pending<PendingCreates>(key);
    // OS2MO runs aliased mutations in order, so a unit may name a parent created earlier in the request:
    // write the held-back units first, so the parent exists when the child is checked.
    if (pending && kind === 'org_unit' && pending.entries.some((e) => e.item.uuid === item.data.parent_uuid)) {
      await ctx.settle();
      pending = null;
    }
    if (!pending) {
      const entries: PendingCreates['entries'] = [];
      pending = { key, entries, flush: () => writeCreates(ctx, kind, entries) };
      await ctx.defer(pending);
    }
    pending.entries.push({ item, path });
  }
  return items.map((item) => new MoResponse(kind, item.uuid));
}

/**
 * A create with a uuid MO already has replaces that object, as in OS2MO (LoRa puts the whole object again,
 * a deleted one too); of two creates of one uuid in a request the later wins.
 */
async function writeCreates(ctx: MoContext, kind: KindName, entries: PendingCreates['entries']): Promise<void> {
  const last = new Map(entries.map(({ item }) => [item.uuid, item]));
  const written = [...last.values()].map((item) => ({ uuid: item.uuid, slices: [{ ...item.validity, active: true, data: item.data }] }));
  try {
    await checkCreates(ctx, kind, written);
    ctx.rowsWritten += await writeTimelines(ctx.db, kind, written.map((w) => ({ uuid: w.uuid, action: 'create', close: [], slices: w.slices })));
  } catch (error) {
    const culprit = error instanceof DuplicateObjectError ? error.uuid : culpritOf(error);
    const path = entries.find((e) => e.item.uuid === culprit)?.path ?? entries[0]?.path;
    const located = (e: GraphQLError) => new GraphQLError(e.message, { path, extensions: e.extensions, originalError: e });
    if (error instanceof DuplicateObjectError) {
      throw located(moError('E_ALREADY_EXISTS', `${KINDS[kind].label} ${error.uuid} already exists.`, 409, { uuid: error.uuid }));
    }
    throw error instanceof GraphQLError ? located(error) : error;
  }
  ctx.forgetLoaded();
}

/** The current slices (active or terminated) of each uuid, locked; an unknown (or deleted) uuid is MO's answer to it. */
async function loadForWrite(ctx: MoContext, kind: KindName, action: 'update' | 'terminate' | 'delete', uuids: readonly string[]): Promise<Map<string, StoredSlice[]>> {
  const found = await loadSlices(ctx.db, kind, [...new Set(uuids)], { forUpdate: true });
  const missing = uuids.find((u) => !found.has(u));
  if (missing) throw notFound(kind, action, missing);
  return found;
}

async function update(ctx: MoContext, kind: KindName, inputs: readonly Input[]): Promise<MoResponse[]> {
  requireTransaction(ctx);
  await ctx.settle();
  const items = inputs.map((input) => updateItem(kind, input));
  const stored = await loadForWrite(ctx, kind, 'update', items.map((i) => i.uuid));
  // Each object once: a bulk list naming one twice is refused before this (see distinctObjects).
  const timelines = new Map<string, Slice[]>();
  const changed: Updated[] = [];
  for (const [i, item] of items.entries()) {
    const input = inputs[i]!;
    const timeline = applyUpdate(stored.get(item.uuid)!, item.validity.from, item.validity.to, item.patch);
    timelines.set(item.uuid, timeline);
    const { from, to } = item.validity;
    changed.push({ uuid: item.uuid, input, from, to, original: stored.get(item.uuid)!, slices: activeSlicesIn(timeline, from, to) });
  }
  await checkUpdates(ctx, kind, changed);
  ctx.rowsWritten += await writeTimelines(
    ctx.db,
    kind,
    [...timelines].map(([uuid, slices]) => ({ uuid, action: 'update', close: stored.get(uuid)!.map((s) => s.id), slices })),
  );
  ctx.forgetLoaded();
  return items.map((item) => new MoResponse(kind, item.uuid));
}

async function terminate(ctx: MoContext, kind: KindName, input: Input): Promise<MoResponse> {
  requireTransaction(ctx);
  await ctx.settle();
  const uuid = input.uuid as string;
  const to = midnightTo(input.to as Instant);
  const from = input.from == null ? null : startOfCopenhagenDay(input.from as Instant);
  if (from !== null && !(from < to)) throw moError('V_END_BEFORE_START', 'End date is before start date.', 400);
  const stored = (await loadForWrite(ctx, kind, 'terminate', [uuid])).get(uuid)!;
  if (kind === 'org_unit') await checkUnitTerminate(ctx, uuid, from, to);
  if (kind === 'ituser') await checkItUserTerminate(ctx, uuid, from, to);
  ctx.rowsWritten += await writeTimelines(ctx.db, kind, [{ uuid, action: 'terminate', close: stored.map((s) => s.id), slices: applyTerminate(stored, from, to) }]);
  ctx.forgetLoaded();
  return new MoResponse(kind, uuid);
}

/** Bitemporal delete: the object leaves every temporal view; its registrations remain. */
async function remove(ctx: MoContext, kind: KindName, uuid: string): Promise<MoResponse> {
  requireTransaction(ctx);
  await ctx.settle();
  const stored = (await loadForWrite(ctx, kind, 'delete', [uuid])).get(uuid)!;
  ctx.rowsWritten += await writeTimelines(ctx.db, kind, [{ uuid, action: 'delete', close: stored.map((s) => s.id), slices: [] }]);
  ctx.forgetLoaded();
  return new MoResponse(kind, uuid);
}

const one = async (pending: Promise<MoResponse[]>): Promise<MoResponse> => (await pending)[0]!;

/**
 * OS2MO 66 runs the inputs of a bulk mutation concurrently (asyncio.gather in mora/graphapi/mutators.py):
 * two for one object race, and the object loses its relations (unit, job function) for good, after which
 * every read of it fails. OS2MO accepts such a list; the local MO refuses it, at the repeated input, so that
 * a client sending one is caught in tests. Inputs without a uuid are distinct new objects.
 */
function distinctObjects(inputs: readonly Input[], info: GraphQLResolveInfo): void {
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    if (typeof input.uuid !== 'string') return;
    const earlier = seen.get(input.uuid);
    if (earlier !== undefined) {
      const description = `${info.fieldName} names ${input.uuid} twice (inputs ${earlier} and ${index}): OS2MO runs the inputs of a bulk mutation concurrently and corrupts an object written twice in one; send such writes as separate mutations.`;
      const context = { error: true, error_key: 'E_INVALID_INPUT', description, status: 400, uuid: input.uuid };
      throw new GraphQLError(description, { path: [...responsePathAsArray(info.path), index], extensions: { error_context: context } });
    }
    seen.set(input.uuid, index);
  });
}

type Operation = 'create' | 'creates' | 'update' | 'updates' | 'terminate' | 'delete';

function resolverFor(kind: KindName, operation: Operation): MutationResolver {
  switch (operation) {
    case 'create':
      return (args, ctx, info) => one(create(ctx, kind, [args.input as Input], info));
    case 'creates':
      return (args, ctx, info) => {
        distinctObjects(args.input as Input[], info);
        return create(ctx, kind, args.input as Input[], info);
      };
    case 'update':
      return (args, ctx) => one(update(ctx, kind, [args.input as Input]));
    case 'updates':
      return (args, ctx, info) => {
        distinctObjects(args.input as Input[], info);
        return update(ctx, kind, args.input as Input[]);
      };
    case 'terminate':
      return (args, ctx) => terminate(ctx, kind, args.input as Input);
    case 'delete':
      return (args, ctx) => remove(ctx, kind, args.uuid as string);
  }
}

/** docs/mo-api-subset.md "Mutations": [mutation name, kind, operation]. */
const TABLE: readonly (readonly [string, KindName, Operation])[] = [
  ['facet_create', 'facet', 'create'],
  ['class_create', 'class', 'create'],
  ['class_update', 'class', 'update'],
  ['itsystem_create', 'itsystem', 'create'],
  ['org_unit_create', 'org_unit', 'create'],
  ['org_unit_update', 'org_unit', 'update'],
  ['org_unit_terminate', 'org_unit', 'terminate'],
  ['employee_create', 'person', 'create'],
  ['employee_update', 'person', 'update'],
  ['engagement_create', 'engagement', 'create'],
  ['engagements_create', 'engagement', 'creates'],
  ['engagement_update', 'engagement', 'update'],
  ['engagements_update', 'engagement', 'updates'],
  ['engagement_terminate', 'engagement', 'terminate'],
  ['engagement_delete', 'engagement', 'delete'],
  ['address_create', 'address', 'create'],
  ['addresses_create', 'address', 'creates'],
  ['address_update', 'address', 'update'],
  ['address_terminate', 'address', 'terminate'],
  ['address_delete', 'address', 'delete'],
  ['manager_create', 'manager', 'create'],
  ['managers_create', 'manager', 'creates'],
  ['manager_update', 'manager', 'update'],
  ['manager_terminate', 'manager', 'terminate'],
  ['ituser_create', 'ituser', 'create'],
  ['itusers_create', 'ituser', 'creates'],
  ['ituser_update', 'ituser', 'update'],
  ['ituser_terminate', 'ituser', 'terminate'],
  ['ituser_delete', 'ituser', 'delete'],
  ['rolebinding_create', 'rolebinding', 'create'],
  ['rolebindings_create', 'rolebinding', 'creates'],
  ['rolebinding_update', 'rolebinding', 'update'],
  ['rolebinding_terminate', 'rolebinding', 'terminate'],
];

export const MUTATIONS: Record<string, MutationResolver> = Object.fromEntries(TABLE.map(([name, kind, op]) => [name, resolverFor(kind, op)]));
