import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guidFilterValue, guidFromBytes, guidToBytes } from '../../src/ad/guid.js';

const bytes = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex');

describe('objectGUID', () => {
  // Microsoft's Guid.ToByteArray example (learn.microsoft.com, System.Guid.ToByteArray): the layout AD
  // stores objectGUID in and PowerShell's ObjectGUID prints.
  const published = { uuid: '35918bc9-196d-40ea-9779-889d79b753f0', wire: 'C9 8B 91 35 6D 19 EA 40 97 79 88 9D 79 B7 53 F0' };
  // Wikipedia's mixed-endian example (Universally unique identifier, "Encoding").
  const wikipedia = { uuid: '00112233-4455-6677-8899-aabbccddeeff', wire: '33 22 11 00 55 44 77 66 88 99 aa bb cc dd ee ff' };
  // First three groups reversed byte by byte, last two as they are.
  const computed = { uuid: '0c4f4ea4-7d12-404c-8d1f-2b476eb2b13c', wire: 'a4 4e 4f 0c 12 7d 4c 40 8d 1f 2b 47 6e b2 b1 3c' };

  for (const [name, pair] of Object.entries({ published, wikipedia, computed })) {
    it(`decodes and encodes the ${name} pair`, () => {
      assert.equal(guidFromBytes(bytes(pair.wire)), pair.uuid);
      assert.deepEqual(guidToBytes(pair.uuid), bytes(pair.wire));
    });
  }

  it('is not the plain RFC 4122 byte order', () => {
    const wire = bytes(published.wire);
    const naive = wire.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
    assert.notEqual(guidFromBytes(wire), naive);
  });

  it('accepts upper case and braces, always answers in lower case', () => {
    assert.deepEqual(guidToBytes(`{${published.uuid.toUpperCase()}}`), bytes(published.wire));
    assert.match(guidFromBytes(bytes(published.wire)), /^[0-9a-f-]{36}$/);
  });

  it('round-trips random values', () => {
    for (let i = 0; i < 200; i++) {
      const uuid = crypto.randomUUID();
      assert.equal(guidFromBytes(guidToBytes(uuid)), uuid);
    }
  });

  it('refuses values that are not 16 bytes or not a uuid', () => {
    assert.throws(() => guidFromBytes(Buffer.alloc(15)), /16 bytes, this value has 15/);
    assert.throws(() => guidToBytes('35918bc9-196d-40ea-9779'), /is not a uuid/);
  });

  it('escapes every byte for an LDAP filter', () => {
    assert.equal(guidFilterValue(published.uuid), '\\c9\\8b\\91\\35\\6d\\19\\ea\\40\\97\\79\\88\\9d\\79\\b7\\53\\f0');
  });
});
