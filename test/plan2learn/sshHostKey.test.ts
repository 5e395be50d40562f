// The host key check of the SFTP shipment on its own: fingerprints as ssh-keygen prints them, and OpenSSH's
// known_hosts rules (ports, wildcards, negation, hashed names, @revoked). The real server is in shipSftp.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkHostKey, fingerprintOf, keyTypeOf, knownAlgorithms } from '../../src/plan2learn/sshHostKey.js';
import { findExecutable } from '../support/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'moflow-hostkey-'));
/** A public key line and its blob, from ssh-keygen when there is one (else a fixed ed25519 key). */
function key(name: string): { line: string; blob: Buffer } {
  let line = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF7ilsQF6cV2IbzWMJ3fTu3IN2pU4pRG7IpVZRcOBvHb fixed';
  if (findExecutable('ssh-keygen')) {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name)], { stdio: 'pipe' });
    line = readFileSync(join(dir, `${name}.pub`), 'utf8').trim();
  }
  return { line, blob: Buffer.from(line.split(' ')[1]!, 'base64') };
}
const none = { sha256: null, knownHosts: null };
const known = (text: string) => ({ sha256: null, knownHosts: { path: '/etc/moflow/known_hosts', text } });

describe('the SFTP host key check', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  const server = key('server');
  const other = key('other');
  const [type, base64] = server.line.split(' ') as [string, string];

  it('prints fingerprints as ssh-keygen -lf does, and reads the key type from the blob', { skip: findExecutable('ssh-keygen') ? false : 'ssh-keygen not found (apt-get install openssh-client)' }, () => {
    writeFileSync(join(dir, 'check.pub'), `${server.line}\n`);
    const printed = execFileSync('ssh-keygen', ['-lf', join(dir, 'check.pub')], { encoding: 'utf8' }).split(' ')[1];
    assert.equal(fingerprintOf(server.blob), printed);
    assert.equal(keyTypeOf(server.blob), 'ssh-ed25519');
  });

  it('accepts the configured fingerprint (padding or not) and refuses anything else as unknown or changed', () => {
    const fp = fingerprintOf(server.blob);
    assert.deepEqual(checkHostKey({ sha256: `${fp}=`, knownHosts: null }, 'h', 22, server.blob), { accepted: true, by: `the configured fingerprint ${fp}` });
    assert.equal(checkHostKey(none, 'h', 22, server.blob).accepted, false);
    assert.deepEqual(checkHostKey(none, 'h', 22, server.blob), { accepted: false, why: 'unknown', seen: { type: 'ssh-ed25519', fingerprint: fp } });
    assert.equal((checkHostKey({ sha256: fingerprintOf(other.blob), knownHosts: null }, 'h', 22, server.blob) as { why: string }).why, 'changed');
  });

  it('follows known_hosts: [host]:port, wildcards, negation, hashed names, @revoked', () => {
    const accepted = (text: string, host = 'sftp.plan2learn.dk', port = 22) => checkHostKey(known(text), host, port, server.blob).accepted;
    assert.ok(accepted(`sftp.plan2learn.dk ${type} ${base64}`));
    assert.ok(!accepted(`sftp.plan2learn.dk ${type} ${base64}`, 'sftp.plan2learn.dk', 2222), 'another port is written [host]:port');
    assert.ok(accepted(`[sftp.plan2learn.dk]:2222 ${type} ${base64}`, 'sftp.plan2learn.dk', 2222));
    assert.ok(accepted(`other.dk,*.plan2learn.dk ${type} ${base64}`));
    assert.ok(!accepted(`*.plan2learn.dk,!sftp.plan2learn.dk ${type} ${base64}`));
    assert.ok(!accepted(`other.dk ${type} ${base64}`));
    assert.ok(!accepted(`@cert-authority sftp.plan2learn.dk ${type} ${base64}`));
    const verdict = checkHostKey(known(`sftp.plan2learn.dk ${type} ${base64}\n@revoked * ${type} ${base64}`), 'sftp.plan2learn.dk', 22, server.blob);
    assert.equal((verdict as { why: string }).why, 'revoked');
    const changed = checkHostKey(known(`sftp.plan2learn.dk ${other.line}`), 'sftp.plan2learn.dk', 22, server.blob);
    assert.equal((changed as { why: string }).why, 'changed');
    if (findExecutable('ssh-keygen')) {
      const file = join(dir, 'known_hosts');
      writeFileSync(file, `[sftp.plan2learn.dk]:2222 ${type} ${base64}\n`);
      execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'pipe' });
      const hashed = readFileSync(file, 'utf8');
      assert.match(hashed, /^\|1\|/);
      assert.ok(accepted(hashed, 'sftp.plan2learn.dk', 2222));
      assert.ok(!accepted(hashed, 'sftp.plan2learn.dk', 22));
    }
  });

  it('asks the server only for the key types known_hosts lists for it', () => {
    assert.deepEqual(knownAlgorithms(known(`h ${type} ${base64}\nh ssh-rsa AAAA`), 'h', 22), ['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.equal(knownAlgorithms(known(`other ${type} ${base64}`), 'h', 22), null);
    assert.equal(knownAlgorithms({ sha256: fingerprintOf(server.blob), knownHosts: null }, 'h', 22), null);
  });
});
