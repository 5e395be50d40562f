// Names of DAR addresses (Danmarks Adresseregister). OS2MO shows a DAR address by its text, looked up in
// DAR by uuid; the local MO asks a DAWA-style service (`GET {base}/adresser/{uuid}?struktur=mini` →
// `betegnelse`, falling back to `adgangsadresser/{uuid}` as MO's DAR client does) and keeps every answer in
// the database, so each address is fetched once. Without a DAR service, callers show the stored value.
import DataLoader from 'dataloader';
import type pg from 'pg';
import { forEachLimited } from '../util/pool.js';
import { run } from './store.js';

const FETCH_TIMEOUT_MS = 10_000;

export interface DarNames {
  /** The address text, or null when unknown (no DAR service, not found, or DAR unreachable). */
  name(uuid: string): Promise<string | null>;
}

export class DarService {
  /** DAR requests made (for tests and the log). */
  requests = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly baseUrl: string | null,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** A per-request view batching look-ups: one cache query per tick. */
  forRequest(): DarNames {
    if (!this.baseUrl) return { name: async () => null };
    const loader = new DataLoader<string, string | null>((uuids) => this.names(uuids));
    return { name: (uuid) => loader.load(uuid.toLowerCase()) };
  }

  private async names(uuids: readonly string[]): Promise<(string | null)[]> {
    // The cache is written outside the request's transaction, so a rolled-back request keeps what it fetched.
    const cached = await run<{ uuid: string; name: string }>(this.pool, `SELECT uuid, name FROM dar_address_name WHERE uuid = ANY($1::uuid[])`, [uuids]);
    const known = new Map(cached.map((r) => [r.uuid, r.name]));
    const missing = uuids.filter((u) => !known.has(u) && /^[0-9a-f-]{36}$/.test(u));
    const fetched: { uuid: string; name: string }[] = [];
    await forEachLimited(missing, 8, async (uuid) => {
      const name = await this.fetchName(uuid);
      if (name) {
        known.set(uuid, name);
        fetched.push({ uuid, name });
      }
    });
    if (fetched.length > 0) {
      await run(
        this.pool,
        `INSERT INTO dar_address_name (uuid, name) SELECT r.uuid, r.name FROM json_to_recordset($1::json) AS r(uuid uuid, name text) ` +
          `ON CONFLICT (uuid) DO UPDATE SET name = EXCLUDED.name, fetched_at = now()`,
        [JSON.stringify(fetched)],
      );
    }
    return uuids.map((u) => known.get(u) ?? null);
  }

  private async fetchName(uuid: string): Promise<string | null> {
    for (const resource of ['adresser', 'adgangsadresser']) {
      this.requests += 1;
      try {
        const response = await fetch(`${this.baseUrl!.replace(/\/+$/, '')}/${resource}/${uuid}?struktur=mini`, {
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
          headers: { accept: 'application/json' },
        });
        if (response.status === 404) continue;
        if (!response.ok) {
          this.log(`DAR answered ${response.status} for an address (${resource}); showing the stored value`);
          return null;
        }
        const body = (await response.json()) as { betegnelse?: unknown };
        return typeof body.betegnelse === 'string' ? body.betegnelse : null;
      } catch (error) {
        this.log(`a DAR look-up failed (${(error as Error).message}); showing the stored value`);
        return null;
      }
    }
    return null;
  }
}
