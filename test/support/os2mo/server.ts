// One OS2MO process: uvicorn with OS2MO's app factory, as OS2MO's image starts it (docker/start.sh), on a
// free loopback port, in its own process group so stopping it stops every worker. AMQP is off (no broker in
// tests); auth is real: bearer tokens checked against the Keycloak stand-in's JWKS.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../../src/util/ports.js';
import { databaseEnv, type Os2moDatabase } from './database.js';
import type { Os2moInstall } from './install.js';

export interface Os2moProcessOptions {
  install: Os2moInstall;
  db: Os2moDatabase;
  /** Port of the Keycloak stand-in (JWKS). */
  keycloakPort: number;
  /** DAR stand-in for OS2MO's DAR client; default a closed port (DAR unreachable, as offline). */
  darBaseUrl?: string | null;
  port?: number;
  /** uvicorn --workers (default 1, as OS2MO's image runs it). */
  workers?: number;
  /** Session uuids with full rights and no token (OS2MO_LEGACY_SESSIONS): for the harness's own set-up only. */
  legacySessions?: string[];
  /** Where uvicorn's output goes. */
  logFile: string;
  /** Keep running after this process exits (the by-hand `npm run os2mo up`). */
  detached?: boolean;
}

export interface Os2moProcess {
  readonly pid: number;
  /** mora.base */
  readonly url: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;

export async function startOs2moProcess(options: Os2moProcessOptions): Promise<Os2moProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...databaseEnv(options.db),
    MOFLOW_OS2MO_HARNESS: '1',
    ENVIRONMENT: 'development',
    AMQP_ENABLE: 'false',
    LORA_AUTH: 'false',
    ENABLE_DAR: 'false',
    KEYCLOAK_SCHEMA: 'http',
    KEYCLOAK_HOST: '127.0.0.1',
    KEYCLOAK_PORT: String(options.keycloakPort),
    KEYCLOAK_VERIFY_AUDIENCE: 'false',
    OS2MO_LEGACY_SESSIONS: JSON.stringify(options.legacySessions ?? []),
    PYTHONUNBUFFERED: '1',
  };
  if (options.darBaseUrl) env.MOFLOW_DAR_BASE_URL = options.darBaseUrl;
  else delete env.MOFLOW_DAR_BASE_URL;
  const log = openSync(options.logFile, 'a');
  const child = spawn(
    options.install.python,
    ['-m', 'uvicorn', '--factory', 'mora.app:create_app', '--host', '127.0.0.1', '--port', String(port), '--timeout-keep-alive', '100', '--workers', String(options.workers ?? 1)],
    { cwd: options.install.srcDir, env, stdio: ['ignore', log, log], detached: true },
  );
  closeSync(log);
  const pid = child.pid!;
  let exited: number | string | null = null;
  child.once('exit', (code, signal) => (exited = code ?? signal ?? 'exit'));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  // A test that dies must not leave OS2MO running.
  const onExit = () => killGroup('SIGKILL');
  if (options.detached) child.unref();
  else process.once('exit', onExit);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited !== null) throw new Error(`OS2MO exited during start-up (${exited}); its log ${options.logFile} ends:\n${tail(options.logFile)}`);
    if (await answers(`${url}/graphql/v30`)) break;
    if (Date.now() > deadline) {
      killGroup('SIGKILL');
      throw new Error(`OS2MO did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s; its log ${options.logFile} ends:\n${tail(options.logFile)}`);
    }
    await sleep(250);
  }
  return {
    pid,
    url,
    async stop() {
      process.removeListener('exit', onExit);
      killGroup('SIGTERM');
      for (let i = 0; i < 40 && exited === null && alive(pid); i++) await sleep(250);
      killGroup('SIGKILL');
    },
  };
}

/** GraphQL answers (401 without a token counts: the app and its database are up). */
async function answers(graphqlUrl: string): Promise<boolean> {
  try {
    const response = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ version { mo_version } }"}', signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status < 500;
  } catch {
    return false;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
