import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { OpusUuids } from '../../src/sync/uuids.js';

// DIPEX's generate_uuid, verbatim from opus_helpers.py (spec §3.1), run by Python itself.
function dipexUuids(municipality: string, values: string[]): string[] {
  const script = [
    'import hashlib, json, sys, uuid',
    'base = uuid.UUID(hashlib.md5(sys.argv[1].encode()).hexdigest())',
    'print(json.dumps([str(uuid.UUID(hashlib.md5((str(base) + str(v)).encode()).hexdigest())) for v in json.loads(sys.argv[2])]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, municipality, JSON.stringify(values)], { encoding: 'utf8' }));
}

describe('OPUS uuids', () => {
  it('gives every unit the uuid DIPEX gives it', () => {
    const ids = ['1', '2', '350', '10003', 'Æblegård'];
    for (const municipality of ['Andeby Kommune', 'Aarhus Kommune', 'Kommune ø']) {
      const uuids = new OpusUuids(municipality);
      assert.deepEqual(ids.map((id) => uuids.unit(id)), dipexUuids(municipality, ids));
    }
  });

  it('matches a known DIPEX value', () => {
    assert.equal(new OpusUuids('Andeby Kommune').unit('1'), '0e9c456f-f2e6-0596-4442-1b4a66a6b168');
  });

  it('keeps kinds apart and is stable', () => {
    const a = new OpusUuids('Andeby Kommune');
    assert.notEqual(a.of('engagement', '1'), a.of('manager', '1'));
    assert.notEqual(a.of('engagement', '1'), a.unit('1'));
    assert.equal(a.of('engagement', '1'), new OpusUuids('Andeby Kommune').of('engagement', '1'));
    assert.notEqual(a.of('engagement', '1'), new OpusUuids('Bedeby Kommune').of('engagement', '1'));
  });
});
