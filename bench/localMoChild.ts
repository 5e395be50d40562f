// The local MO in a child process for benchmarks, as it runs in production: on the embedded PostgreSQL in a
// fresh temporary folder, or on a fresh database of the server --database-url names (dropped afterwards).
// MOFLOW_BENCH_PROFILE=DIR writes a CPU profile of the service there.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchMo {
  /** Base URL (mora.base). */
  url: string;
  graphqlUrl: string;
  location: string;
  /** Vacuums and checkpoints a freshly bulk-loaded database (a municipality's MO is past that), so the clean-up
   * does not land in timed runs. Only on a --database-url server. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const CHILD = new URL(import.meta.url).pathname;

export async function startBenchMo(serverUrl: string | undefined, options: { darBaseUrl?: string } = {}): Promise<BenchMo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'moflow-bench-mo-'));
  chmodSync(dataDir, 0o755); // the embedded server runs as an unprivileged user when we are root
  let databaseUrl: string | null = null;
  if (serverUrl) {
    const base = new URL(serverUrl);
    base.pathname = `/moflow_bench_${randomUUID().slice(0, 8)}`;
    databaseUrl = base.toString();
  }
  const profile = process.env.MOFLOW_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MOFLOW_BENCH_PROFILE}`] : [];
  const child = fork(CHILD, ['--serve', JSON.stringify({ databaseUrl, dataDir, ...options })], { execArgv: ['--import', 'tsx', ...profile] });
  const started = await new Promise<{ url: string; graphqlUrl: string; location: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; graphqlUrl: string; location: string }));
    child.once('exit', (code) => reject(new Error(`the local MO exited (${code})`)));
  });
  return {
    ...started,
    async settle() {
      if (!databaseUrl) return;
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      await db.query('VACUUM (ANALYZE)');
      await db.query('CHECKPOINT');
      await db.end();
    },
    async stop() {
      child.send('stop');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
      if (databaseUrl && serverUrl) {
        const admin = new pg.Client({ connectionString: serverUrl });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(new URL(databaseUrl).pathname.slice(1))} WITH (FORCE)`);
        await admin.end();
      }
    },
  };
}

if (process.argv[2] === '--serve') {
  // Child: the service; argv carries its options as JSON.
  const { startLocalMo } = await import('../src/localmo/service.js');
  const options = JSON.parse(process.argv[3]!) as { databaseUrl: string | null; dataDir: string; darBaseUrl?: string };
  const mo = await startLocalMo({ ...options, port: 0, log: (m) => console.error(`  [service] ${m}`) });
  process.send!({ url: mo.url, graphqlUrl: mo.graphqlUrl, location: mo.dataLocation });
  const stop = async () => {
    await mo.stop();
    process.exit(0);
  };
  process.on('message', stop);
  process.on('disconnect', stop);
}
