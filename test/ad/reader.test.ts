// readAdDirectory against a real slapd serving AD's attribute names (ad.schema): GUIDs read back as raw
// bytes, CPR forms, paging under an AD-like size limit, the discriminator rules, and failures.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client } from 'ldapts';
import { adReaderOptions, adSettingsSchema } from '../../src/ad/settings.js';
import { AdReadError, readAdDirectory, type AdDirectory, type AdLookup, type AdReaderOptions } from '../../src/ad/reader.js';
import { freePort } from '../../src/util/ports.js';
import { slapdSkip, type SlapdServer } from '../support/slapd.js';
import { cuttingProxy } from './cuttingProxy.js';
import { cprOf, manyUsers, ouLdif, startAdSlapd, testGuid, usersLdif, type FakeAdUser } from './fixtures.js';

const skip = slapdSkip();
const FAST_RETRY = { retries: 8, minTimeoutMs: 100, maxTimeoutMs: 400 };
const PUBLISHED = { uuid: '35918bc9-196d-40ea-9779-889d79b753f0', bytes: Buffer.from('c98b91356d19ea409779889d79b753f0', 'hex') };

/** Misc users: GUID forms, CPR forms, no CPR, a computer, an entry without objectGUID. */
const MISC: FakeAdUser[] = [
  { sam: 'pub', guidBytes: PUBLISHED.bytes, attrs: { extensionAttribute1: '0101901234', employeeID: '010190-1234' } },
  // Bytes that are valid UTF-8 text: still read as bytes.
  { sam: 'ascii', guidBytes: Buffer.from('ABCDEFGHIJKLMNOP'), attrs: { extensionAttribute1: '0202902345', employeeID: '0202902345' } },
  { sam: 'computed', guid: '0c4f4ea4-7d12-404c-8d1f-2b476eb2b13c', attrs: { extensionAttribute1: '0303903456', employeeID: '030390-3456' } },
  { sam: 'svc-backup', guid: testGuid(9001) },
  { sam: 'svc-print', guid: testGuid(9002) },
  { sam: 'badcpr', guid: testGuid(9003), attrs: { extensionAttribute1: 'ukendt', employeeID: '12345' } },
  { sam: 'pc1$', guid: testGuid(9004), objectClass: 'computer', attrs: { extensionAttribute1: '0404904567' } },
  { sam: 'noguid', attrs: { extensionAttribute1: '0505905678' } },
];

/** Four CPRs with several accounts, interleaved so "first" means AD's order, not the name. */
const CPR = { A: '1101801111', B: '1201802222', C: '1301803333', D: '1401804444' };
const DISCRIMINATED: FakeAdUser[] = [
  ['a2', CPR.A, 'Ekstern'],
  ['b1', CPR.B, 'Ekstern'],
  ['a1', CPR.A, null],
  ['d1', CPR.D, 'Vikar'],
  ['c1', CPR.C, 'Ekstern'],
  ['a3', CPR.A, 'Primær'],
  ['b2', CPR.B, 'Ekstern'],
  ['d2', CPR.D, 'Ekstern'],
].map(([sam, cpr, type], i) => ({
  sam: sam!,
  guid: testGuid(5000 + i),
  ou: 'ou=Diskriminator',
  attrs: { extensionAttribute1: cpr!, ...(type ? { extensionAttribute2: type } : {}) },
}));

const MANY = 1200;

function show(lookup: AdLookup): string {
  const sams = (users: { samAccountName: string }[]) => users.map((u) => u.samAccountName).join(',');
  if (lookup.kind === 'one') return lookup.user.samAccountName;
  if (lookup.kind === 'ambiguous') return `ambiguous:${sams(lookup.users)}`;
  return lookup.excluded ? `none:${lookup.excluded.reason}:${sams(lookup.excluded.users)}` : 'none';
}

describe('readAdDirectory against slapd', { skip }, () => {
  let server: SlapdServer;
  const options = (overrides: Partial<AdReaderOptions> = {}): AdReaderOptions => ({
    url: server.url,
    bindDn: server.readerDn,
    password: server.readerPassword,
    searchBase: `ou=Brugere,${server.suffix}`,
    cprField: 'extensionAttribute1',
    retry: FAST_RETRY,
    ...overrides,
  });

  before(async () => {
    server = await startAdSlapd({ tls: true });
    const many = manyUsers(MANY).map((u) => ({ ...u, ou: 'ou=Mange' }));
    await server.add(
      [
        ouLdif(server.suffix),
        ouLdif(server.suffix, 'ou=Diskriminator'),
        ouLdif(server.suffix, 'ou=Mange'),
        usersLdif(server.suffix, [...MISC, ...DISCRIMINATED, ...many]),
      ].join('\n'),
    );
  });

  after(async () => {
    await server?.dispose();
  });

  describe('values', () => {
    it('decodes objectGUID bytes read back through LDAP into the uuid AD shows', async () => {
      const dir = await readAdDirectory(options());
      const guidOf = (cpr: string) => {
        const found = dir.lookup(cpr);
        assert.equal(found.kind, 'one');
        return found.kind === 'one' ? found.user.objectGuid : '';
      };
      assert.equal(guidOf('0101901234'), PUBLISHED.uuid);
      assert.equal(guidOf('0202902345'), '44434241-4645-4847-494a-4b4c4d4e4f50');
      assert.equal(guidOf('0303903456'), '0c4f4ea4-7d12-404c-8d1f-2b476eb2b13c');
      const pub = dir.lookup('010190-1234');
      assert.ok(pub.kind === 'one');
      assert.equal(pub.user.samAccountName, 'pub');
      assert.equal(pub.user.dn, `cn=pub,ou=Brugere,${server.suffix}`);
      assert.equal(pub.user.cpr, '0101901234');
    });

    it('counts users without CPR, with an unparsable CPR or without objectGUID, and leaves computers out', async () => {
      const { stats } = await readAdDirectory(options());
      assert.deepEqual(
        { entries: stats.entries, withoutCpr: stats.withoutCpr, invalidCpr: stats.invalidCpr, incomplete: stats.incomplete, cprs: stats.cprs },
        { entries: 7, withoutCpr: 2, invalidCpr: 1, incomplete: 1, cprs: 3 },
      );
      const dir = await readAdDirectory(options());
      assert.equal(dir.lookup('0404904567').kind, 'none', 'a computer account is not a person');
      assert.equal(dir.lookup('0505905678').kind, 'none', 'an entry without objectGUID cannot give a uuid');
    });

    it('strips the CPR separator, and takes CPRs stored without it too', async () => {
      const dir = await readAdDirectory(options({ cprField: 'employeeID', cprSeparator: '-' }));
      assert.deepEqual([...dir.entries()].map(([cpr, l]) => [cpr, show(l)]).sort(), [
        ['0101901234', 'pub'],
        ['0202902345', 'ascii'],
        ['0303903456', 'computed'],
      ]);
      assert.equal(dir.stats.invalidCpr, 1);
      assert.equal(dir.stats.withoutCpr, 3);
    });

    it('without the separator setting, CPRs written with a dash are unparsable, not guessed', async () => {
      const dir = await readAdDirectory(options({ cprField: 'employeeID', cprSeparator: '' }));
      assert.equal(dir.stats.cprs, 1);
      assert.equal(dir.stats.invalidCpr, 3);
      assert.equal(dir.lookup('0101901234').kind, 'none');
    });
  });

  describe('paging', () => {
    it('reads 1,200 users in one search of 3 pages of 500', async () => {
      const dir = await readAdDirectory(options({ searchBase: `ou=Mange,${server.suffix}`, pageSize: 500 }));
      assert.equal(dir.stats.searches, 1);
      assert.equal(dir.stats.pages, 3);
      assert.equal(dir.stats.entries, MANY);
      assert.equal(dir.stats.cprs, MANY);
      const one = dir.lookup(cprOf(777));
      assert.ok(one.kind === 'one');
      assert.equal(one.user.objectGuid, testGuid(777));
      assert.equal(one.user.samAccountName, 'u777');
    });

    it('is needed: the server cuts a plain search at 1,000 entries, as AD does', async () => {
      const client = new Client({ url: server.url });
      try {
        await client.bind(server.readerDn, server.readerPassword);
        await assert.rejects(client.search(`ou=Mange,${server.suffix}`, { filter: '(objectClass=user)', attributes: ['cn'] }), /Code: 0x4\b/);
      } finally {
        await client.unbind();
      }
    });
  });

  describe('several accounts per CPR', () => {
    const read = async (overrides: Partial<AdReaderOptions>) => {
      const dir = await readAdDirectory(options({ searchBase: `ou=Diskriminator,${server.suffix}`, ...overrides }));
      return { dir, picks: Object.fromEntries(Object.entries(CPR).map(([k, cpr]) => [k, show(dir.lookup(cpr))])) };
    };
    const field = 'extensionAttribute2';

    it('without a discriminator takes the first account in AD order', async () => {
      const { dir, picks } = await read({});
      assert.deepEqual(picks, { A: 'a2', B: 'b1', C: 'c1', D: 'd1' });
      assert.equal(dir.stats.duplicates, 3);
      assert.equal(dir.stats.ambiguous, 0);
    });

    it('include tries the values in order', async () => {
      const { picks } = await read({ discriminator: { field, function: 'include', values: ['Primær', 'Ekstern'] } });
      assert.deepEqual(picks, { A: 'a3', B: 'b1', C: 'c1', D: 'd2' });
    });

    it('include that matches none of several accounts is ambiguous; of a single one, none', async () => {
      const { dir, picks } = await read({ discriminator: { field, function: 'include', values: ['Primær'] } });
      assert.deepEqual(picks, { A: 'a3', B: 'ambiguous:b1,b2', C: 'none:discriminator:c1', D: 'ambiguous:d1,d2' });
      assert.equal(dir.stats.ambiguous, 2);
      assert.equal(dir.stats.excluded, 1);
    });

    it('exclude takes the first account not holding the value, one without the field included', async () => {
      const { picks } = await read({ discriminator: { field, function: 'exclude', values: ['Ekstern'] } });
      assert.deepEqual(picks, { A: 'a1', B: 'ambiguous:b1,b2', C: 'none:discriminator:c1', D: 'd1' });
    });

    it('exclude with several values picks as DIPEX did, and counts the picks holding an excluded value', async () => {
      const { dir, picks } = await read({ discriminator: { field, function: 'exclude', values: ['Ekstern', 'Vikar'] } });
      assert.deepEqual(picks, { A: 'a1', B: 'b1', C: 'c1', D: 'd1' });
      assert.equal(dir.stats.excludedValuePicked, 3);
    });

    it('sam_filter rejects the pick rather than choosing another account', async () => {
      assert.deepEqual((await read({ samFilter: 'D2' })).picks, { A: 'none:sam_filter:a2', B: 'none:sam_filter:b1', C: 'none:sam_filter:c1', D: 'none:sam_filter:d1' });
      assert.equal((await read({ samFilter: 'A' })).picks.A, 'a2');
      assert.equal((await read({ samFilter: 'A', caselessSam: false })).picks.A, 'none:sam_filter:a2');
    });
  });

  describe('failures', () => {
    it('a wrong password fails at once, naming the bind user and never the password', async () => {
      const retries: string[] = [];
      const started = Date.now();
      const password = 'Wrong-Secret-77';
      const error = await readAdDirectory(options({ password, retry: { ...FAST_RETRY, onRetry: (m) => retries.push(m) } })).then(
        () => assert.fail('expected the bind to fail'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AdReadError);
      assert.equal(error.transient, false);
      assert.match(error.message, /refused the bind of "cn=moflow-reader,dc=ad,dc=test": invalid credentials/);
      assert.match(error.message, /system_user and password/);
      assert.ok(!error.message.includes(password));
      assert.deepEqual(retries, []);
      assert.ok(Date.now() - started < 2000);
    });

    it('a missing search base is named, not retried', async () => {
      await assert.rejects(readAdDirectory(options({ searchBase: `ou=Findes-ikke,${server.suffix}` })), (e: unknown) => {
        assert.ok(e instanceof AdReadError && !e.transient);
        assert.match(e.message, /search base "ou=Findes-ikke,dc=ad,dc=test" does not exist/);
        return true;
      });
    });

    it('retries while slapd is down and reads once it is back', async () => {
      const retries: string[] = [];
      await server.stop();
      const reading = readAdDirectory(options({ retry: { ...FAST_RETRY, onRetry: (m) => retries.push(m) } }));
      await sleep(600);
      await server.start();
      const dir = await reading;
      assert.equal(dir.stats.cprs, 3);
      assert.equal(dir.stats.searches, 1, 'the failed attempts never got to search');
      assert.ok(retries.length >= 1);
      assert.match(retries[0]!, /ECONNREFUSED/);
      assert.ok(retries.every((m) => !m.includes(server.readerPassword)));
    });

    it('restarts the whole paged search when the connection drops mid-read, counting nothing twice', async () => {
      const proxy = await cuttingProxy({ host: server.host, port: server.port }, 40_000);
      try {
        const retries: string[] = [];
        const dir = await readAdDirectory(
          options({ url: proxy.url, searchBase: `ou=Mange,${server.suffix}`, pageSize: 100, retry: { ...FAST_RETRY, onRetry: (m) => retries.push(m) } }),
        );
        assert.equal(proxy.connections, 2);
        assert.equal(retries.length, 1);
        assert.equal(dir.stats.searches, 2);
        assert.ok(dir.stats.pages > 12, `pages of both searches are counted, got ${dir.stats.pages}`);
        assert.equal(dir.stats.entries, MANY);
        assert.equal(dir.stats.cprs, MANY);
        assert.equal(dir.stats.duplicates, 0);
      } finally {
        await proxy.close();
      }
    });

    it('moves on to the next server when one is down', async () => {
      const dead = `ldap://127.0.0.1:${await freePort()}`;
      const retries: string[] = [];
      const dir = await readAdDirectory(options({ url: [dead, server.url], retry: { ...FAST_RETRY, onRetry: (m) => retries.push(m) } }));
      assert.equal(dir.stats.cprs, 3);
      assert.equal(retries.length, 1);
      assert.ok(retries[0]!.includes(dead));
    });
  });

  describe('ldaps', () => {
    it('reads over TLS when the CA is given', async () => {
      const dir: AdDirectory = await readAdDirectory(options({ url: server.ldapsUrl, tls: { ca: server.caPem } }));
      assert.equal(dir.stats.cprs, 3);
    });

    it('reads with the options made from integrations.ad (ldap_url, ca_file)', async () => {
      const entries = adSettingsSchema.parse([
        {
          servers: [],
          ldap_url: server.ldapsUrl,
          ca_file: join(server.root, 'ca.pem'),
          system_user: server.readerDn,
          password: server.readerPassword,
          search_base: `ou=Diskriminator,${server.suffix}`,
          cpr_field: 'extensionAttribute1',
          'discriminator.field': 'extensionAttribute2',
          'discriminator.values': ['Primær', 'Ekstern'],
          'discriminator.function': 'include',
        },
      ]);
      const dir = await readAdDirectory({ ...adReaderOptions(entries), retry: FAST_RETRY });
      assert.equal(show(dir.lookup(CPR.A)), 'a3');
    });

    it('refuses a certificate signed by an unknown CA, at once', async () => {
      const retries: string[] = [];
      await assert.rejects(readAdDirectory(options({ url: server.ldapsUrl, retry: { ...FAST_RETRY, onRetry: (m) => retries.push(m) } })), (e: unknown) => {
        assert.ok(e instanceof AdReadError && !e.transient);
        // slapd sends its CA along, so Node sees a self-signed CA in the chain.
        assert.match(e.message, /certificate is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/);
        assert.match(e.message, /ca_file/);
        return true;
      });
      assert.deepEqual(retries, []);
    });
  });
});
