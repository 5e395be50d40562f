// `moflow plan2learn export` as an operator runs it: bin/moflow.js in its own process, settings.json, a MO
// (the local MO, and the real OS2MO through Keycloak client credentials, each with the DAR stand-in as its
// DAR) holding the golden municipality, and for --ship a real vsftpd.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/temporal/binary.js';
import type { DarServer } from '../support/darServer.js';
import { VsftpdServer, vsftpdSkip } from '../support/ftps.js';
import { moKinds, moSkip, useMo } from '../support/moTargets.js';
import { AT_EMAIL_WORK, AT_MOBILE, AT_PHONE_WORK, CPRS, ET_MAANED, ET_TIME, EXPECTED, startGoldenDar, U_ROOT, writeMoGoldenState } from './moGolden.js';

const NAMES = ['bruger.csv', 'organisation.csv', 'engagement.csv', 'stillingskode.csv', 'leder.csv'];

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/moflow.js with only PATH from this environment (no MOFLOW_SETTINGS, DATABASE_URL, …). */
function moflow(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'moflow.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      if (process.env.SHOW_OUTPUT) console.log(`$ moflow ${args.join(' ')}\n${stderr}${stdout}exit ${code}`);
      resolve({ code, stdout, stderr });
    }),
  );
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const kind of moKinds()) {
  describe(`moflow plan2learn export (${kind})`, { skip: (await moSkip(kind)) || vsftpdSkip() }, () => {
    // Started before the MO: it is the MO's own DAR.
    let dar: DarServer;
    before(async () => {
      dar = await startGoldenDar();
    });
    const mo = useMo(kind, { darBaseUrl: () => dar.url });
    let dir: string;
    let ftp: VsftpdServer;

    /** settings.json for the golden municipality, plus `extra` keys; returns its path. */
    const settingsFile = (name: string, extra: Record<string, unknown> = {}): string => {
      const path = join(dir, `${name}.json`);
      const settings = {
        ...mo.settings(), // mora.base, and for OS2MO its Keycloak client credentials
        'moflow.data_dir': join(dir, 'data'),
        'exporters.plan2learn.variant': 'Viborg',
        'exporters.plan2learn.root_unit': U_ROOT,
        'exporters.plan2learn.allowed_engagement_types': [ET_MAANED, ET_TIME],
        'plan2learn.phone.priority': [AT_MOBILE, AT_PHONE_WORK],
        'plan2learn.email.priority': [AT_EMAIL_WORK],
        'integrations.SD_Lon.import.too_deep': ['NY1-niveau'],
        ...extra,
      };
      writeFileSync(path, JSON.stringify(settings, null, 2));
      return path;
    };
    const ftpSettings = (password: string) => ({
      'exporters.plan2learn.host': ftp.host,
      'exporters.plan2learn.port': ftp.port,
      'exporters.plan2learn.user': ftp.user,
      'exporters.plan2learn.password': password,
      'exporters.plan2learn.folder': 'upload',
      'exporters.plan2learn.ca_file': join(dir, 'ca.pem'),
      'exporters.plan2learn.timeout_seconds': 5,
    });

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'moflow-plan2learn-cli-'));
      await writeMoGoldenState(mo.client(), dar);
      ftp = await VsftpdServer.create();
      writeFileSync(join(dir, 'ca.pem'), ftp.cert.cert);
    });
    after(async () => {
      await ftp?.dispose();
      await dar?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('--out DIR: the five files and manifest.json; export only without FTP settings; progress on stderr without CPRs', async () => {
      const out = join(dir, 'out');
      const ran = await moflow(['--settings', settingsFile('viborg'), 'plan2learn', 'export', '--out', out]);
      assert.equal(ran.code, 0, ran.stderr);
      assert.equal(ran.stdout, `${out}\n`);
      assert.deepEqual(readdirSync(out).sort(), [...NAMES, 'manifest.json'].sort(), 'no temp files left');
      for (const name of NAMES) assert.equal(readFileSync(join(out, name), 'utf8'), EXPECTED.Viborg[name], name);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { variant: string; files: { name: string; rows: number; sha256: string }[] };
      assert.equal(manifest.variant, 'Viborg');
      assert.deepEqual(manifest.files.map((f) => [f.name, f.rows]), [['bruger.csv', 6], ['organisation.csv', 4], ['engagement.csv', 5], ['stillingskode.csv', 2], ['leder.csv', 3]]);
      for (const f of manifest.files) assert.equal(f.sha256, sha256(readFileSync(join(out, f.name))), f.name);
      assert.match(ran.stderr, /reading OS2MO as on \d{4}-\d{2}-\d{2} \(Viborg variant/);
      assert.match(ran.stderr, /read .*10 persons.* in \d/);
      assert.match(ran.stderr, /wrote bruger\.csv \(6 rows\)/);
      assert.match(ran.stderr, /export only: no Plan2Learn FTP server is configured/);
      for (const cpr of CPRS) assert.ok(!ran.stderr.includes(cpr.slice(0, 6)), 'no CPR number in the log');
    });

    it('writes to plan2learn/ in the data folder by default; the variant may come from PLAN2LEARN_VARIANT', async () => {
      const ran = await moflow(['--settings', settingsFile('rsd'), 'plan2learn', 'export'], { PLAN2LEARN_VARIANT: 'RSD' });
      assert.equal(ran.code, 0, ran.stderr);
      const out = join(dir, 'data', 'plan2learn');
      assert.equal(ran.stdout, `${out}\n`);
      for (const name of NAMES) assert.equal(readFileSync(join(out, name), 'utf8'), EXPECTED.RSD[name], name);
    });

    it('--ship without FTP settings is a settings error before MO is read (exit 2)', async () => {
      const out = join(dir, 'not-written');
      const ran = await moflow(['--settings', settingsFile('noftp'), 'plan2learn', 'export', '--ship', '--out', out]);
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, /--ship needs the Plan2Learn FTP server: exporters\.plan2learn\.host, exporters\.plan2learn\.user and exporters\.plan2learn\.password are not set\. Fix: .*or run without --ship/);
      assert.equal(existsSync(out), false);
    });

    it('data the export cannot use fails it (exit 1) with the object and what to do, and writes nothing', async () => {
      const out = join(dir, 'bad-root');
      const missing = '99999999-0000-4000-8000-000000000001';
      const ran = await moflow(['--settings', settingsFile('badroot', { 'exporters.plan2learn.root_unit': missing }), 'plan2learn', 'export', '--out', out]);
      assert.equal(ran.code, 1, ran.stderr);
      assert.match(ran.stderr, new RegExp(`moflow plan2learn export failed: inconsistent MO data .*org_unit ${missing} is the configured root unit .*Fix: correct that object in OS2MO`));
      assert.equal(existsSync(out), false);
    });

    it('--ship uploads the files to the FTPES server under their final names', async () => {
      const out = join(dir, 'shipped');
      const ran = await moflow(['--settings', settingsFile('ship', ftpSettings(ftp.password)), 'plan2learn', 'export', '--ship', '--out', out]);
      assert.equal(ran.code, 0, ran.stderr);
      const upload = join(ftp.ftpRoot, 'upload');
      assert.deepEqual(readdirSync(upload).sort(), [...NAMES].sort(), 'exactly the five files, no temp files');
      for (const name of NAMES) assert.equal(readFileSync(join(upload, name), 'utf8'), EXPECTED.Viborg[name], name);
      assert.match(ran.stderr, /shipped 5 files to Plan2Learn/);
      assert.ok(!ran.stderr.includes(ftp.password), 'the password is never logged');
    });

    it('a refused shipment fails the run (exit 1); the files stay in the output folder', async () => {
      const out = join(dir, 'refused');
      const ran = await moflow(['--settings', settingsFile('refused', ftpSettings('wrong-password')), 'plan2learn', 'export', '--ship', '--out', out]);
      assert.equal(ran.code, 1, ran.stderr);
      assert.match(ran.stderr, /refused the login of user .*The files are in the output folder; fix the cause and run the export with --ship again/);
      assert.ok(!ran.stderr.includes('wrong-password'), 'the password is never logged');
      assert.deepEqual(readdirSync(out).sort(), [...NAMES, 'manifest.json'].sort());
    });
  });
}
