import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync, chmodSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it, mock } from 'node:test';
import { openDumpSource } from '../../src/sources/index.js';
import { freePort } from '../../src/util/ports.js';
import { SmbSource, type SmbConfig, type SmbSourceOptions } from '../../src/sources/smb.js';
import { DumpSourceError } from '../../src/sources/types.js';
import { assertListing, assertParses, assertStreams, dumpSet, sha256 } from '../support/dumpSet.js';
import { SambaServer, sambaSkip } from '../support/samba.js';

const skip = sambaSkip();
/** Short waits, so a retried test takes seconds; generous count, so a slow restart still fits. */
const FAST_RETRY = { retries: 8, minTimeoutMs: 100, maxTimeoutMs: 500 };

async function sourceError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail('expected a DumpSourceError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DumpSourceError, `expected a DumpSourceError, got ${String(error)}`);
  return error.message;
}

describe('SMB dump source', { skip }, () => {
  let server: SambaServer;
  const files = dumpSet();
  const sources: SmbSource[] = [];
  const config = (overrides: Partial<SmbConfig> = {}): SmbConfig => ({
    type: 'smb',
    host: server.host,
    port: server.port,
    share: server.share,
    folder: 'dumps',
    user: server.user,
    password: server.password,
    domain: 'WORKGROUP',
    ...overrides,
  });
  const source = (overrides: Partial<SmbConfig> = {}, options: SmbSourceOptions = {}) => {
    const s = new SmbSource(config(overrides), options);
    sources.push(s);
    return s;
  };

  before(async () => {
    server = await SambaServer.create();
    const put = (folder: string, name: string, bytes: Buffer | string) => {
      mkdirSync(join(server.shareDir, folder), { recursive: true });
      writeFileSync(join(server.shareDir, folder, name), bytes);
    };
    for (const f of files) put('dumps', f.name, f.bytes);
    put('dumps/archive', 'ZLPE20180101_delta.xml', '<kmd/>');
    put('dupes', 'ZLPE20200101_delta.xml', '<kmd/>');
    put('dupes', 'ZLPE20200101000000_delta.xml', '<kmd/>');
    // More names than one QUERY_DIRECTORY reply holds (~400 at this length).
    for (let day = 0; day < 1000; day++) {
      const date = new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
      put('many', `ZLPE${date}_delta.xml`, 'x');
    }
    put('locked', 'ZLPE20200101_delta.xml', '<kmd/>');
    chmodSync(join(server.shareDir, 'locked', 'ZLPE20200101_delta.xml'), 0o600);
  });

  after(async () => {
    for (const s of sources) await s.close();
    await server?.dispose();
  });

  it('lists the dumps oldest first and every other entry as ignored, with reasons', async () => {
    const s = openDumpSource(config());
    sources.push(s as SmbSource);
    assert.equal(s.description, `SMB share //127.0.0.1:${server.port}/opus/dumps as ${server.user}`);
    const listing = await s.list();
    assertListing(listing, files, ['archive']);
    assert.match(listing.ignored.find((i) => i.name === 'archive')!.reason, /a folder/);
  });

  it('streams exactly the bytes of each dump, and they parse', async () => {
    const s = source();
    await assertStreams(s, files);
    await assertParses(s);
  });

  it('lists a folder with more entries than one SMB reply holds', async () => {
    const listing = await source({ folder: 'many' }).list();
    assert.equal(listing.dumps.length, 1000);
    assert.equal(listing.dumps[0]!.date, '2020-01-01');
    assert.equal(listing.dumps.at(-1)!.date, '2022-09-26');
  });

  it('lists the share root when no folder is given', async () => {
    const listing = await source({ folder: '' }).list();
    assert.deepEqual(listing.dumps, []);
    assert.deepEqual(listing.ignored.map((i) => i.name), ['dumps', 'dupes', 'locked', 'many']);
  });

  it('refuses two dumps with the same timestamp, naming both', async () => {
    const message = await sourceError(source({ folder: 'dupes' }).list());
    assert.match(message, /ZLPE20200101_delta\.xml/);
    assert.match(message, /ZLPE20200101000000_delta\.xml/);
  });

  it('explains a missing folder, share or file', async () => {
    assert.match(await sourceError(source({ folder: 'nowhere' }).list()), /folder "nowhere" does not exist on SMB share .*integrations\.opus\.smb_host/);
    assert.match(await sourceError(source({ share: 'nosuch' }).list()), /SMB share "nosuch" does not exist.*integrations\.opus\.smb_host/);
    assert.match(await sourceError(source().open('ZLPE20990101_delta.xml')), /no file ZLPE20990101_delta\.xml in SMB share/);
    assert.match(await sourceError(source().open('../locked/x.xml')), /not a file name/);
  });

  it('explains a file the user may not read', async () => {
    assert.match(await sourceError(source({ folder: 'locked' }).open('ZLPE20200101_delta.xml')), /may not read file "ZLPE20200101_delta\.xml"/);
  });

  it('refuses a wrong password at once, without retrying', async () => {
    const retries: string[] = [];
    const started = performance.now();
    // The default policy waits 1 s before a retry, so a fast failure proves there was none.
    const message = await sourceError(source({ password: 'wrong' }, { retry: { onRetry: (m) => retries.push(m) } }).list());
    assert.match(message, new RegExp(`SMB login as ${server.user} refused.*integrations\\.opus\\.smb_user / smb_password`));
    assert.doesNotMatch(message, /wrong/, 'the password is never shown');
    assert.deepEqual(retries, []);
    assert.ok(performance.now() - started < 900, `took ${performance.now() - started} ms`);
  });

  it('prints nothing to the console while connecting, listing and failing', async () => {
    const calls = ['log', 'error', 'warn', 'info'].map((m) => mock.method(console, m as 'log'));
    try {
      await source().list();
      await source({ password: 'wrong' }).list().catch(() => {});
      await source({ port: await freePort() }, { retry: { retries: 0 } }).list().catch(() => {});
    } finally {
      for (const c of calls) c.mock.restore();
    }
    assert.deepEqual(calls.map((c) => c.mock.callCount()), [0, 0, 0, 0]);
  });

  it('retries while smbd is down and lists once it is back', async () => {
    const retries: string[] = [];
    const s = source({}, { retry: { ...FAST_RETRY, onRetry: (m) => retries.push(m) } });
    await server.stop();
    const restart = sleep(1500).then(() => server.start());
    try {
      const listing = await s.list();
      assert.equal(listing.dumps.length, 3);
    } finally {
      await restart;
    }
    assert.ok(retries.length >= 2, `retried ${retries.length} times`);
    assert.match(retries[0]!, /listing SMB share .* failed \(attempt 1: .*ECONNREFUSED/);
  });

  it('reconnects when the server dropped the connection between calls', async () => {
    const s = source({}, { retry: FAST_RETRY, requestTimeoutMs: 10_000 });
    await s.list();
    await server.stop();
    await server.start();
    // The hang-up is noticed at once, not after a request timeout on the dead connection.
    const started = performance.now();
    assert.equal((await s.list()).dumps.length, 3);
    assert.ok(performance.now() - started < 5000, `took ${performance.now() - started} ms`);
  });

  it('gives up on a server that stays down with a transient, not a DumpSourceError', async () => {
    const s = source({ port: await freePort() }, { retry: { retries: 2, minTimeoutMs: 10, maxTimeoutMs: 10, onRetry: () => {} } });
    const error = await s.list().then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e as Error & { code?: string },
    );
    assert.ok(!(error instanceof DumpSourceError));
    assert.equal(error.code, 'ECONNREFUSED');
    assert.match(error.message, /failed after 3 attempts/);
  });

  it('fails the stream, not the process, when the server goes away mid-file', async () => {
    const s = source({}, { retry: FAST_RETRY });
    const stream = await s.open('ZLPE20200103101500_delta.xml');
    const failure = (async () => {
      let first = true;
      for await (const _chunk of stream) {
        if (first) await server.stop();
        first = false;
      }
    })();
    try {
      await assert.rejects(failure, (error: Error & { code?: string }) => {
        assert.match(error.message, /reading dumps\/ZLPE20200103101500_delta\.xml over SMB failed: SMB connection .* closed/);
        // Which code the socket reports depends on timing: a read sees a reset, a write a broken pipe.
        assert.ok(['ECONNRESET', 'EPIPE'].includes(error.code ?? ''), `a transient network code, got ${error.code}`);
        return true;
      });
    } finally {
      await server.start();
    }
    // The source reconnects for the next call.
    assert.equal((await s.list()).dumps.length, 3);
  });

  it('reads 100 MB intact, with throughput reported', async (t) => {
    const path = join(server.shareDir, 'big', 'ZLPE20300101_delta.xml');
    mkdirSync(join(server.shareDir, 'big'));
    const expected = createHash('sha256');
    const fd = openSync(path, 'w');
    for (let i = 0; i < 100; i++) {
      const block = randomBytes(1 << 20);
      expected.update(block);
      writeSync(fd, block);
    }
    closeSync(fd);
    const s = source({ folder: 'big' });
    await s.list();
    const started = performance.now();
    const got = await sha256(await s.open('ZLPE20300101_delta.xml'));
    const seconds = (performance.now() - started) / 1000;
    assert.equal(got.bytes, 100 << 20);
    assert.equal(got.hash, expected.digest('hex'));
    t.diagnostic(`100 MiB over SMB from the local smbd in ${seconds.toFixed(2)} s: ${(100 / seconds).toFixed(0)} MiB/s`);
  });
});

// What node-smb2 cannot do (it speaks SMB 2.0.2/2.1 without signing), and what moflow says then.
const unsupported = [
  { what: 'requires signing', global: 'server signing = mandatory', message: /requires SMB signing, which moflow's SMB client \(node-smb2\) cannot do \(STATUS_ACCESS_DENIED on TreeConnect\)/ },
  { what: 'requires encryption', global: 'server smb encrypt = required', message: /refused the SMB session for moflowsmb \(STATUS_ACCESS_DENIED\); it may require SMB3 encryption/ },
  { what: 'speaks only SMB3', global: 'server min protocol = SMB3', message: /does not accept SMB 2\.0\.2\/2\.1 \(STATUS_NOT_SUPPORTED\); it probably requires SMB3/ },
];
for (const { what, global, message } of unsupported) {
  describe(`SMB dump source against a server that ${what}`, { skip }, () => {
    let server: SambaServer;
    before(async () => {
      server = await SambaServer.create({ global: [global] });
    });
    after(() => server?.dispose());

    it('explains that moflow cannot read it and to mount it with CIFS instead', async () => {
      const s = new SmbSource(
        { type: 'smb', host: server.host, port: server.port, share: server.share, folder: '', user: server.user, password: server.password, domain: 'WORKGROUP' },
        { retry: { onRetry: () => assert.fail('a refusal is not retried') } },
      );
      try {
        const text = await sourceError(s.list());
        assert.match(text, message);
        assert.match(text, /mount -t cifs.*integrations\.opus\.import\.xml_path/);
      } finally {
        await s.close();
      }
    });
  });
}
