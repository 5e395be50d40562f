import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/load.js';
import { adReaderOptions, adSettingsSchema } from '../../src/ad/settings.js';

const PASSWORD = 'Hemmeligt-Pw-42';

/** An entry as DIPEX installations have it, with keys of other AD programs alongside. */
const dipexEntry = {
  servers: ['dc1.andeby.local', 'dc2.andeby.local:3269'],
  search_base: 'OU=Brugere,DC=andeby,DC=local',
  cpr_field: 'extensionAttribute1',
  cpr_separator: '-',
  system_user: 'ANDEBY\\svc-os2mo',
  password: PASSWORD,
  properties: ['SamAccountName', 'ObjectGuid', 'extensionAttribute1', 'xBrugertype'],
  'discriminator.field': 'xBrugertype',
  'discriminator.values': ['Medarbejder'],
  'discriminator.function': 'include',
  pseudo_cprs: ['32'],
  ad_mo_sync_mapping: { user_addresses: {} },
};

function problems(value: unknown): string[] {
  const parsed = adSettingsSchema.safeParse(value);
  assert.ok(!parsed.success, 'expected the settings to be refused');
  const messages = parsed.error.issues.map((i) => i.message);
  for (const m of messages) assert.ok(!m.includes(PASSWORD), `a message shows the password: ${m}`);
  return messages;
}

describe('integrations.ad settings', () => {
  it('turns the first DIPEX entry into reader options, servers as ldaps:// URLs', () => {
    const second = { ...dipexEntry, search_base: 'DC=skole,DC=local' };
    const options = adReaderOptions(adSettingsSchema.parse([dipexEntry, second]));
    assert.deepEqual(options, {
      url: ['ldaps://dc1.andeby.local', 'ldaps://dc2.andeby.local:3269'],
      bindDn: 'ANDEBY\\svc-os2mo',
      password: PASSWORD,
      searchBase: 'OU=Brugere,DC=andeby,DC=local',
      cprField: 'extensionAttribute1',
      cprSeparator: '-',
      samFilter: '',
      caselessSam: true,
      discriminator: { field: 'xBrugertype', values: ['Medarbejder'], function: 'include' },
      pageSize: 500,
      timeoutMs: 60_000,
      tls: { rejectUnauthorized: true },
    });
  });

  it('takes the list as JSON text (environment), a nested discriminator, and moflow keys', () => {
    const { 'discriminator.field': _f, 'discriminator.values': _v, 'discriminator.function': _fn, ...rest } = dipexEntry;
    const entry = {
      ...rest,
      discriminator: { field: 'xBrugertype', values: ['Ekstern'], function: 'exclude' },
      ldap_url: 'ldap://10.0.0.5:389',
      page_size: '1000',
      timeout_seconds: 5,
      tls_verify: 'false',
      search_filter: '(objectCategory=person)',
      caseless_samname: false,
    };
    const options = adReaderOptions(adSettingsSchema.parse(JSON.stringify([entry])));
    assert.deepEqual(options.url, ['ldap://10.0.0.5:389']);
    assert.deepEqual(options.discriminator, { field: 'xBrugertype', values: ['Ekstern'], function: 'exclude' });
    assert.equal(options.pageSize, 1000);
    assert.equal(options.timeoutMs, 5000);
    assert.equal(options.filter, '(objectCategory=person)');
    assert.equal(options.caselessSam, false);
    assert.deepEqual(options.tls, { rejectUnauthorized: false });
  });

  it('names each wrong or missing key by its place in the list', () => {
    const { cpr_field: _c, ...noCpr } = dipexEntry;
    assert.deepEqual(problems([{ ...noCpr, 'discriminator.function': 'only' }]), [
      'integrations.ad[0].cpr_field is required',
      'integrations.ad[0].discriminator.function: must be "include" or "exclude"',
    ]);
    const { 'discriminator.values': _v, 'discriminator.function': _fn, ...fieldOnly } = dipexEntry;
    assert.deepEqual(problems([{ ...fieldOnly, servers: [] }]), [
      'integrations.ad[0].discriminator.values: required when discriminator.field is set',
      'integrations.ad[0].discriminator.function: required when discriminator.field is set',
      'integrations.ad[0].servers: give the domain controllers (servers) or ldap_url',
    ]);
    assert.match(problems([dipexEntry, { ...dipexEntry, ldap_url: 'https://dc1' }])[0]!, /^integrations\.ad\[1\]\.ldap_url: must be an LDAP URL/);
    assert.deepEqual(problems([{ ...dipexEntry, password: 42 }]), ['integrations.ad[0].password: Invalid input: expected string, received number']);
  });

  it('wants a non-empty list', () => {
    assert.match(problems([])[0]!, /must be a non-empty list/);
    assert.match(problems(dipexEntry)[0]!, /must be a non-empty list/);
    assert.match(problems('[{')[0]!, /must be a JSON list/);
  });

  it('reads ca_file, and names the key when it cannot', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const entries = adSettingsSchema.parse([{ ...dipexEntry, ca_file: '/etc/moflow/ad-ca.pem' }]);
    assert.equal(adReaderOptions(entries, () => pem).tls?.ca, pem);
    const missing = () =>
      adReaderOptions(entries, () => {
        throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      });
    assert.throws(missing, (e: unknown) => e instanceof ConfigError && /integrations\.ad\[0\]\.ca_file: cannot read \/etc\/moflow\/ad-ca\.pem \(ENOENT\)/.test(e.message));
    assert.throws(() => adReaderOptions(entries, () => 'binary DER'), /holds no PEM certificate/);
  });
});
