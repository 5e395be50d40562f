import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskCpr, maskCprsIn } from '../../src/util/cpr.js';

describe('CPR masking', () => {
  it('masks a CPR as its birth date and xxxx', () => {
    assert.equal(maskCpr('0101901234'), '010190-xxxx');
    assert.equal(maskCpr('010190-1234'), '010190-xxxx');
    assert.equal(maskCpr(null), '(no CPR)');
  });

  it('masks every CPR in a log line, with or without a dash', () => {
    assert.equal(maskCprsIn('person 0101901234 and 020280-4321.'), 'person 010190-xxxx and 020280-xxxx.');
    assert.equal(maskCprsIn('cpr=0101901234,'), 'cpr=010190-xxxx,');
  });

  it('leaves uuids, longer numbers and names with digits alone', () => {
    const uuid = 'queue nobody-295bae22-1268-4813-91aa-a4028923828b';
    assert.equal(maskCprsIn(uuid), uuid);
    assert.equal(maskCprsIn('ean 5798000012345'), 'ean 5798000012345');
    assert.equal(maskCprsIn('u1234567890x'), 'u1234567890x');
  });
});
