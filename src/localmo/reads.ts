// The query root: each collection is one SQL query per page (keyset paging on uuid), returning Responses
// with their current slices preloaded. The cursor is opaque to clients: the last uuid of the page and the
// "now" of the first page, so every page of one listing sees the same present.
import { GraphQLError } from 'graphql';
import type { MoContext } from './context.js';
import { notSupported } from './errors.js';
import { filterConditions, type FilterInput } from './filters.js';
import type { KindName } from './kinds.js';
import { classScope, MoResponse, type Loaded } from './responses.js';
import { pageObjects, SqlParams } from './store.js';
import { dateWindow, type Instant } from './time.js';
import type { Slice } from './timeline.js';

/** Query field → kind. `employees` is MO's deprecated name for `persons`. */
export const COLLECTIONS: Record<string, KindName> = {
  facets: 'facet',
  classes: 'class',
  itsystems: 'itsystem',
  org_units: 'org_unit',
  persons: 'person',
  employees: 'person',
  engagements: 'engagement',
  addresses: 'address',
  managers: 'manager',
  itusers: 'ituser',
  rolebindings: 'rolebinding',
};

interface CollectionArgs {
  filter?: FilterInput | null;
  limit?: number | null;
  cursor?: string | null;
  inherit?: boolean;
}

interface Cursor {
  after: string;
  now: Instant;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ a: cursor.after, n: cursor.now })).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { a?: unknown; n?: unknown };
    if (typeof raw.a === 'string' && typeof raw.n === 'number') return { after: raw.a, now: raw.n };
  } catch {
    // fall through
  }
  throw new GraphQLError('Invalid cursor: pass page_info.next_cursor of the previous page unchanged');
}

/** Class references whose scope a computed field needs (is_primary, an address's name). */
const SCOPED_CLASS_FIELDS: Partial<Record<KindName, string>> = { engagement: 'primary_uuid', address: 'address_type_uuid' };

/** One query for the page's few classes, so those fields then resolve without a promise per object. */
async function prefetchClassScopes(ctx: MoContext, kind: KindName, slices: Map<string, readonly Slice[]>): Promise<void> {
  const field = SCOPED_CLASS_FIELDS[kind];
  if (!field) return;
  const classes = new Set<string>();
  for (const list of slices.values()) for (const slice of list) if (typeof slice.data[field] === 'string') classes.add(slice.data[field] as string);
  await Promise.all([...classes].map((uuid) => classScope(ctx, uuid)));
}

export async function readCollection(kind: KindName, args: CollectionArgs, ctx: MoContext) {
  if (args.inherit) throw notSupported('managers(inherit: true)');
  const cursor = args.cursor ? decodeCursor(args.cursor) : null;
  const now = cursor?.now ?? ctx.now;
  const params = new SqlParams();
  let aliases = 0;
  const conditions = filterConditions(kind, args.filter, 'p', { params, now, alias: () => `f${++aliases}` });
  const f = args.filter ?? {};
  const loaded: Loaded = {
    window: dateWindow('from_date' in f ? (f.from_date as Instant | null) : undefined, 'to_date' in f ? (f.to_date as Instant | null) : undefined, now),
    registrationTime: (f.registration_time as Instant | null | undefined) ?? null,
  };
  const limit = args.limit ?? null;
  const page = await pageObjects(ctx.db, kind, conditions, params, cursor?.after ?? null, limit === null ? null : limit + 1);
  const more = limit !== null && page.uuids.length > limit;
  const uuids = more ? page.uuids.slice(0, limit!) : page.uuids;
  await prefetchClassScopes(ctx, kind, page.slices);
  const last = uuids[uuids.length - 1];
  return {
    objects: uuids.map((uuid) => new MoResponse(kind, uuid, page.slices.get(uuid) ?? [], loaded)),
    page_info: { next_cursor: more && last ? encodeCursor({ after: last, now }) : null },
  };
}
