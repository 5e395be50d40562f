// Autovacuum's ANALYZE for an OS2MO test database. CI's PostgreSQL runs with autovacuum off
// (/etc/postgresql/*/main/conf.d/90-ci.conf), so a database filled by an import is never analysed; OS2MO's
// LoRa queries (a `user_keys` filter on engagements, managers or rolebindings joins four tables) are then
// planned on empty statistics and took over 300 s on ~2,300 engagements, hitting OS2MO's statement
// timeout, where the same read after an ANALYZE took under a second. Production OS2MO runs on a PostgreSQL
// with autovacuum; this loop applies autovacuum's rule (analyse a table once more than 50 rows + 10 % of
// it changed since its last analysis) every few seconds while the instance runs.
import pg from 'pg';
import { adminUrl } from '../postgres.js';

export interface AutoAnalyze {
  stop(): Promise<void>;
}

export function startAutoAnalyze(database: string, intervalMs = 3_000): AutoAnalyze {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const connected = client.connect().catch(() => (stopped = true));

  const round = async () => {
    await connected;
    if (stopped) return;
    try {
      const { rows } = await client.query<{ name: string }>(
        `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
          WHERE n_mod_since_analyze > 50 + 0.1 * greatest(n_live_tup, 0)`,
      );
      for (const { name } of rows) {
        if (stopped) return;
        await client.query(`ANALYZE ${name}`);
      }
    } catch {
      // The database is being dropped, or a table went away meanwhile: the next round looks again.
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await client.end().catch(() => {});
    },
  };
}
