// A secret planted in settings.json (and in the environment) appears in no output of the paths that print
// settings or talk to the servers they are for: config show, settings errors next to and on the secret,
// opus plan and plan2learn export --ship with Keycloak refusing the client, and no file in the data folder.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const SECRETS = {
  'crontab.CLIENT_SECRET': 'PLANTED-keycloak-secret-7f3a',
  'exporters.plan2learn.password': 'PLANTED-ftp-password-91c2',
  'moflow.mo.auth.client_secret': 'PLANTED-local-mo-secret-0b6e',
  'moflow.temporal.api_key': 'PLANTED-temporal-key-c4e9',
  'moflow.mo.database_url': 'postgres://mo:PLANTED-db-password-aa17@127.0.0.1:1/mo',
};
const ENV_SECRET = 'PLANTED-env-secret-3d8b';

interface Ran {
  what: string;
  code: number;
  out: string;
}

function moflow(what: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/moflow.js', ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, MOFLOW_SETTINGS: '', DATABASE_URL: '', ...env } }, (error, stdout, stderr) =>
      resolve({ what, code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secrets in settings are never printed or written', () => {
  let dir = '';
  let keycloak: Server;
  const tokenBodies: string[] = [];
  const runs: Ran[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'moflow-secrets-'));
    mkdirSync(join(dir, 'dumps'));
    copyFileSync(join(ROOT, 'test/fixtures/opus/ZLPE20200101_delta.xml'), join(dir, 'dumps', 'ZLPE20200101_delta.xml'));
    // Keycloak refusing the client, as it does for a wrong secret.
    keycloak = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        tokenBodies.push(body);
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized_client', error_description: 'Invalid client secret' }));
      });
    });
    await new Promise<void>((resolve) => keycloak.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(keycloak.address() as AddressInfo).port}`;
    const settings = {
      'municipality.name': 'Andeby',
      'integrations.opus.import.xml_path': join(dir, 'dumps'),
      'mora.base': base,
      'crontab.CLIENT_ID': 'dipex',
      'crontab.AUTH_SERVER': `${base}/auth`,
      'exporters.plan2learn.host': '127.0.0.1',
      'exporters.plan2learn.user': 'p2l',
      'exporters.plan2learn.variant': 'Viborg',
      'exporters.plan2learn.root_unit': '11111111-1111-1111-1111-111111111111',
      'exporters.plan2learn.allowed_engagement_types': ['22222222-2222-2222-2222-222222222222'],
      'moflow.mo.auth.client_id': 'moflow',
      'moflow.data_dir': join(dir, 'data'),
      'moflow.dar.enabled': false,
      ...SECRETS,
    };
    const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    const good = file('settings.json', JSON.stringify(settings, null, 2));
    // An invalid value beside the secrets, and a secret that is itself invalid (a number for a password).
    const invalid = file('invalid.json', JSON.stringify({ ...settings, 'moflow.mo.batch_size': 'many', 'exporters.plan2learn.password': 12345678 }));
    // A syntax error right after a secret: the message must point at the place, not quote it.
    const broken = file('broken.json', JSON.stringify(settings, null, 2).replace(`"${SECRETS['exporters.plan2learn.password']}"`, `"${SECRETS['exporters.plan2learn.password']}" oops`));
    runs.push(
      await moflow('config show', ['--settings', good, 'config', 'show'], { INTEGRATIONS_OPUS_SMB_PASSWORD: ENV_SECRET }),
      await moflow('invalid values', ['--settings', invalid, 'config', 'show']),
      await moflow('syntax error', ['--settings', broken, 'config', 'show']),
      await moflow('opus plan, Keycloak refuses', ['--settings', good, 'opus', 'plan']),
      await moflow('plan2learn export --ship, Keycloak refuses', ['--settings', good, 'plan2learn', 'export', '--ship']),
    );
  });
  after(() => {
    keycloak.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each path ran and failed or showed as expected', () => {
    const by = Object.fromEntries(runs.map((r) => [r.what, r]));
    assert.equal(by['config show']!.code, 0, by['config show']!.out);
    assert.match(by['config show']!.out, /^crontab\.CLIENT_SECRET = \*+ \(set, hidden\)/m);
    assert.match(by['config show']!.out, /^integrations\.opus\.smb_password = \*+ \(set, hidden\)\s+\[environment variable INTEGRATIONS_OPUS_SMB_PASSWORD\]/m);
    assert.match(by['invalid values']!.out, /moflow\.mo\.batch_size = "many"/);
    assert.match(by['invalid values']!.out, /exporters\.plan2learn\.password = \(hidden\)/);
    assert.match(by['syntax error']!.out, /is not valid JSON: .* at line \d+, column \d+/);
    for (const r of runs.slice(3)) assert.match(r.out, /Keycloak refused the client credentials/, `${r.what}: ${r.out}`);
    assert.ok(tokenBodies.some((b) => b.includes(SECRETS['crontab.CLIENT_SECRET'])), 'the secret was planted and sent where it belongs');
  });

  it('no secret appears in any output', () => {
    for (const r of runs) {
      for (const secret of [...Object.values(SECRETS), ENV_SECRET, '12345678', 'PLANTED']) {
        assert.ok(!r.out.includes(secret), `${r.what} printed ${secret}:\n${r.out}`);
      }
    }
  });

  it('no secret appears in any file moflow wrote to its data folder', () => {
    // These paths stop before they write (MO is probed first); test/temporal/lifecycle.test.ts greps a data
    // folder full of runs (Temporal's database, logs, reports, exports) for a planted password.
    const files = existsSync(join(dir, 'data')) ? filesUnder(join(dir, 'data')) : [];
    for (const path of files) assert.ok(!readFileSync(path, 'utf8').includes('PLANTED'), `${path} holds a secret`);
  });
});
