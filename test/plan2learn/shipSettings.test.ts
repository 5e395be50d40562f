// The FTPES or SFTP target from the settings: none of host/user/password = export only; some of them = a
// mistake named; the rest defaults as DIPEX (port 21) with the certificate verified, or for SFTP port 22 with
// the host key to check; a key of the other protocol is named as a mistake.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSettings } from '../../src/config/load.js';
import { shipTargetFromSettings } from '../../src/plan2learn/shipSettings.js';
import { problemsOf } from '../support/configProblems.js';

const dir = mkdtempSync(join(tmpdir(), 'moflow-ship-settings-'));
const settings = (values: Record<string, unknown>, env: Record<string, string> = {}) => {
  const path = join(dir, 'settings.json');
  writeFileSync(path, JSON.stringify(values));
  return loadSettings({ settingsPath: path, env });
};
const DIPEX = { 'exporters.plan2learn.host': 'ftp.plan2learn.dk', 'exporters.plan2learn.user': 'kommune', 'exporters.plan2learn.password': 's3cret' };

describe('the Plan2Learn FTPES or SFTP target from the settings', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is null without host, user and password: export only', () => {
    assert.equal(shipTargetFromSettings(settings({})), null);
  });

  it("takes DIPEX's three keys, port 21, the login folder and verified certificates by default", () => {
    assert.deepEqual(shipTargetFromSettings(settings(DIPEX)), {
      host: 'ftp.plan2learn.dk',
      port: 21,
      user: 'kommune',
      password: 's3cret',
      folder: null,
      ca: null,
      rejectUnauthorized: true,
    });
  });

  it('reads the Kubernetes variables, the folder, the CA file and the TLS options', () => {
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    const target = shipTargetFromSettings(
      settings(
        { 'exporters.plan2learn.folder': 'ind', 'exporters.plan2learn.ca_file': join(dir, 'ca.pem'), 'exporters.plan2learn.verify_certificate': false, 'exporters.plan2learn.servername': 'ftp.example.dk', 'exporters.plan2learn.timeout_seconds': 10 },
        { PLAN2LEARN_FTPES__HOSTNAME: '10.0.0.9', PLAN2LEARN_FTPES__PORT: '2121', PLAN2LEARN_FTPES__USERNAME: 'k', PLAN2LEARN_FTPES__PASSWORD: 'p' },
      ),
    );
    assert.deepEqual(target, { host: '10.0.0.9', port: 2121, user: 'k', password: 'p', folder: 'ind', ca: 'PEM', rejectUnauthorized: false, servername: 'ftp.example.dk', timeoutMs: 10_000 });
  });

  it('names the missing keys when only some are set, and a CA file that cannot be read', () => {
    const problems = problemsOf(() => shipTargetFromSettings(settings({ 'exporters.plan2learn.host': 'ftp.plan2learn.dk', 'exporters.plan2learn.ca_file': join(dir, 'missing.pem') })));
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /^exporters\.plan2learn\.user is not set, but the other Plan2Learn FTP settings are\. Fix: .*or remove .* to only write the files\./);
    assert.match(problems[1]!, /^exporters\.plan2learn\.password is not set/);
    assert.match(problems[2]!, /exporters\.plan2learn\.ca_file = ".*missing\.pem" cannot be read/);
    assert.ok(!problems.join('\n').includes('s3cret'));
  });

  describe('with exporters.plan2learn.protocol "sftp"', () => {
    const SFTP = { 'exporters.plan2learn.protocol': 'sftp', 'exporters.plan2learn.host': 'sftp.plan2learn.dk', 'exporters.plan2learn.user': 'kommune' };
    const FP = 'SHA256:PFRFxulDgGCz3H8GqjNnKE8jW7ZxX8olBWUtqNDCkNs';

    it('is null without host, user, password and key: export only', () => {
      assert.equal(shipTargetFromSettings(settings({ 'exporters.plan2learn.protocol': 'sftp' })), null);
    });

    it('takes a password, port 22 and the host key fingerprint', () => {
      assert.deepEqual(shipTargetFromSettings(settings({ ...SFTP, 'exporters.plan2learn.password': 's3cret', 'exporters.plan2learn.sftp_host_key_sha256': FP })), {
        protocol: 'sftp',
        host: 'sftp.plan2learn.dk',
        port: 22,
        user: 'kommune',
        password: 's3cret',
        privateKey: null,
        passphrase: null,
        folder: null,
        hostKey: { sha256: FP, knownHosts: null },
      });
    });

    it('reads the private key and known_hosts files, or the key itself with its line breaks written \\n (an environment variable)', () => {
      writeFileSync(join(dir, 'id_ed25519'), 'KEY\n');
      writeFileSync(join(dir, 'known_hosts'), 'sftp.plan2learn.dk ssh-ed25519 AAAA\n');
      const fromFiles = shipTargetFromSettings(
        settings({ ...SFTP, 'exporters.plan2learn.private_key_file': join(dir, 'id_ed25519'), 'exporters.plan2learn.private_key_passphrase': 'pp', 'exporters.plan2learn.known_hosts_file': join(dir, 'known_hosts'), 'exporters.plan2learn.folder': 'ind', 'exporters.plan2learn.port': 2222, 'exporters.plan2learn.timeout_seconds': 10 }),
      );
      assert.deepEqual(fromFiles, {
        protocol: 'sftp',
        host: 'sftp.plan2learn.dk',
        port: 2222,
        user: 'kommune',
        password: null,
        privateKey: 'KEY\n',
        passphrase: 'pp',
        folder: 'ind',
        hostKey: { sha256: null, knownHosts: { path: join(dir, 'known_hosts'), text: 'sftp.plan2learn.dk ssh-ed25519 AAAA\n' } },
        timeoutMs: 10_000,
      });
      const inline = shipTargetFromSettings(settings(SFTP, { EXPORTERS_PLAN2LEARN_PRIVATE_KEY: '-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Bl\\n-----END OPENSSH PRIVATE KEY-----' }));
      assert.equal(inline && 'privateKey' in inline ? inline.privateKey : null, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----');
    });

    it('names what is missing or contradictory, and FTPES-only keys', () => {
      const problems = problemsOf(() =>
        shipTargetFromSettings(
          settings({ 'exporters.plan2learn.protocol': 'sftp', 'exporters.plan2learn.host': 'sftp.plan2learn.dk', 'exporters.plan2learn.ca_file': '/x.pem', 'exporters.plan2learn.known_hosts_file': join(dir, 'missing') }),
        ),
      );
      assert.equal(problems.length, 4, problems.join('\n'));
      assert.match(problems[0]!, /^exporters\.plan2learn\.user is not set/);
      assert.match(problems[1]!, /^exporters\.plan2learn\.ca_file is set, but applies to FTPES only and exporters\.plan2learn\.protocol is "sftp"\. Fix: /);
      assert.match(problems[2]!, /^SFTP needs a password or a private key, and none is set\. Fix: set exporters\.plan2learn\.password or exporters\.plan2learn\.private_key_file/);
      assert.match(problems[3]!, /^exporters\.plan2learn\.known_hosts_file = ".*missing" cannot be read/);
      const both = problemsOf(() => shipTargetFromSettings(settings({ ...SFTP, 'exporters.plan2learn.private_key': 'K', 'exporters.plan2learn.private_key_file': '/k' })));
      assert.match(both.join('\n'), /exporters\.plan2learn\.private_key_file and exporters\.plan2learn\.private_key are both set/);
    });

    it('names SFTP-only keys under FTPES, and a malformed fingerprint without showing the secrets', () => {
      const problems = problemsOf(() => shipTargetFromSettings(settings({ ...DIPEX, 'exporters.plan2learn.private_key_file': '/k' })));
      assert.deepEqual(problems.length, 1);
      assert.match(problems[0]!, /^exporters\.plan2learn\.private_key_file is set, but applies to SFTP only and exporters\.plan2learn\.protocol is "ftpes" \(the default\)\. Fix: set exporters\.plan2learn\.protocol to "sftp"/);
      const bad = problemsOf(() => shipTargetFromSettings(settings({ ...SFTP, 'exporters.plan2learn.password': 's3cret', 'exporters.plan2learn.sftp_host_key_sha256': 'MD5:aa:bb' })));
      assert.match(bad.join('\n'), /exporters\.plan2learn\.sftp_host_key_sha256.*SHA256:/);
      assert.ok(!bad.join('\n').includes('s3cret'));
      const protocol = problemsOf(() => shipTargetFromSettings(settings({ ...DIPEX, 'exporters.plan2learn.protocol': 'ftp' })));
      assert.match(protocol.join('\n'), /exporters\.plan2learn\.protocol/);
    });
  });
});
