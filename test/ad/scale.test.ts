// A municipality-sized AD: 20,000 users read in one paged search, over LDAP and LDAPS. The figures go to
// the test output (diagnostics); the time bound only catches a read gone quadratic or one query per person.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readAdDirectory, type AdReaderOptions } from '../../src/ad/reader.js';
import { slapdSkip, type SlapdServer } from '../support/slapd.js';
import { cprOf, manyUsers, ouLdif, startAdSlapd, testGuid, usersLdif } from './fixtures.js';

const skip = slapdSkip();
const USERS = 20_000;

describe(`reading ${USERS.toLocaleString('en')} AD users`, { skip }, () => {
  let server: SlapdServer;
  const options = (overrides: Partial<AdReaderOptions> = {}): AdReaderOptions => ({
    url: server.url,
    bindDn: server.readerDn,
    password: server.readerPassword,
    searchBase: server.suffix,
    cprField: 'extensionAttribute1',
    ...overrides,
  });

  before(async () => {
    server = await startAdSlapd({ tls: true });
    await server.add(`${ouLdif(server.suffix)}\n${usersLdif(server.suffix, manyUsers(USERS))}`);
  });

  after(async () => {
    await server?.dispose();
  });

  for (const [name, overrides] of [
    ['ldap://, pages of 500', {}],
    ['ldap://, pages of 1000', { pageSize: 1000 }],
    ['ldaps://, pages of 500', { tls: true }],
  ] as const) {
    it(`${name}: one search, every user indexed`, async (t) => {
      const tls = 'tls' in overrides;
      const pageSize = 'pageSize' in overrides ? overrides.pageSize : 500;
      const started = process.hrtime.bigint();
      const dir = await readAdDirectory(options({ pageSize, ...(tls ? { url: server.ldapsUrl, tls: { ca: server.caPem } } : {}) }));
      const readMs = Number(process.hrtime.bigint() - started) / 1e6;
      assert.equal(dir.stats.searches, 1);
      assert.equal(dir.stats.pages, Math.ceil(USERS / pageSize));
      assert.equal(dir.stats.entries, USERS);
      assert.equal(dir.stats.cprs, USERS);

      const lookupStart = process.hrtime.bigint();
      for (let n = 0; n < USERS; n++) {
        const found = dir.lookup(cprOf(n));
        if (found.kind !== 'one' || found.user.objectGuid !== testGuid(n)) assert.fail(`user ${n} not found as expected`);
      }
      const lookupMs = Number(process.hrtime.bigint() - lookupStart) / 1e6;
      t.diagnostic(`${name}: read ${readMs.toFixed(0)} ms, ${dir.stats.pages} pages, ${USERS} lookups ${lookupMs.toFixed(0)} ms`);
      assert.ok(readMs < 30_000, `reading took ${readMs} ms`);
    });
  }
});
