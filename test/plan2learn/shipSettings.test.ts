// The FTPES target from the settings: none of host/user/password = export only; some of them = a mistake
// named; the rest defaults as DIPEX (port 21) with the certificate verified.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSettings } from '../../src/config/load.js';
import { ftpesTargetFromSettings } from '../../src/plan2learn/shipSettings.js';
import { problemsOf } from '../support/configProblems.js';

const dir = mkdtempSync(join(tmpdir(), 'moflow-ship-settings-'));
const settings = (values: Record<string, unknown>, env: Record<string, string> = {}) => {
  const path = join(dir, 'settings.json');
  writeFileSync(path, JSON.stringify(values));
  return loadSettings({ settingsPath: path, env });
};
const DIPEX = { 'exporters.plan2learn.host': 'ftp.plan2learn.dk', 'exporters.plan2learn.user': 'kommune', 'exporters.plan2learn.password': 's3cret' };

describe('the Plan2Learn FTPES target from the settings', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is null without host, user and password: export only', () => {
    assert.equal(ftpesTargetFromSettings(settings({})), null);
  });

  it("takes DIPEX's three keys, port 21, the login folder and verified certificates by default", () => {
    assert.deepEqual(ftpesTargetFromSettings(settings(DIPEX)), {
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
    const target = ftpesTargetFromSettings(
      settings(
        { 'exporters.plan2learn.folder': 'ind', 'exporters.plan2learn.ca_file': join(dir, 'ca.pem'), 'exporters.plan2learn.verify_certificate': false, 'exporters.plan2learn.servername': 'ftp.example.dk', 'exporters.plan2learn.timeout_seconds': 10 },
        { PLAN2LEARN_FTPES__HOSTNAME: '10.0.0.9', PLAN2LEARN_FTPES__PORT: '2121', PLAN2LEARN_FTPES__USERNAME: 'k', PLAN2LEARN_FTPES__PASSWORD: 'p' },
      ),
    );
    assert.deepEqual(target, { host: '10.0.0.9', port: 2121, user: 'k', password: 'p', folder: 'ind', ca: 'PEM', rejectUnauthorized: false, servername: 'ftp.example.dk', timeoutMs: 10_000 });
  });

  it('names the missing keys when only some are set, and a CA file that cannot be read', () => {
    const problems = problemsOf(() => ftpesTargetFromSettings(settings({ 'exporters.plan2learn.host': 'ftp.plan2learn.dk', 'exporters.plan2learn.ca_file': join(dir, 'missing.pem') })));
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /^exporters\.plan2learn\.user is not set, but the other Plan2Learn FTP settings are\. Fix: .*or remove .* to only write the files\./);
    assert.match(problems[1]!, /^exporters\.plan2learn\.password is not set/);
    assert.match(problems[2]!, /exporters\.plan2learn\.ca_file = ".*missing\.pem" cannot be read/);
    assert.ok(!problems.join('\n').includes('s3cret'));
  });
});
