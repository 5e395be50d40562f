// Shipping the Plan2Learn files over SFTP against a real OpenSSH sshd (test/support/sshd.ts): password and key
// logins, the host key checked against a fingerprint or known_hosts, atomic replacement, and failures —
// refused logins and host keys fail at once naming the setting, dropped connections are retried and never
// leave a partial file under a final name. The FTPES twin is ship.test.ts; shipFixture.ts holds what both check.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { shipFiles, type ShipFile, type SftpTarget } from '../../src/plan2learn/ship.js';
import { freePort } from '../../src/util/ports.js';
import { makeKeyPair, SshdServer, sshdSkip } from '../support/sshd.js';
import { checkShrink } from '../../src/plan2learn/guard.js';
import { assertArrived as arrived, DEFAULT_ROWS, NAMES, remoteHashes, run, sha256, shipError, shipList, writeLocal as writeFiles } from './shipFixture.js';

const skip = sshdSkip();

describe('shipping the Plan2Learn files over SFTP', { skip }, () => {
  let server: SshdServer;
  let localDir: string;
  let files: ShipFile[];
  const remote = () => readdirSync(server.uploadDir).sort();
  const target = (overrides: Partial<SftpTarget> = {}): SftpTarget => ({
    protocol: 'sftp',
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    privateKey: null,
    passphrase: null,
    folder: server.uploadDir,
    hostKey: { sha256: server.hostKey.fingerprint, knownHosts: null },
    timeoutMs: 5_000,
    ...overrides,
  });
  const byKey = (overrides: Partial<SftpTarget> = {}) => target({ password: null, privateKey: server.clientKey.privateKey, ...overrides });
  const writeLocal = (version: string) => writeFiles(localDir, version);
  const assertArrived = () => arrived(server.uploadDir, files);
  const secretsIn = (text: string) =>
    [server.password, server.encryptedKey.passphrase, server.clientKey.privateKey.split('\n')[1]!, server.encryptedKey.privateKey.split('\n')[1]!].filter((s) => text.includes(s));

  before(async () => {
    server = await SshdServer.create();
    localDir = mkdtempSync(join(tmpdir(), 'moflow-ship-sftp-'));
    files = shipList(localDir);
    writeLocal('v1');
  });

  after(async () => {
    await server?.dispose();
    rmSync(localDir, { recursive: true, force: true });
  });

  it('uploads the five files by password under temp names, renamed into place, over one connection', async () => {
    const logins = server.logins().ok;
    const mark = server.log().length;
    const progress = new Map<string, [number, number]>();
    let midway: string[] | null = null;
    const r = run({
      onProgress: (name, bytes, total) => {
        progress.set(name, [bytes, total]);
        if (name === 'engagement.csv' && midway === null && bytes > total / 2) midway = remote();
      },
    });
    const started = Date.now();
    const { shipped } = await shipFiles(target(), files, r.options);
    console.log(`  five files (${readFileSync(files[2]!.localPath).length} bytes largest) in ${Date.now() - started} ms`);

    assertArrived();
    assert.deepEqual(
      shipped.map((s) => [s.remoteName, s.sha256, s.bytes]),
      files.map((f) => [f.remoteName, sha256(readFileSync(f.localPath)), readFileSync(f.localPath).length]),
    );
    // Halfway through engagement.csv: the files before it are live, it is only there under its temp name.
    assert.ok(midway !== null);
    const during = midway as string[];
    assert.deepEqual(during.filter((n) => !n.startsWith('.')), ['bruger.csv', 'organisation.csv'], during.join(', '));
    assert.equal(during.filter((n) => /^\.engagement\.csv\.part-[0-9a-f]{8}$/.test(n)).length, 1, during.join(', '));
    assert.equal(server.logins().ok - logins, 1, 'one login for the whole shipment');
    assert.match(server.log().slice(mark), /Accepted password for moflowsftp/);
    const total = readFileSync(files[2]!.localPath).length;
    assert.deepEqual(progress.get('engagement.csv'), [total, total]);
    assert.equal(r.retries(), 0);
    assert.match(r.lines[0]!, /^shipping 5 files to sftp:\/\/moflowsftp@127\.0\.0\.1:\d+\/.*\/upload \(host key: checked against fingerprint SHA256:/);
    assert.ok(r.lines.some((l) => l.includes(`accepted: it matches the configured fingerprint ${server.hostKey.fingerprint}`)));
    assert.deepEqual(secretsIn(r.lines.join('\n')), [], 'no password, passphrase or key is logged');
  });

  it('logs in with a private key, and with an encrypted one and its passphrase', async () => {
    writeLocal('v2');
    const mark = server.log().length;
    await shipFiles(byKey(), files, run().options);
    assertArrived();
    writeLocal('v3');
    const r = run();
    await shipFiles(byKey({ privateKey: server.encryptedKey.privateKey, passphrase: server.encryptedKey.passphrase }), files, r.options);
    assertArrived();
    const log = server.log().slice(mark);
    assert.match(log, new RegExp(`Accepted publickey for moflowsftp .*${server.clientKey.fingerprint.replace(/[+/]/g, '\\$&')}`));
    assert.match(log, new RegExp(`Accepted publickey for moflowsftp .*${server.encryptedKey.fingerprint.replace(/[+/]/g, '\\$&')}`));
    assert.ok(r.lines.some((l) => /login: private key/.test(l)));
    assert.deepEqual(secretsIn(r.lines.join('\n')), []);
  });

  it('replaces the older versions on the server in one rename', async () => {
    writeFileSync(join(server.uploadDir, 'bruger.csv'), 'old');
    writeLocal('v4');
    await shipFiles(target(), files, run().options);
    assertArrived();
    assert.match(readFileSync(join(server.uploadDir, 'bruger.csv'), 'utf8'), /"v4-0"/);
  });

  it('the export guard counts the rows on the server (none for a missing file) and holds a shrink before any file is replaced', async () => {
    writeLocal('g1');
    await shipFiles(target(), files, run().options);
    rmSync(join(server.uploadDir, 'stillingskode.csv'));
    const before = remoteHashes(server.uploadDir);
    const rows = (name: string) => (name === 'engagement.csv' ? 50_000 : DEFAULT_ROWS(name));
    writeFiles(localDir, 'g2', rows);
    const seen: [string, number | null][][] = [];
    const logins = server.logins().ok;
    const result = await shipFiles(target(), files, run({
      guard: (onServer) => {
        seen.push([...onServer]);
        return checkShrink(NAMES.map((name) => ({ name, rows: rows(name) })), onServer, { maxShrinkShare: 0.1 });
      },
    }).options);
    assert.deepEqual(seen, [NAMES.map((name) => [name, name === 'stillingskode.csv' ? null : DEFAULT_ROWS(name)])]);
    assert.deepEqual(result.held?.files.map((f) => [f.name, f.before, f.after]), [['engagement.csv', 60_000, 50_000]]);
    assert.deepEqual(result.shipped, []);
    assert.deepEqual(remoteHashes(server.uploadDir), before, 'nothing replaced');
    assert.equal(server.logins().ok - logins, 1, 'one connection');

    const locked = join(server.uploadDir, 'bruger.csv');
    chmodSync(locked, 0o000);
    try {
      const error = await shipError(shipFiles(target(), files, run({ guard: () => null }).options));
      assert.match(error.message, /reading bruger\.csv to count its rows/);
      assert.match(error.message, /no file was replaced/);
    } finally {
      chmodSync(locked, 0o644);
    }
    assert.deepEqual(remoteHashes(server.uploadDir), before);
    await shipFiles(target(), files, run({ guard: () => null }).options);
    assertArrived();
  });

  it('refuses a host key other than the configured one, showing the key seen and the setting, before logging in', async () => {
    const other = makeKeyPair(localDir, 'other-host');
    const before = remote();
    const logins = server.logins();
    const mark = server.log().length;
    const r = run();
    const error = await shipError(shipFiles(target({ hostKey: { sha256: other.fingerprint, knownHosts: null } }), files, r.options));
    console.log(`  ${error.message}`);
    assert.match(error.message, new RegExp(`^Plan2Learn SFTP server 127\\.0\\.0\\.1:${server.port} showed the host key ssh-ed25519 ${escape(server.hostKey.fingerprint)}, which is not the configured one`));
    assert.ok(error.message.includes(`put "${server.hostKey.fingerprint}" in exporters.plan2learn.sftp_host_key_sha256`), error.message);
    assert.match(error.message, /no file was replaced/);
    assert.equal(error.transient, false);
    assert.equal(r.retries(), 0, 'a host key problem is not retried');
    assert.deepEqual(remote(), before);
    assert.deepEqual(server.logins(), logins, 'neither password nor key was offered');
    assert.doesNotMatch(server.log().slice(mark), /Failed|Accepted|Postponed/);
  });

  it('refuses an unknown host key when none is configured, saying where to put it', async () => {
    const r = run();
    const error = await shipError(shipFiles(target({ hostKey: { sha256: null, knownHosts: null } }), files, r.options));
    assert.match(error.message, /showed the host key ssh-ed25519 SHA256:\S+, and no host key is configured for it\. Fix: confirm that fingerprint with Plan2Learn, then put "SHA256:/);
    assert.ok(error.message.includes(server.hostKey.fingerprint));
    assert.match(error.message, /exporters\.plan2learn\.known_hosts_file/);
    assert.equal(r.retries(), 0);
  });

  it('accepts the host key listed in a known_hosts file, plain or hashed, and refuses a file listing another key', async () => {
    const path = join(localDir, 'known_hosts');
    writeFileSync(path, `# Plan2Learn\n${server.knownHostsLine()}\n`);
    const plain = run();
    await shipFiles(target({ hostKey: { sha256: null, knownHosts: { path, text: readFileSync(path, 'utf8') } } }), files, plain.options);
    assert.ok(plain.lines.some((l) => l.includes(`accepted: it matches ${path} (ssh-ed25519 ${server.hostKey.fingerprint})`)), plain.lines.join('\n'));
    execFileSync('ssh-keygen', ['-H', '-f', path], { stdio: 'pipe' });
    assert.match(readFileSync(path, 'utf8'), /^\|1\|/m);
    await shipFiles(target({ hostKey: { sha256: null, knownHosts: { path, text: readFileSync(path, 'utf8') } } }), files, run().options);

    const other = makeKeyPair(localDir, 'other-known');
    const wrong = `[127.0.0.1]:${server.port} ${other.publicLine.split(' ').slice(0, 2).join(' ')}\n`;
    const error = await shipError(shipFiles(target({ hostKey: { sha256: null, knownHosts: { path, text: wrong } } }), files, run().options));
    assert.match(error.message, new RegExp(`which is not the configured one \\(the keys ${escape(path)} lists for 127\\.0\\.0\\.1\\)`));
    assert.ok(error.message.includes(server.hostKey.fingerprint));
  });

  it('fails at once on a wrong password, without retrying and without showing it', async () => {
    const failed = server.logins().failed;
    const r = run();
    const error = await shipError(shipFiles(target({ password: 'not-the-Password-9' }), files, r.options));
    assert.match(error.message, /refused the login of user "moflowsftp" \(.*All configured authentication methods failed.*\): check exporters\.plan2learn\.user and exporters\.plan2learn\.password/);
    assert.equal(error.transient, false);
    assert.equal(r.retries(), 0);
    assert.equal(server.logins().failed - failed, 1, 'one login attempt');
    assert.ok(!`${error.message}\n${r.lines.join('\n')}`.includes('not-the-Password-9'));
  });

  it('fails at once on a wrong passphrase, naming the key settings and not the passphrase', async () => {
    const r = run();
    const error = await shipError(shipFiles(byKey({ privateKey: server.encryptedKey.privateKey, passphrase: 'not-the-phrase' }), files, r.options));
    assert.match(error.message, /the private key cannot be used: check exporters\.plan2learn\.private_key_file \(or exporters\.plan2learn\.private_key\) and exporters\.plan2learn\.private_key_passphrase/);
    assert.equal(r.retries(), 0);
    assert.ok(!error.message.includes('not-the-phrase'));
  });

  it('fails at once with the setting named when the folder does not exist, or may not be written', async () => {
    const missing = await shipError(shipFiles(target({ folder: join(server.root, 'ind') }), files, run().options));
    assert.match(missing.message, /refused entering folder ".*\/ind" \(.*No such file.*\): the folder does not exist or the SFTP user may not enter it; fix exporters\.plan2learn\.folder/);
    const r = run();
    const denied = await shipError(shipFiles(target({ folder: server.root }), files, r.options));
    assert.match(denied.message, /refused uploading bruger\.csv as \.bruger\.csv\.part-[0-9a-f]{8} \(.*Permission denied.*\): check the SFTP user's permissions/);
    assert.equal(r.retries(), 0);
  });

  it('removes the partial file of an upload cut off mid-transfer, never showing it under the final name, and completes', async () => {
    writeLocal('v5');
    const previous = readFileSync(join(server.uploadDir, 'engagement.csv'));
    const seenAtRetry: string[][] = [];
    let finalAtRetry: Buffer | null = null;
    let cut = false;
    const r = run({
      onProgress: (name, bytes, total) => {
        if (!cut && name === 'engagement.csv' && bytes > total / 3) cut = server.signalSessions() > 0;
      },
    });
    const log = r.options.log!;
    r.options.log = (line) => {
      if (/retrying/.test(line) && finalAtRetry === null) {
        seenAtRetry.push(remote());
        finalAtRetry = readFileSync(join(server.uploadDir, 'engagement.csv'));
      }
      log(line);
    };
    await shipFiles(target(), files, r.options);
    assert.ok(cut);
    assert.ok(r.retries() >= 1);
    assert.ok(r.lines.some((l) => /Shipping engagement\.csv to 127\.0\.0\.1:\d+ failed .*connection failed while uploading engagement\.csv/.test(l)), r.lines.join('\n'));
    assert.ok(r.lines.some((l) => /reconnecting/.test(l)));
    assert.ok(finalAtRetry !== null && previous.equals(finalAtRetry), 'engagement.csv was still the previous version when the upload broke');
    assert.ok(seenAtRetry[0]!.some((n) => /^\.engagement\.csv\.part-/.test(n)), `the partial upload was there: ${seenAtRetry[0]}`);
    assertArrived();
  });

  it('gives up on a session that hangs mid-upload after about the timeout, and completes on a new one', async () => {
    writeLocal('v5b');
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
    assert.ok(r.lines.some((l) => /Shipping engagement\.csv to .* failed .*did not answer within 1 s while (uploading engagement\.csv|checking the size)/.test(l)), r.lines.join('\n'));
    assertArrived();
  });

  it('reconnects and completes when the connection drops between two files', async () => {
    writeLocal('v6');
    const logins = server.logins().ok;
    let dropped = 0;
    const r = run({ onFileShipped: (f) => void (f.remoteName === 'bruger.csv' && (dropped = server.signalSessions())) });
    await shipFiles(byKey(), files, r.options);
    assert.ok(dropped > 0, 'a session was killed');
    assert.ok(r.retries() >= 1);
    assert.equal(server.logins().ok - logins, 2, 'the first connection, then one more');
    assertArrived();
  });

  it('rides out a server restart', async () => {
    writeLocal('v7');
    let restarted: Promise<void> | null = null;
    const r = run({
      retry: { retries: 10, minTimeoutMs: 100, maxTimeoutMs: 500 },
      onFileShipped: (f) => {
        if (f.remoteName !== 'organisation.csv') return;
        restarted = server.stop().then(() => new Promise((resolve) => setTimeout(resolve, 600))).then(() => server.start());
      },
    });
    await shipFiles(target(), files, r.options);
    await restarted;
    assert.ok(r.lines.some((l) => /ECONNREFUSED|refused connection/.test(l)), r.lines.join('\n'));
    assertArrived();
  });

  describe('a server that never answers', () => {
    const sockets = new Set<Socket>();
    let silent: Server | null = null;
    after(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
    });

    it('fails with a timeout error when the SSH greeting never comes, retried, within the timeouts', async () => {
      const port = await freePort();
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => silent!.listen(port, '127.0.0.1', resolve));
      const r = run({ retry: { retries: 1, minTimeoutMs: 50, maxTimeoutMs: 50 } });
      const started = Date.now();
      const error = await shipError(shipFiles(target({ port, timeoutMs: 800 }), files, r.options));
      const elapsed = Date.now() - started;
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port} did not answer within 0\\.8 s while connecting`));
      assert.match(error.message, /gave up after 2 attempts/);
      assert.ok(elapsed >= 1_600 && elapsed < 4_000, `${elapsed} ms`);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
