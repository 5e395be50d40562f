// Bitemporal storage. mo_slice holds validity slices with a transaction-time period [reg_from, reg_to): a
// write closes the object's current rows (reg_to = now()) and inserts its new slices, so every earlier state
// stays readable with `registration_time`; mo_registration is the append-only log of writes and mo_object
// the identity of every object ever created. Each write is one statement (json_to_recordset for many rows);
// reads of current state use partial indexes on reg_to = 'infinity'.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { INDEXED_COLUMNS, indexedColumns, type Data, type KindName } from './kinds.js';
import { toSqlTimestamp, type Instant } from './time.js';
import type { Slice } from './timeline.js';

export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface StoredSlice extends Slice {
  /** mo_slice.id (bigint as text). */
  id: string;
}

/** Positional parameters for a statement built piece by piece. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const statementNames = new Map<string, string>();

/** Runs a statement as a named prepared statement (parsed and planned once per connection). */
export async function run<R extends pg.QueryResultRow>(db: Queryable, text: string, values: unknown[]): Promise<R[]> {
  let name = statementNames.get(text);
  if (!name) {
    name = `mo_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  const result = await db.query<R>({ name, text, values });
  return result.rows;
}

/** The transaction-time predicate: the current rows, or the rows registered at `registrationTime`. */
export function registeredAt(alias: string, registrationTime: Instant | null, params: SqlParams): string {
  if (registrationTime === null) return `${alias}.reg_to = 'infinity'`;
  const at = params.add(toSqlTimestamp(registrationTime));
  return `${alias}.reg_from <= ${at} AND ${alias}.reg_to > ${at}`;
}

interface SliceRow {
  id: string;
  uuid: string;
  valid_from: Instant;
  valid_to: Instant;
  active: boolean;
  data: Data;
}

export interface LoadOptions {
  /** null: as registered now. */
  registrationTime?: Instant | null;
  /** Only active slices (reads); writes need the terminated ones too. */
  activeOnly?: boolean;
  /** Lock the rows for a read-modify-write in this transaction. */
  forUpdate?: boolean;
}

/** The slices of each object, oldest first; objects without any are absent from the map. */
export async function loadSlices(db: Queryable, kind: KindName, uuids: readonly string[], options: LoadOptions = {}): Promise<Map<string, StoredSlice[]>> {
  const params = new SqlParams();
  const k = params.add(kind);
  const ids = params.add(uuids);
  const text =
    `SELECT s.id, s.uuid, s.valid_from, s.valid_to, s.active, s.data FROM mo_slice s ` +
    `WHERE s.kind = ${k} AND s.uuid = ANY(${ids}::uuid[]) AND ${registeredAt('s', options.registrationTime ?? null, params)}` +
    `${options.activeOnly ? ' AND s.active' : ''} ORDER BY s.uuid, s.valid_from${options.forUpdate ? ' FOR UPDATE' : ''}`;
  return groupSlices(await run<SliceRow>(db, text, params.values));
}

export function groupSlices(rows: readonly SliceRow[]): Map<string, StoredSlice[]> {
  const out = new Map<string, StoredSlice[]>();
  for (const row of rows) {
    let list = out.get(row.uuid);
    if (!list) out.set(row.uuid, (list = []));
    list.push({ id: row.id, from: row.valid_from, to: row.valid_to, active: row.active, data: row.data });
  }
  return out;
}

export interface PageResult {
  uuids: string[];
  slices: Map<string, StoredSlice[]>;
}

/**
 * One page of a collection in a single query: the uuids (ascending, after `after`) with a slice matching
 * `conditions` (on alias p), and the current active slices of each.
 */
export async function pageObjects(
  db: Queryable,
  kind: KindName,
  conditions: readonly string[],
  params: SqlParams,
  after: string | null,
  limit: number | null,
): Promise<PageResult> {
  const k = params.add(kind);
  const where = [`p.kind = ${k}`, ...conditions];
  if (after) where.push(`p.uuid > ${params.add(after)}::uuid`);
  const text =
    `WITH page AS (SELECT p.uuid FROM mo_slice p WHERE ${where.join(' AND ')} GROUP BY p.uuid ORDER BY p.uuid` +
    `${limit === null ? '' : ` LIMIT ${params.add(limit)}`}) ` +
    // LATERAL with OFFSET 0 (not flattened into a join): each page uuid probes the (kind, uuid) index, so
    // a page costs the same at any table size; a join is planned as a scan of the whole kind.
    `SELECT page.uuid, s.id, s.valid_from, s.valid_to, s.active, s.data FROM page LEFT JOIN LATERAL ` +
    `(SELECT * FROM mo_slice s WHERE s.kind = ${k} AND s.uuid = page.uuid AND s.reg_to = 'infinity' AND s.active OFFSET 0) s ON true ` +
    `ORDER BY page.uuid, s.valid_from`;
  const rows = await run<SliceRow & { id: string | null }>(db, text, params.values);
  const uuids: string[] = [];
  for (const row of rows) if (uuids[uuids.length - 1] !== row.uuid) uuids.push(row.uuid);
  return { uuids, slices: groupSlices(rows.filter((r) => r.id !== null)) };
}

export type WriteAction = 'create' | 'update' | 'terminate' | 'delete';

export interface TimelineWrite {
  uuid: string;
  action: WriteAction;
  /** mo_slice ids this write supersedes. */
  close: readonly string[];
  /** The object's new slices (none for a delete). */
  slices: readonly Slice[];
}

const INSERT_COLUMNS = ['uuid', 'valid_from', 'valid_to', 'active', 'user_key', ...INDEXED_COLUMNS, 'data'];
const RECORD_TYPES = `uuid uuid, valid_from timestamptz, valid_to timestamptz, active boolean, user_key text, ${INDEXED_COLUMNS.map(
  (c) => `${c} ${c === 'cpr' ? 'text' : 'uuid'}`,
).join(', ')}, data jsonb`;
// A create of a uuid the kind already has replaces the object (OS2MO puts the whole object again): its
// current rows are closed like an update's.
const WRITE_SQL =
  `WITH closed AS (UPDATE mo_slice SET reg_to = now() WHERE id = ANY($2::bigint[])), ` +
  `replaced AS (UPDATE mo_slice SET reg_to = now() WHERE kind = $1 AND uuid = ANY($3::uuid[]) AND reg_to = 'infinity'), ` +
  `created AS (INSERT INTO mo_object (uuid, kind) SELECT u, $1 FROM unnest($3::uuid[]) u ON CONFLICT DO NOTHING), ` +
  `registered AS (INSERT INTO mo_registration (kind, uuid, action) SELECT $1, r.uuid, r.action FROM json_to_recordset($4::json) AS r(uuid uuid, action text)) ` +
  `INSERT INTO mo_slice (kind, ${INSERT_COLUMNS.join(', ')}) SELECT $1, ${INSERT_COLUMNS.map((c) => `s.${c}`).join(', ')} ` +
  `FROM json_to_recordset($5::json) AS s(${RECORD_TYPES})`;

/**
 * Applies many writes of one kind in one statement; a create of an existing uuid replaces that object.
 * Returns the number of rows touched.
 */
export async function writeTimelines(db: Queryable, kind: KindName, writes: readonly TimelineWrite[]): Promise<number> {
  if (writes.length === 0) return 0;
  const close: string[] = [];
  const created: string[] = [];
  const registrations: { uuid: string; action: WriteAction }[] = [];
  const rows: Record<string, unknown>[] = [];
  for (const write of writes) {
    close.push(...write.close);
    if (write.action === 'create') created.push(write.uuid);
    registrations.push({ uuid: write.uuid, action: write.action });
    for (const slice of write.slices) {
      const userKey = slice.data.user_key;
      rows.push({
        uuid: write.uuid,
        valid_from: toSqlTimestamp(slice.from),
        valid_to: toSqlTimestamp(slice.to),
        active: slice.active,
        user_key: typeof userKey === 'string' ? userKey : write.uuid,
        ...indexedColumns(slice.data),
        data: slice.data,
      });
    }
  }
  try {
    await run(db, WRITE_SQL, [kind, close, created, JSON.stringify(registrations), JSON.stringify(rows)]);
  } catch (error) {
    const pgError = error as { code?: string; constraint?: string; detail?: string };
    if (pgError.code === '23505' && pgError.constraint === 'mo_object_pkey') {
      const uuid = /\(([0-9a-f-]{36}), /.exec(pgError.detail ?? '')?.[1] ?? '(unknown)';
      throw new DuplicateObjectError(uuid);
    }
    throw error;
  }
  return rows.length + close.length;
}

export class DuplicateObjectError extends Error {
  constructor(readonly uuid: string) {
    super(`an object with uuid ${uuid} already exists`);
  }
}

/** Which of these uuids exist as objects of the kind (created at some time, deleted or not). */
export async function existingObjects(db: Queryable, kind: KindName, uuids: readonly string[]): Promise<Set<string>> {
  if (uuids.length === 0) return new Set();
  const rows = await run<{ uuid: string }>(db, `SELECT uuid FROM mo_object WHERE kind = $1 AND uuid = ANY($2::uuid[])`, [kind, uuids]);
  return new Set(rows.map((r) => r.uuid));
}

/**
 * Keeps the planner's statistics fresh while a bulk import grows the tables: after enough rows changed, an
 * ANALYZE runs in the background (autovacuum would wait up to a minute; a bulk-loaded table planned with
 * the statistics of an empty one picks the wrong index for every later statement).
 */
export class StatisticsKeeper {
  private changed = 0;
  private analyzedRows = 0;
  private running = false;

  constructor(
    private readonly db: Queryable,
    private readonly log: (message: string) => void = () => {},
  ) {}

  noteChanges(rows: number): void {
    this.changed += rows;
    if (this.running || this.changed < Math.max(2_000, this.analyzedRows * 0.25)) return;
    this.running = true;
    const rowsAtStart = this.analyzedRows + this.changed;
    this.changed = 0;
    this.db
      .query('ANALYZE mo_slice, mo_object')
      .then(() => {
        this.analyzedRows = rowsAtStart;
      })
      .catch((error: Error) => this.log(`ANALYZE failed: ${error.message}`))
      .finally(() => {
        this.running = false;
      });
  }
}
