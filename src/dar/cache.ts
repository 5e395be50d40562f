// DAR answers kept in PostgreSQL, so a nightly run does not ask DAR again for 20,000 unchanged addresses.
// Keyed by `postalKey` (lower-cased street, trimmed postal code). Hits and misses are both kept with the time
// they were looked up: a miss is asked again after `missTtlDays` (DAR learns new addresses, OPUS data gets
// fixed), a hit after `refreshAfterDays`. Outages are never stored. Addresses are personal data, so an entry
// no run has used for `forgetAfterDays` is deleted.
//
// The tables carry a `dar_` prefix and their own migrations table, so the cache can share a database (the
// one DATABASE_URL names) with other moflow modules.
import type pg from 'pg';
import { runMigrations, type Migration } from '../db/migrations.js';
import { openPostgres, type PostgresHandle } from '../db/postgres.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const DAR_CACHE_MIGRATIONS: readonly Migration[] = [
  {
    id: '001_dar_postal_lookup',
    up: `
      CREATE TABLE dar_postal_lookup (
        key text PRIMARY KEY,
        -- null: DAR has no unique address for the key (a miss)
        dar_uuid uuid,
        -- how it was found ("adresser A"), or why not
        detail text NOT NULL,
        looked_up_at timestamptz NOT NULL,
        last_used timestamptz NOT NULL
      );
      CREATE INDEX dar_postal_lookup_last_used ON dar_postal_lookup (last_used);
    `,
  },
];

export interface CachedAnswer {
  /** null for a miss. */
  uuid: string | null;
  detail: string;
  lookedUpAt: Date;
  /** False once a miss is older than missTtlDays, or a hit older than refreshAfterDays. */
  fresh: boolean;
}

export interface CacheEntry {
  key: string;
  uuid: string | null;
  detail: string;
}

export interface DarCacheOptions {
  /** Days a miss is trusted (default 7). */
  missTtlDays?: number;
  /** Days a hit is trusted before DAR is asked again; null: forever (default 90). */
  refreshAfterDays?: number | null;
  /** Days an entry no run has used is kept (default 180). */
  forgetAfterDays?: number;
  /** The clock (tests move it). */
  now?: () => Date;
}

export interface OpenDarCacheOptions extends DarCacheOptions {
  /** A PostgreSQL URL (its database is shared); null: the embedded server under `<dataDir>/postgres`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Database name on the embedded server (default moflow_dar). */
  database?: string;
  log?: (message: string) => void;
}

export class DarCache {
  private readonly now: () => Date;
  private readonly missTtlMs: number;
  private readonly refreshMs: number | null;
  private readonly forgetMs: number;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly handle: PostgresHandle | null,
    options: DarCacheOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.missTtlMs = (options.missTtlDays ?? 7) * DAY_MS;
    const refresh = options.refreshAfterDays === undefined ? 90 : options.refreshAfterDays;
    this.refreshMs = refresh === null ? null : refresh * DAY_MS;
    this.forgetMs = (options.forgetAfterDays ?? 180) * DAY_MS;
  }

  /** Opens its own pool (closed by `close`), migrates and forgets entries unused for too long. */
  static async open(options: OpenDarCacheOptions): Promise<DarCache> {
    const handle = await openPostgres({
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir,
      database: options.database ?? 'moflow_dar',
      maxConnections: 4,
      ...(options.log ? { log: options.log } : {}),
    });
    try {
      return await DarCache.prepare(handle.pool, handle, options, options.log);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** On a pool someone else owns (and closes). */
  static async onPool(pool: pg.Pool, options: DarCacheOptions & { log?: (message: string) => void } = {}): Promise<DarCache> {
    return DarCache.prepare(pool, null, options, options.log);
  }

  private static async prepare(pool: pg.Pool, handle: PostgresHandle | null, options: DarCacheOptions, log?: (message: string) => void): Promise<DarCache> {
    await runMigrations(pool, DAR_CACHE_MIGRATIONS, { table: 'dar_schema_migrations', ...(log ? { log } : {}) });
    const cache = new DarCache(pool, handle, options);
    await cache.forgetUnused();
    return cache;
  }

  /** Where the cache lives, for people (null when on a borrowed pool). */
  get location(): string | null {
    return this.handle?.location ?? null;
  }

  /** The cached answers for the keys that have one, in one query; marks them used. */
  async read(keys: readonly string[]): Promise<Map<string, CachedAnswer>> {
    const found = new Map<string, CachedAnswer>();
    if (keys.length === 0) return found;
    const now = this.now();
    const { rows } = await this.pool.query<{ key: string; dar_uuid: string | null; detail: string; looked_up_at: Date }>(
      'SELECT key, dar_uuid, detail, looked_up_at FROM dar_postal_lookup WHERE key = ANY($1::text[])',
      [keys],
    );
    for (const row of rows) {
      const age = now.getTime() - row.looked_up_at.getTime();
      const fresh = row.dar_uuid === null ? age < this.missTtlMs : this.refreshMs === null || age < this.refreshMs;
      found.set(row.key, { uuid: row.dar_uuid, detail: row.detail, lookedUpAt: row.looked_up_at, fresh });
    }
    // Marking at most once a day keeps repeated runs from rewriting every row.
    if (rows.length > 0) {
      await this.pool.query('UPDATE dar_postal_lookup SET last_used = $2 WHERE key = ANY($1::text[]) AND last_used < $3', [
        rows.map((r) => r.key),
        now,
        new Date(now.getTime() - DAY_MS),
      ]);
    }
    return found;
  }

  /** Stores answers (hits and misses; never outages) in one statement, replacing older ones. */
  async write(entries: readonly CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One row per key: ON CONFLICT cannot touch a row twice in one statement.
    const unique = [...new Map(entries.map((e) => [e.key, e])).values()];
    const now = this.now();
    await this.pool.query(
      `INSERT INTO dar_postal_lookup (key, dar_uuid, detail, looked_up_at, last_used)
       SELECT k, u, d, $4, $4 FROM unnest($1::text[], $2::uuid[], $3::text[]) AS t(k, u, d)
       ON CONFLICT (key) DO UPDATE SET dar_uuid = EXCLUDED.dar_uuid, detail = EXCLUDED.detail,
         looked_up_at = EXCLUDED.looked_up_at, last_used = EXCLUDED.last_used`,
      [unique.map((e) => e.key), unique.map((e) => e.uuid), unique.map((e) => e.detail), now],
    );
  }

  /** Deletes entries no run has used for forgetAfterDays; returns how many. */
  async forgetUnused(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.forgetMs);
    const result = await this.pool.query('DELETE FROM dar_postal_lookup WHERE last_used < $1', [cutoff]);
    return result.rowCount ?? 0;
  }

  /** Entries in the cache (for reports and tests). */
  async size(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM dar_postal_lookup');
    return Number(rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.handle?.close();
  }
}
