import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { municipalityKeys, opusKeys } from '../../src/config/keys.js';
import { loadSettings } from '../../src/config/load.js';
import { dumpSourceConfig, opusImportOptions } from '../../src/config/opus.js';
import { temporalConfig } from '../../src/config/temporal.js';
import { problemsOf } from '../support/configProblems.js';

const dir = mkdtempSync(join(tmpdir(), 'moflow-settings-'));
let n = 0;
function settingsFile(content: unknown): string {
  const path = join(dir, `settings-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
describe('settings', () => {
  it('reads a DIPEX settings.json with flat dotted keys and ignores other integrations', () => {
    const path = settingsFile({
      'municipality.name': 'Andeby Kommune',
      'integrations.opus.import.xml_path': '/opt/customer/opus',
      'integrations.opus.units.filter_ids': ['350', 812],
      'integrations.opus.skip_employee_email': true,
      'integrations.SD_Lon.import.too_deep': ['Afdelings-niveau'],
      'exporters.plan2learn.variant': 'RSD',
    });
    const settings = loadSettings({ settingsPath: path, env: {} });
    const options = opusImportOptions(settings);
    assert.equal(options.municipalityName, 'Andeby Kommune');
    assert.deepEqual(options.filterUnitIds, ['350', '812'], 'numeric ids become strings, as DIPEX compares them');
    assert.equal(options.skipEmployeeEmail, true);
    assert.equal(options.skipEmployeePhone, false);
    assert.equal(options.unitUserKey, '@id');
    assert.deepEqual(dumpSourceConfig(settings), { type: 'local', path: '/opt/customer/opus' });
    assert.equal(settings.origins.get('municipality.name'), path);
  });

  it('accepts nested objects as well as dotted keys', () => {
    const path = settingsFile({ municipality: { name: 'Andeby' }, integrations: { opus: { import: { xml_path: '/x' } } } });
    const settings = loadSettings({ settingsPath: path, env: {} });
    assert.equal(opusImportOptions(settings).municipalityName, 'Andeby');
    assert.deepEqual(dumpSourceConfig(settings), { type: 'local', path: '/x' });
  });

  it('lets environment variables override the file, with DIPEX names and aliases', () => {
    const path = settingsFile({ 'integrations.opus.import.xml_path': '/from/file', 'mora.base': 'http://file' });
    const settings = loadSettings({
      settingsPath: path,
      env: {
        INTEGRATIONS_OPUS_IMPORT_XML_PATH: '/from/env',
        MORA_BASE: 'https://mo.andeby.dk',
        INTEGRATIONS_OPUS_UNITS_FILTER_IDS: '1, 2',
        TEMPORAL_ADDRESS: 'temporal:7233',
      },
    });
    assert.deepEqual(dumpSourceConfig(settings), { type: 'local', path: '/from/env' });
    assert.equal(settings.origins.get('integrations.opus.import.xml_path'), 'environment variable INTEGRATIONS_OPUS_IMPORT_XML_PATH');
    assert.deepEqual(settings.get(opusKeys.filterIds), ['1', '2']);
    assert.equal(temporalConfig(settings).address, 'temporal:7233');
    assert.equal(temporalConfig(settings).namespace, 'default');
  });

  it('uses MOFLOW_SETTINGS when no path is given', () => {
    const path = settingsFile({ 'municipality.name': 'Via env' });
    assert.equal(opusImportOptions(loadSettings({ env: { MOFLOW_SETTINGS: path } })).municipalityName, 'Via env');
  });

  it('names the key, the bad value and the fix for a wrong value, all problems at once', () => {
    const path = settingsFile({
      'integrations.opus.skip_employee_email': 'perhaps',
      'mora.base': 42,
      'integrations.opus.unit_user_key': 'longName',
    });
    const problems = problemsOf(() => loadSettings({ settingsPath: path, env: {} }));
    assert.equal(problems.length, 3);
    assert.match(problems.join('\n'), /integrations\.opus\.skip_employee_email = "perhaps" from .*settings-\d+\.json is invalid: .*Fix: do not import employee e-mail/);
    assert.match(problems.join('\n'), /mora\.base = 42 .* is invalid/);
    assert.match(problems.join('\n'), /integrations\.opus\.unit_user_key = "longName".*e\.g\. "@id"/);
  });

  it('never shows a secret value in an error', () => {
    const [problem] = problemsOf(() => loadSettings({ env: {}, settingsPath: settingsFile({ 'crontab.CLIENT_SECRET': 12345 }) }));
    assert.match(problem!, /crontab\.CLIENT_SECRET = \(hidden\)/);
    assert.doesNotMatch(problem!, /12345/);
  });

  it('points out a misspelled key under moflow-owned prefixes, and notes legacy DIPEX keys', () => {
    const path = settingsFile({
      'integrations.opus.import.xmlpath': '/x',
      'integrations.opus.import.run_db': '/opt/run_db.sqlite',
      'integrations.ad.write.uuid_field': 'x',
    });
    const problems = problemsOf(() => loadSettings({ settingsPath: path, env: {} }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /integrations\.opus\.import\.xmlpath .* is not a key moflow knows\. Did you mean "integrations\.opus\.import\.xml_path"\?/);

    const ok = loadSettings({ settingsPath: settingsFile({ 'integrations.opus.import.run_db': '/opt/run_db.sqlite' }), env: {} });
    assert.match(ok.notices.join('\n'), /run_db: run history now lives in Temporal/);
  });

  it('warns, without failing, of a near miss outside moflow’s prefixes, and counts other integrations’ keys once', () => {
    const settings = loadSettings({
      settingsPath: settingsFile({ 'municpality.name': 'Andeby', 'integrations.ad.write.uuid_field': 'x', 'integrations.SD_Lon.import.run_db': 'y', 'mora.base': 'http://mo' }),
      env: {},
    });
    assert.equal(settings.get(municipalityKeys.name), undefined, 'a misspelled key sets nothing');
    assert.deepEqual(
      settings.notices.map((n) => n.replace(/ in \S+\.json/, ' in FILE')),
      [
        'municpality.name in FILE is not a key moflow knows. Did you mean "municipality.name"? It is ignored until corrected.',
        "2 key(s) in FILE are not moflow's and are left alone (other integrations' settings): integrations.ad.write.uuid_field, integrations.SD_Lon.import.run_db",
      ],
    );
  });

  it('says which key is missing, what needs it and how to set it', () => {
    const settings = loadSettings({ env: {} });
    const [message] = problemsOf(() => opusImportOptions(settings));
    assert.match(message!, /^municipality\.name is not set, and the OPUS import .* needs it/);
    assert.match(message!, /add "municipality\.name": "Andeby Kommune" to settings\.json .* or set MUNICIPALITY_NAME/);
    const [noSource] = problemsOf(() => dumpSourceConfig(settings));
    assert.match(noSource!, /no OPUS dump source is configured.*integrations\.opus\.import\.xml_path.*INTEGRATIONS_OPUS_IMPORT_XML_PATH/);
  });

  it('fails clearly on a missing or broken settings file', () => {
    assert.match(problemsOf(() => loadSettings({ settingsPath: join(dir, 'nope.json'), env: {} }))[0]!, /nope\.json does not exist/);
    assert.match(problemsOf(() => loadSettings({ settingsPath: settingsFile('{"a": '), env: {} }))[0]!, /is not valid JSON/);
    assert.match(problemsOf(() => loadSettings({ settingsPath: settingsFile('[1]'), env: {} }))[0]!, /must hold a JSON object/);
    assert.match(problemsOf(() => loadSettings({ settingsPath: dir, env: {} }))[0]!, /is a directory\. Fix: pass the settings\.json file itself/);
  });

  it('names the line and column of a syntax error and never quotes the text there (it may be a secret)', () => {
    const secret = 'SuperFtpPass999';
    const text = `{\n "municipality.name": "X",\n "exporters.plan2learn.password": ${secret}\n}\n`;
    const problems = problemsOf(() => loadSettings({ settingsPath: settingsFile(text), env: {} }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /is not valid JSON: \w+ at line 3, column 35\. Fix the JSON syntax there\./);
    for (let n = 3; n <= secret.length; n++) for (let i = 0; i + n <= secret.length; i++) assert.ok(!problems[0]!.includes(secret.slice(i, i + n)), `no piece of the secret: ${problems[0]}`);
  });

  it('refuses a key given twice, naming both lines', () => {
    const text = '{\n "municipality.name": "Andeby",\n "mora.base": "http://mo",\n "municipality.name": "Gåseby"\n}\n';
    const problems = problemsOf(() => loadSettings({ settingsPath: settingsFile(text), env: {} }));
    assert.deepEqual(problems.map((p) => p.replace(/^settings file \S+: /, '')), ['"municipality.name" is given twice (lines 2 and 4). Fix: keep one.']);
  });

  it('picks the dump source in DIPEX order: Cloud Storage, then SMB, then the local folder', () => {
    const base = { 'integrations.opus.import.xml_path': '/x', 'integrations.opus.smb_user': 'u', 'integrations.opus.smb_password': 'p' };
    const smb = dumpSourceConfig(loadSettings({ settingsPath: settingsFile({ ...base, 'integrations.opus.smb_host': '10.0.0.5/opus/dumps/nat' }), env: {} }));
    assert.deepEqual(smb, { type: 'smb', host: '10.0.0.5', port: 445, share: 'opus', folder: 'dumps/nat', user: 'u', password: 'p', domain: 'WORKGROUP' });
    const smbPort = dumpSourceConfig(loadSettings({ settingsPath: settingsFile({ ...base, 'integrations.opus.smb_host': 'fil01:4450/opus' }), env: {} }));
    assert.equal(smbPort.type === 'smb' && smbPort.port, 4450);
    const gcs = dumpSourceConfig(
      loadSettings({ settingsPath: settingsFile({ ...base, 'integrations.opus.smb_host': 'h/s', 'integrations.opus.gcloud_bucket_name': 'b' }), env: {} }),
    );
    assert.deepEqual(gcs, { type: 'gcs', bucket: 'b', prefix: null, apiEndpoint: null, projectId: null });
    const noUser = loadSettings({ settingsPath: settingsFile({ 'integrations.opus.smb_host': 'h/s' }), env: {} });
    assert.match(problemsOf(() => dumpSourceConfig(noUser))[0]!, /integrations\.opus\.smb_user is not set, and reading dumps from the SMB share needs it/);
    const badHost = settingsFile({ 'integrations.opus.smb_host': '10.0.0.5' });
    assert.match(problemsOf(() => loadSettings({ settingsPath: badHost, env: {} }))[0]!, /must be "host\/share"/);
  });
});
