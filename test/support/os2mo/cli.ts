// `npm run os2mo -- up|down|reset|status|prepare [--bare] [--port N] [--workers N] [--dar URL]`: the real OS2MO the
// tests use, started by hand for debugging. It keeps running in the background (its database
// `moflow_os2mo_dev` too) until `down`; `reset` gives it a fresh copy of the template. State lives in
// .os2mo/dev.json (PIDs, URLs, credentials) so `down` finds what `up` started.
import { Command } from 'commander';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { dropDatabase } from './database.js';
import { WRITER, prepareOs2mo, startOs2mo } from './index.js';
import { alive } from './server.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const STATE_DIR = join(REPO, '.os2mo');
const STATE_FILE = join(STATE_DIR, 'dev.json');
const DATABASE = 'moflow_os2mo_dev';

interface DevState {
  os2moPid: number;
  keycloakPid: number;
  url: string;
  authServer: string;
  logFile: string;
  state: 'bare' | 'bootstrapped';
}

const readState = (): DevState | null => {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as DevState;
  } catch {
    return null;
  }
};

function settingsOf(state: DevState): Record<string, string> {
  return { 'mora.base': state.url, 'crontab.AUTH_SERVER': state.authServer, 'crontab.CLIENT_ID': WRITER.clientId, 'crontab.CLIENT_SECRET': WRITER.clientSecret };
}

function describe(state: DevState): string {
  return [
    `OS2MO 66.1.2 (${state.state}) at ${state.url}/graphql/v30 (GraphiQL: ${state.url}/graphql)`,
    `Keycloak stand-in: ${state.authServer} (client ${WRITER.clientId} / ${WRITER.clientSecret})`,
    `OS2MO log: ${state.logFile}`,
    `moflow settings for it: ${join(STATE_DIR, 'settings.json')}  (npx moflow --settings .os2mo/settings.json opus plan …)`,
  ].join('\n');
}

async function down(): Promise<void> {
  const state = readState();
  if (state) {
    for (const pid of [state.os2moPid, state.keycloakPid]) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    for (let i = 0; i < 40 && (alive(state.os2moPid) || alive(state.keycloakPid)); i++) await sleep(250);
    for (const pid of [state.os2moPid, state.keycloakPid]) if (alive(pid)) process.kill(-pid, 'SIGKILL');
  }
  await dropDatabase(DATABASE);
  rmSync(STATE_DIR, { recursive: true, force: true });
  console.log(state ? 'OS2MO stopped; its database dropped' : 'no OS2MO was running (its database is dropped, if there was one)');
}

async function up(options: { bare?: boolean; port?: string; workers?: string; dar?: string }): Promise<void> {
  const running = readState();
  if (running && alive(running.os2moPid)) {
    console.log(`already running (pid ${running.os2moPid}); \`npm run os2mo -- reset\` starts afresh\n${describe(running)}`);
    return;
  }
  await prepareOs2mo((line) => console.log(line));
  // The Keycloak stand-in must outlive this command: it runs as its own background process.
  mkdirSync(STATE_DIR, { recursive: true });
  const keycloakPort = await startKeycloak();
  const mo = await startOs2mo({
    state: options.bare ? 'bare' : 'bootstrapped',
    darBaseUrl: options.dar ?? null,
    ...(options.port ? { port: Number(options.port) } : {}),
    ...(options.workers ? { workers: Number(options.workers) } : {}),
    keycloakPort: keycloakPort.port,
    externalKeycloak: true,
    database: DATABASE,
    keepDatabase: true,
    detached: true,
  });
  const state: DevState = {
    os2moPid: mo.process.pid,
    keycloakPid: keycloakPort.pid,
    url: mo.url,
    authServer: mo.authServer,
    logFile: mo.logFile,
    state: options.bare ? 'bare' : 'bootstrapped',
  };
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
  writeFileSync(join(STATE_DIR, 'settings.json'), JSON.stringify({ 'municipality.name': 'Andeby Kommune', ...settingsOf(state) }, null, 2));
  console.log(describe(state));
}

/** Starts keycloakMain.ts detached and reads the port it prints. */
async function startKeycloak(): Promise<{ pid: number; port: number }> {
  // Its errors go to a file: an inherited stderr would keep the caller's pipe open after `up` returns.
  const log = openSync(join(STATE_DIR, 'keycloak.log'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/support/os2mo/keycloakMain.ts')], { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', log] });
  closeSync(log);
  const port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\d+)/.exec(out);
      if (match) resolvePort(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the Keycloak stand-in exited (${code})`)));
  });
  child.stdout!.destroy();
  child.unref();
  return { pid: child.pid!, port };
}

const program = new Command('os2mo').description('The real OS2MO 66.1.2 the tests use, by hand');
program.command('up').description('install (once), start OS2MO and print its URL and credentials')
  .option('--bare', 'root organisation only (default: OS2MO-Init facets and classes)')
  .option('--port <port>', 'OS2MO port (default: a free one)')
  .option('--workers <n>', 'uvicorn workers (default 1)')
  .option('--dar <url>', "base URL of a DAR stand-in for OS2MO's DAR client")
  .action(up);
program.command('prepare').description('install OS2MO and migrate its template databases, start nothing (CI does this first)')
  .action(async () => {
    const started = Date.now();
    await prepareOs2mo((line) => console.log(line));
    console.log(`OS2MO ready to start (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });
program.command('down').description('stop it and drop its database').action(down);
program.command('reset').description('down, then up with the same options')
  .option('--bare').option('--port <port>').option('--workers <n>').option('--dar <url>')
  .action(async (options) => {
    await down();
    await up(options);
  });
program.command('status').description('print what runs').action(() => {
  const state = readState();
  console.log(state && alive(state.os2moPid) ? describe(state) : 'not running (`npm run os2mo -- up`)');
});
await program.parseAsync();
