// `moflow plan2learn export` as an operator runs it: bin/moflow.js in its own process, settings.json, a MO
// (the local MO, and the real OS2MO through Keycloak client credentials, each with the DAR stand-in as its
// DAR) holding the golden municipality, and for --ship a real vsftpd (FTPES) and a real OpenSSH sshd (SFTP).
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
import { SshdServer, sshdSkip } from '../support/sshd.js';
import { moKinds, moSkip, useMo } from '../support/moTargets.js';
import { CPRS, EXPECTED, GOLDEN_VIBORG_SETTINGS, startGoldenDar, writeMoGoldenState } from './moGolden.js';

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
  describe(`moflow plan2learn export (${kind})`, { skip: await moSkip(kind) }, () => {
    // Started before the MO: it is the MO's own DAR.
    let dar: DarServer;
    before(async () => {
      dar = await startGoldenDar();
    });
    const mo = useMo(kind, { darBaseUrl: () => dar.url });
    let dir: string;
    let ftp: VsftpdServer | null = null;
    let sshd: SshdServer | null = null;

    /** settings.json for the golden municipality, plus `extra` keys; returns its path. */
    const settingsFile = (name: string, extra: Record<string, unknown> = {}): string => {
      const path = join(dir, `${name}.json`);
      const settings = {
        ...mo.settings(), // mora.base, and for OS2MO its Keycloak client credentials
        'moflow.data_dir': join(dir, 'data'),
        ...GOLDEN_VIBORG_SETTINGS,
        ...extra,
      };
      writeFileSync(path, JSON.stringify(settings, null, 2));
      return path;
    };
    /** The same shipping checks for both protocols: each server, its settings, and where the files land. */
    const shipping = [
      {
        protocol: 'ftpes',
        skip: vsftpdSkip(),
        server: () => ftp!,
        uploadDir: () => join(ftp!.ftpRoot, 'upload'),
        settings: (password: string): Record<string, unknown> => ({
          'exporters.plan2learn.host': ftp!.host,
          'exporters.plan2learn.port': ftp!.port,
          'exporters.plan2learn.user': ftp!.user,
          'exporters.plan2learn.password': password,
          'exporters.plan2learn.folder': 'upload',
          'exporters.plan2learn.ca_file': join(dir, 'ca.pem'),
          'exporters.plan2learn.timeout_seconds': 5,
        }),
      },
      {
        protocol: 'sftp',
        skip: sshdSkip(),
        server: () => sshd!,
        uploadDir: () => sshd!.uploadDir,
        settings: (password: string): Record<string, unknown> => ({
          'exporters.plan2learn.protocol': 'sftp',
          'exporters.plan2learn.host': sshd!.host,
          'exporters.plan2learn.port': sshd!.port,
          'exporters.plan2learn.user': sshd!.user,
          'exporters.plan2learn.password': password,
          'exporters.plan2learn.folder': sshd!.uploadDir,
          'exporters.plan2learn.sftp_host_key_sha256': sshd!.hostKey.fingerprint,
          'exporters.plan2learn.timeout_seconds': 5,
        }),
      },
    ] as const;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'moflow-plan2learn-cli-'));
      await writeMoGoldenState(mo.client(), dar);
      if (!shipping[0].skip) {
        ftp = await VsftpdServer.create();
        writeFileSync(join(dir, 'ca.pem'), ftp.cert.cert);
      }
      if (!shipping[1].skip) sshd = await SshdServer.create();
    });
    after(async () => {
      await ftp?.dispose();
      await sshd?.dispose();
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

    for (const ship of shipping) {
      it(`--ship uploads the files to the ${ship.protocol.toUpperCase()} server under their final names`, { skip: ship.skip }, async () => {
        const out = join(dir, `shipped-${ship.protocol}`);
        const password = ship.server().password;
        const ran = await moflow(['--settings', settingsFile(`ship-${ship.protocol}`, ship.settings(password)), 'plan2learn', 'export', '--ship', '--out', out]);
        assert.equal(ran.code, 0, ran.stderr);
        assert.equal(ran.stdout, `${out}\n`, 'only the output folder on stdout');
        const upload = ship.uploadDir();
        assert.deepEqual(readdirSync(upload).sort(), [...NAMES].sort(), 'exactly the five files, no temp files');
        for (const name of NAMES) assert.equal(readFileSync(join(upload, name), 'utf8'), EXPECTED.Viborg[name], name);
        assert.match(ran.stderr, new RegExp(`shipping 5 files to ${ship.protocol}://`));
        assert.match(ran.stderr, /shipped 5 files to Plan2Learn/);
        assert.ok(!ran.stderr.includes(password), 'the password is never logged');
      });

      it(`a refused ${ship.protocol.toUpperCase()} shipment fails the run (exit 1); the files stay in the output folder`, { skip: ship.skip }, async () => {
        const out = join(dir, `refused-${ship.protocol}`);
        const ran = await moflow(['--settings', settingsFile(`refused-${ship.protocol}`, ship.settings('wrong-password')), 'plan2learn', 'export', '--ship', '--out', out]);
        assert.equal(ran.code, 1, ran.stderr);
        assert.match(ran.stderr, /refused the login of user .*The files are in the output folder; fix the cause and run the export with --ship again/);
        assert.ok(!ran.stderr.includes('wrong-password'), 'the password is never logged');
        assert.deepEqual(readdirSync(out).sort(), [...NAMES, 'manifest.json'].sort());
      });
    }

    it('--ship holds a shipment that would shrink a file past max_shrink_share (exit 3, file and rows named, nothing replaced); --approve-shrink or a larger share ships it', { skip: shipping[0].skip }, async () => {
      const upload = shipping[0].uploadDir();
      const settings = (extra: Record<string, unknown> = {}) => settingsFile('guard', { ...shipping[0].settings(ftp!.password), ...extra });
      // The server holds an engagement.csv of 10 rows; the export has 5 (-50%).
      const bigger = EXPECTED.Viborg['engagement.csv']! + Array.from({ length: 5 }, (_, i) => `"extra-${i}";"";"";"1";"";"0";"";""\r\n`).join('');
      writeFileSync(join(upload, 'engagement.csv'), bigger);
      const out = join(dir, 'held');
      const held = await moflow(['--settings', settings(), 'plan2learn', 'export', '--ship', '--out', out]);
      assert.equal(held.code, 3, held.stderr);
      assert.equal(held.stdout, `${out}\n`);
      assert.match(held.stderr, /held the shipment: engagement\.csv 10 → 5 rows \(-50\.0%\): more than exporters\.plan2learn\.max_shrink_share \(10\.0%\).* Nothing was shipped; the new files are in .*--ship --approve-shrink/);
      assert.equal(readFileSync(join(upload, 'engagement.csv'), 'utf8'), bigger, 'nothing replaced');
      assert.equal(readFileSync(join(out, 'engagement.csv'), 'utf8'), EXPECTED.Viborg['engagement.csv'], 'the new files are written');

      const approved = await moflow(['--settings', settings(), 'plan2learn', 'export', '--ship', '--approve-shrink', '--out', out]);
      assert.equal(approved.code, 0, approved.stderr);
      for (const name of NAMES) assert.equal(readFileSync(join(upload, name), 'utf8'), EXPECTED.Viborg[name], name);

      writeFileSync(join(upload, 'engagement.csv'), bigger);
      const generous = await moflow(['--settings', settings({ 'exporters.plan2learn.max_shrink_share': 0.5 }), 'plan2learn', 'export', '--ship', '--out', out]);
      assert.equal(generous.code, 0, generous.stderr);
      assert.equal(readFileSync(join(upload, 'engagement.csv'), 'utf8'), EXPECTED.Viborg['engagement.csv'], '-50% is within a share of 0.5');
    });

    it('an SFTP server showing another host key fails the run (exit 1), naming the key seen and the setting', { skip: shipping[1].skip }, async () => {
      const out = join(dir, 'hostkey');
      const settings = { ...shipping[1].settings(sshd!.password), 'exporters.plan2learn.sftp_host_key_sha256': 'SHA256:PFRFxulDgGCz3H8GqjNnKE8jW7ZxX8olBWUtqNDCkNs' };
      const ran = await moflow(['--settings', settingsFile('hostkey', settings), 'plan2learn', 'export', '--ship', '--out', out]);
      assert.equal(ran.code, 1, ran.stderr);
      assert.ok(ran.stderr.includes(`showed the host key ssh-ed25519 ${sshd!.hostKey.fingerprint}, which is not the configured one`), ran.stderr);
      assert.ok(ran.stderr.includes(`put "${sshd!.hostKey.fingerprint}" in exporters.plan2learn.sftp_host_key_sha256`), ran.stderr);
      assert.deepEqual(readdirSync(sshd!.uploadDir).sort(), [...NAMES].sort(), 'nothing changed on the server');
    });
  });
}
