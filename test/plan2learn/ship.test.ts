import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../src/util/ports.js';
import { shipFiles, type FtpesTarget, type ShipFile } from '../../src/plan2learn/ship.js';
import { makeCert, NoOverwriteFtpServer, VsftpdServer, vsftpdSkip } from '../support/ftps.js';
import { checkShrink } from '../../src/plan2learn/guard.js';
import { assertArrived as arrived, DEFAULT_ROWS, NAMES, remoteHashes, run, sha256, shipError, shipList, writeLocal as writeFiles } from './shipFixture.js';

const skip = vsftpdSkip();

describe('shipping the Plan2Learn files over FTPES', { skip }, () => {
  let server: VsftpdServer;
  let localDir: string;
  let files: ShipFile[];
  const uploadDir = () => join(server.ftpRoot, 'upload');
  const remote = () => readdirSync(uploadDir()).sort();
  const target = (overrides: Partial<FtpesTarget> = {}): FtpesTarget => ({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    folder: 'upload',
    ca: server.cert.cert,
    rejectUnauthorized: true,
    timeoutMs: 5_000,
    ...overrides,
  });
  const writeLocal = (version: string) => writeFiles(localDir, version);
  const assertArrived = () => arrived(uploadDir(), files);

  before(async () => {
    server = await VsftpdServer.create();
    localDir = mkdtempSync(join(tmpdir(), 'moflow-ship-'));
    files = shipList(localDir);
    writeLocal('v1');
  });

  after(async () => {
    await server?.dispose();
    rmSync(localDir, { recursive: true, force: true });
  });

  it('uploads the five files under their final names, byte for byte, over one TLS-protected connection', async () => {
    const logins = server.logins().ok;
    const mark = server.log().length;
    const progress = new Map<string, [number, number]>();
    const r = run({ onProgress: (name, bytes, total) => progress.set(name, [bytes, total]) });
    const started = Date.now();
    const { shipped } = await shipFiles(target(), files, r.options);
    console.log(`  five files (${readFileSync(files[2]!.localPath).length} bytes largest) in ${Date.now() - started} ms`);

    assertArrived();
    assert.deepEqual(
      shipped.map((s) => [s.remoteName, s.sha256, s.bytes]),
      files.map((f) => [f.remoteName, sha256(readFileSync(f.localPath)), readFileSync(f.localPath).length]),
    );
    assert.equal(server.logins().ok - logins, 1, 'one login for the whole shipment');
    const dialog = server.log().slice(mark);
    assert.match(dialog, /"AUTH TLS"/);
    assert.match(dialog, /"PROT P"/);
    // Each file went up under a temp name and was renamed.
    for (const name of NAMES) {
      assert.match(dialog, new RegExp(`"STOR \\.${name.replace('.', '\\.')}\\.part-[0-9a-f]{8}"`));
      assert.match(dialog, new RegExp(`"RNTO ${name.replace('.', '\\.')}"`));
    }
    const total = readFileSync(files[2]!.localPath).length;
    assert.deepEqual(progress.get('engagement.csv'), [total, total]);
    assert.equal(r.retries(), 0);
    assert.ok(r.lines.some((l) => /verified against the configured CA/.test(l)));
    assert.ok(!r.lines.join('\n').includes(server.password), 'the password is never logged');
  });

  it('replaces the older versions on the server', async () => {
    writeFileSync(join(uploadDir(), 'bruger.csv'), 'old');
    writeLocal('v2');
    await shipFiles(target(), files, run().options);
    assertArrived();
    assert.match(readFileSync(join(uploadDir(), 'leder.csv'), 'utf8'), /"v2-0"/);
  });

  it('the export guard counts the rows on the server over the shipment\'s one connection and holds a shrink before any file is replaced', async () => {
    await shipFiles(target(), files, run().options); // the default rows on the server
    const before = remoteHashes(uploadDir());
    const rows = (name: string) => (name === 'leder.csv' ? 0 : name === 'bruger.csv' ? 17 : DEFAULT_ROWS(name));
    writeFiles(localDir, 'shrunk', rows);
    const seen: [string, number | null][][] = [];
    const logins = server.logins().ok;
    const mark = server.log().length;
    const r = run({
      guard: (onServer) => {
        seen.push([...onServer]);
        return checkShrink(NAMES.map((name) => ({ name, rows: rows(name) })), onServer, { maxShrinkShare: 0.1 });
      },
    });
    const result = await shipFiles(target(), files, r.options);
    assert.deepEqual(seen, [NAMES.map((name) => [name, DEFAULT_ROWS(name)])]);
    assert.deepEqual(result.shipped, []);
    assert.deepEqual(result.held?.files.map((f) => [f.name, f.before, f.after]), [['bruger.csv', 20, 17], ['leder.csv', 20, 0]]);
    assert.match(result.held!.reason, /^bruger\.csv 20 → 17 rows \(-15\.0%\), leder\.csv 20 → 0 rows \(empty\)/);
    assert.deepEqual(remoteHashes(uploadDir()), before, 'nothing replaced');
    assert.equal(server.logins().ok - logins, 1, 'one connection');
    assert.doesNotMatch(server.log().slice(mark), /"STOR /);
    assert.ok(r.lines.some((l) => /^HELD, nothing shipped: bruger\.csv 20 → 17/.test(l)), r.lines.join('\n'));

    // Approved (the guard lets it pass): the same files ship.
    const approved = await shipFiles(target(), files, run({ guard: () => null }).options);
    assert.equal(approved.held, null);
    assertArrived();
  });

  it('the export guard: a file missing on the server counts as none; one the server will not let us read fails the shipment', async () => {
    rmSync(join(uploadDir(), 'leder.csv'));
    const seen = new Map<string, number | null>();
    await shipFiles(target(), files, run({ guard: (onServer) => (onServer.forEach((v, k) => seen.set(k, v)), null) }).options);
    assert.equal(seen.get('leder.csv'), null);
    assert.equal(seen.get('bruger.csv'), 17);
    const locked = join(uploadDir(), 'bruger.csv');
    const before = remoteHashes(uploadDir());
    chmodSync(locked, 0o000);
    try {
      const error = await shipError(shipFiles(target(), files, run({ guard: () => null }).options));
      assert.match(error.message, /reading bruger\.csv to count its rows/);
      assert.match(error.message, /no file was replaced/);
    } finally {
      chmodSync(locked, 0o644);
    }
    assert.deepEqual(remoteHashes(uploadDir()), before);
  });

  it('refuses a server certificate not signed by the configured CA, and uploads nothing', async () => {
    const stranger = makeCert(localDir, 'stranger');
    writeLocal('v3');
    const before = remote();
    const mark = server.log().length;
    const r = run();
    const started = Date.now();
    const error = await shipError(shipFiles(target({ ca: stranger.cert }), files, r.options));
    console.log(`  refused in ${Date.now() - started} ms: ${error.message}`);
    assert.match(error.message, new RegExp(`Plan2Learn FTPES server 127\\.0\\.0\\.1:${server.port}: its TLS certificate was not accepted`));
    assert.match(error.message, /Configure the CA/);
    assert.match(error.message, /no file was replaced/);
    assert.equal(error.transient, false);
    assert.equal(r.retries(), 0, 'a certificate problem is not retried');
    assert.deepEqual(remote(), before);
    assert.doesNotMatch(server.log().slice(mark), /"USER |"STOR /, 'neither the user name nor a file was sent');
  });

  it('refuses the self-signed server certificate when only the system CAs are trusted', async () => {
    const r = run();
    const error = await shipError(shipFiles(target({ ca: null }), files, r.options));
    assert.match(error.message, /certificate was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/);
    assert.equal(r.retries(), 0);
  });

  it('refuses a certificate issued for another name than the one configured', async () => {
    const r = run();
    const error = await shipError(shipFiles(target({ servername: 'ftp.plan2learn.example' }), files, r.options));
    assert.match(error.message, /certificate was not accepted \(ERR_TLS_CERT_ALTNAME_INVALID/);
    assert.match(error.message, /ftp\.plan2learn\.example/);
    assert.equal(r.retries(), 0);
  });

  it('ships without verifying the certificate only when told to, and warns every time', async () => {
    writeLocal('v4');
    for (let round = 0; round < 2; round++) {
      const r = run();
      await shipFiles(target({ ca: null, rejectUnauthorized: false }), files, r.options);
      assert.match(r.lines[0] ?? '', /^WARNING: TLS certificate verification is OFF for the Plan2Learn FTPES server 127\.0\.0\.1:/);
      assert.ok(r.lines.some((l) => /certificate: NOT verified/.test(l)));
    }
    assertArrived();
  });

  it('fails at once on a wrong password, without retrying and without showing it', async () => {
    const failed = server.logins().failed;
    const r = run();
    const started = Date.now();
    const error = await shipError(shipFiles(target({ password: 'not-the-Password-9' }), files, r.options));
    console.log(`  wrong password refused in ${Date.now() - started} ms`);
    assert.match(error.message, /refused the login of user "moflowftp" \("530 Login incorrect\."\): check the Plan2Learn FTP user and password/);
    assert.equal(r.retries(), 0);
    assert.equal(server.logins().failed - failed, 1, 'one login attempt');
    assert.ok(!`${error.message}\n${r.lines.join('\n')}`.includes('not-the-Password-9'));
  });

  it('fails at once with the folder named when the target folder does not exist (it is not created)', async () => {
    const r = run();
    const error = await shipError(shipFiles(target({ folder: 'Plan2Learn/ind' }), files, r.options));
    assert.match(error.message, /refused entering folder "Plan2Learn\/ind" \("550 Failed to change directory\."\): the folder does not exist/);
    assert.equal(r.retries(), 0);
    assert.deepEqual(readdirSync(server.ftpRoot).sort(), ['upload']);
  });

  it('fails at once when the server refuses the upload (553, no write permission)', async () => {
    const r = run();
    const error = await shipError(shipFiles(target({ folder: null }), files, r.options));
    assert.match(error.message, /refused uploading bruger\.csv as \.bruger\.csv\.part-[0-9a-f]{8} \("553 Could not create file\."\)/);
    assert.equal(r.retries(), 0);
  });

  it('fails before connecting when a local file is missing', async () => {
    const logins = server.logins();
    const missing = [...files, { localPath: join(localDir, 'nope.csv'), remoteName: 'nope.csv' }];
    const error = await shipError(shipFiles(target(), missing, run().options));
    assert.match(error.message, /cannot read .*nope\.csv to ship it as nope\.csv: ENOENT/);
    assert.deepEqual(server.logins(), logins);
  });

  it('reconnects and completes when the connection drops between two files', async () => {
    writeLocal('v5');
    const logins = server.logins().ok;
    let dropped = 0;
    const r = run({ onFileShipped: (f) => void (f.remoteName === 'bruger.csv' && (dropped = server.signalSessions())) });
    const started = Date.now();
    await shipFiles(target(), files, r.options);
    console.log(`  dropped connection: completed in ${Date.now() - started} ms after ${r.retries()} retry`);
    assert.ok(dropped > 0, 'a session was killed');
    assert.ok(r.retries() >= 1);
    assert.ok(r.lines.some((l) => /reconnecting/.test(l)));
    assert.equal(server.logins().ok - logins, 2, 'the first connection, then one more');
    assertArrived();
  });

  it('removes the partial file of an upload cut off mid-transfer, and completes', async () => {
    writeLocal('v6');
    const mark = server.log().length;
    let cut = false;
    const r = run({
      onProgress: (name, bytes, total) => {
        if (!cut && name === 'engagement.csv' && bytes > total / 3) cut = server.signalSessions() > 0;
      },
    });
    await shipFiles(target(), files, r.options);
    assert.ok(cut);
    assert.ok(r.retries() >= 1);
    assert.ok(r.lines.some((l) => /engagement\.csv to 127\.0\.0\.1:\d+ failed/.test(l)), r.lines.join('\n'));
    // The partial upload was there, and was removed over the new connection.
    assert.match(server.log().slice(mark), /"DELE \.engagement\.csv\.part-[0-9a-f]{8}"\n.*OK DELETE: Client "127\.0\.0\.1", "\/upload\/\.engagement\.csv\.part-/);
    assertArrived();
  });

  it('gives up on a session that hangs mid-upload after the timeout, and completes on a new one', async () => {
    writeLocal('v6b');
    let frozen = false;
    const r = run({
      onProgress: (name, bytes, total) => {
        if (!frozen && name === 'engagement.csv' && bytes > total / 3) frozen = server.signalSessions('SIGSTOP') > 0;
      },
    });
    const started = Date.now();
    try {
      await shipFiles(target({ timeoutMs: 1_000 }), files, r.options);
    } finally {
      server.signalSessions('SIGKILL');
    }
    console.log(`  hung session: completed in ${Date.now() - started} ms`);
    assert.ok(frozen);
    // The freeze lands while the data is still flowing or, when the kernel buffers took the rest already, at the
    // size check right after: either way the hung session is given up after the timeout.
    assert.ok(r.lines.some((l) => /engagement\.csv to .* did not answer within 1 s while (uploading engagement\.csv|checking the size of \.engagement\.csv)/.test(l)), r.lines.join('\n'));
    assertArrived();
  });

  it('rides out a server restart', async () => {
    writeLocal('v7');
    let restarted: Promise<void> | null = null;
    const r = run({
      // A longer retry budget (~4 s) than the restart takes, even on a loaded machine.
      retry: { retries: 10, minTimeoutMs: 100, maxTimeoutMs: 500 },
      onFileShipped: (f) => {
        if (f.remoteName !== 'organisation.csv') return;
        restarted = server.stop().then(() => new Promise((resolve) => setTimeout(resolve, 600))).then(() => server.start());
      },
    });
    const started = Date.now();
    await shipFiles(target(), files, r.options);
    console.log(`  server restart: completed in ${Date.now() - started} ms after ${r.retries()} retries`);
    await restarted;
    assert.ok(r.lines.some((l) => /ECONNREFUSED/.test(l)), r.lines.join('\n'));
    assertArrived();
  });

  it('stops retrying at once when cancelled (a cancelled activity), throwing the cancellation as it is', async () => {
    const closed = await freePort(); // nothing listens: every attempt is refused, which is worth retrying
    const controller = new AbortController();
    const cancelledBy = new Error('cancelled by the operator');
    const r = run({
      retry: { retries: 2, minTimeoutMs: 1_000, maxTimeoutMs: 1_000 },
      log: (m) => {
        r.lines.push(m);
        if (/retrying/.test(m)) controller.abort(cancelledBy);
      },
      signal: controller.signal,
    });
    const error = await shipFiles(target({ port: closed }), files, r.options).then(
      () => assert.fail('expected the shipment to be cancelled'),
      (e: unknown) => e,
    );
    assert.equal(error, cancelledBy, `the cancellation itself, not a ShipError: ${String(error)}`);
    assert.equal(r.retries(), 1, `no attempt after the cancellation:\n${r.lines.join('\n')}`);
    const again = run({ signal: controller.signal });
    await assert.rejects(shipFiles(target(), files, again.options), (e) => e === cancelledBy);
    assert.ok(!again.lines.some((l) => /^shipped /.test(l)), `an already cancelled shipment ships nothing:\n${again.lines.join('\n')}`);
  });

  it('replaces files on a server that refuses to rename onto an existing file (as IIS does)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'moflow-ftpsrv-'));
    mkdirSync(join(root, 'upload'));
    const iis = await NoOverwriteFtpServer.start(root, server.cert);
    try {
      writeFileSync(join(root, 'upload', 'bruger.csv'), 'old');
      writeFileSync(join(root, 'upload', 'leder.csv'), 'old');
      const r = run();
      await shipFiles(target({ port: iis.port }), files, r.options);
      assert.deepEqual(readdirSync(join(root, 'upload')).sort(), [...NAMES].sort());
      for (const f of files) assert.equal(sha256(readFileSync(join(root, 'upload', f.remoteName))), sha256(readFileSync(f.localPath)));
      assert.equal(r.lines.filter((l) => /refuses to rename onto an existing file; replaced/.test(l)).length, 2);
    } finally {
      await iis.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  describe('a server that never answers', () => {
    const sockets = new Set<Socket>();
    const servers: Server[] = [];
    /** A TCP server that accepts and then says only `lines` (nothing at all by default). */
    const silentServer = async (lines: string[] = []): Promise<number> => {
      const port = await freePort();
      const s = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        // One line on connecting, one on the first command; then silence (after "234 …", also no TLS handshake).
        const [greeting, reply] = lines;
        if (greeting) socket.write(`${greeting}\r\n`);
        if (reply) socket.once('data', () => socket.write(`${reply}\r\n`));
      });
      servers.push(s);
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
      return port;
    };

    after(async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    });

    it('fails with a timeout error when the greeting never comes, retried once, within twice the timeout', async () => {
      const port = await silentServer();
      const r = run({ retry: { retries: 1, minTimeoutMs: 50, maxTimeoutMs: 50 } });
      const started = Date.now();
      const error = await shipError(shipFiles(target({ port, timeoutMs: 800 }), files, r.options));
      const elapsed = Date.now() - started;
      console.log(`  silent server: failed after ${elapsed} ms: ${error.message}`);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port} did not answer within 0\\.8 s while connecting`));
      assert.match(error.message, /gave up after 2 attempts/);
      // Two attempts of 0.8 s and a 50 ms pause; the slack is for a loaded machine.
      assert.ok(elapsed >= 1_600 && elapsed < 3_500, `${elapsed} ms`);
    });

    it('fails with a timeout error when the TLS handshake never completes', async () => {
      const port = await silentServer(['220 hello', '234 go ahead']);
      const r = run({ retry: { retries: 0 } });
      const started = Date.now();
      const error = await shipError(shipFiles(target({ port, timeoutMs: 800 }), files, r.options));
      const elapsed = Date.now() - started;
      assert.match(error.message, /did not answer within 0\.8 s while starting TLS \(AUTH TLS\)/);
      assert.ok(elapsed >= 800 && elapsed < 2_000, `${elapsed} ms`);
    });
  });
});
