// The phone and e-mail choice (spec §1.1), with DIPEX's own test cases (spec §6: test_plan2learn_export_job.py
// and test_priority_by_class.py) and their uuids.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chosenEmail, chosenPhone } from '../../src/plan2learn/addressChoice.js';
import type { AddressSlice, MoSnapshot, Versioned } from '../../src/plan2learn/snapshot.js';
import { SnapshotIndex } from '../../src/plan2learn/snapshotIndex.js';

const PERSON = 'ffbe5804-cf13-450a-a41b-47865e355a15';
const T05B6 = '05b69443-0c9f-4d57-bb4b-a8c719afff89';
const TE75F = 'e75f74f5-cbc4-4661-b9f4-e6a9e05abb2d';
const TF376 = 'f376deb8-4743-4ca6-a047-3241de8fe9d2';
const T5A02 = '5a02f9c4-bb83-4ce5-b1ba-7289db912b0c';
const TC803 = 'c803d0c2-2ef7-460c-83c0-980c58bfa7ac';
const PUBLIC = '00000000-0000-4000-8000-0000000000a1';
const SECRET = '00000000-0000-4000-8000-0000000000a2';
const TODAY = '2024-05-15';

interface Spec {
  uuid: string;
  type: string;
  value?: string;
  visibility?: string | null;
  from?: string;
}

function indexOf(scope: 'PHONE' | 'EMAIL', specs: Spec[]): SnapshotIndex {
  const addresses: Versioned<AddressSlice>[] = specs.map((s) => ({
    uuid: s.uuid,
    validities: [
      {
        from: s.from ?? '2020-01-01',
        to: null,
        value: s.value ?? s.uuid,
        addressTypeUuid: s.type,
        visibilityUuid: s.visibility ?? null,
        personUuid: PERSON,
        orgUnitUuid: null,
      },
    ],
  }));
  const snapshot: MoSnapshot = {
    facets: [],
    classes: [
      ...[T05B6, TE75F, TF376, T5A02, TC803].map((uuid) => ({ uuid, name: uuid, scope, facetUuid: 'f' })),
      { uuid: PUBLIC, name: 'Public', scope: 'PUBLIC', facetUuid: 'v' },
      { uuid: SECRET, name: 'Secret', scope: 'SECRET', facetUuid: 'v' },
    ],
    orgUnits: [],
    persons: [],
    engagements: [],
    addresses,
    managers: [],
  };
  return new SnapshotIndex(snapshot, TODAY);
}

const addr = (n: number) => `dddddddd-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('phone choice (strict priority, no visibility filter, newest first)', () => {
  it('takes the address of the first type in the list (DIPEX test 1a–c)', () => {
    assert.equal(chosenPhone(indexOf('PHONE', [{ uuid: addr(1), type: T05B6, value: 'a' }]), PERSON, [T05B6, T05B6, T05B6]), 'a');
    assert.equal(chosenPhone(indexOf('PHONE', [{ uuid: addr(1), type: TE75F, value: 'b' }]), PERSON, [TE75F, T05B6]), 'b');
    assert.equal(chosenPhone(indexOf('PHONE', [{ uuid: addr(1), type: TF376, value: 'c' }]), PERSON, [TF376, TE75F, T05B6]), 'c');
  });

  it('never uses a type outside the list, and an empty list means no phone (DIPEX test 2b)', () => {
    const index = indexOf('PHONE', [{ uuid: addr(1), type: TE75F }]);
    assert.equal(chosenPhone(index, PERSON, [TF376, T05B6, TC803]), null);
    assert.equal(chosenPhone(index, PERSON, []), null);
  });

  it('list order beats input order (DIPEX test 2d)', () => {
    const index = indexOf('PHONE', [
      { uuid: addr(1), type: TC803, value: 'c803' },
      { uuid: addr(2), type: TF376, value: 'f376' },
      { uuid: addr(3), type: T5A02, value: '5a02' },
      { uuid: addr(4), type: T05B6, value: '05b6' },
    ]);
    assert.equal(chosenPhone(index, PERSON, [T05B6, T5A02, TC803]), '05b6');
  });

  it('exports a SECRET number, and of one type prefers the newest start, a future one too (§1.1, §7.11)', () => {
    const index = indexOf('PHONE', [
      { uuid: addr(1), type: T05B6, value: 'old', from: '2019-01-01' },
      { uuid: addr(2), type: T05B6, value: 'secret-new', from: '2024-06-01', visibility: SECRET },
    ]);
    assert.equal(chosenPhone(index, PERSON, [T05B6]), 'secret-new');
  });
});

describe('e-mail choice (public only, priority with fallback, lowest uuid)', () => {
  it('leaves out SECRET, keeps PUBLIC and unset visibility', () => {
    const index = indexOf('EMAIL', [
      { uuid: addr(1), type: T05B6, value: 'secret', visibility: SECRET },
      { uuid: addr(2), type: T05B6, value: 'public', visibility: PUBLIC },
    ]);
    assert.equal(chosenEmail(index, PERSON, [T05B6]), 'public');
    assert.equal(chosenEmail(indexOf('EMAIL', [{ uuid: addr(1), type: T05B6, value: 'unset' }]), PERSON, []), 'unset');
    assert.equal(chosenEmail(indexOf('EMAIL', [{ uuid: addr(1), type: T05B6, visibility: SECRET }]), PERSON, []), null);
  });

  it('with an empty or unknown priority, the lowest address uuid, whatever the input order', () => {
    const specs = [
      { uuid: addr(3), type: TE75F, value: 'three' },
      { uuid: addr(1), type: T05B6, value: 'one' },
      { uuid: addr(2), type: TF376, value: 'two' },
    ];
    for (const order of [specs, [...specs].reverse()]) {
      assert.equal(chosenEmail(indexOf('EMAIL', order), PERSON, []), 'one');
      assert.equal(chosenEmail(indexOf('EMAIL', order), PERSON, [TC803]), 'one');
    }
  });

  it('follows list order, the lowest uuid within a type, other types as a last resort', () => {
    const specs = [
      { uuid: addr(1), type: T05B6, value: 'a' },
      { uuid: addr(5), type: TE75F, value: 'e-high' },
      { uuid: addr(4), type: TE75F, value: 'e-low' },
    ];
    assert.equal(chosenEmail(indexOf('EMAIL', specs), PERSON, [TE75F, T05B6]), 'e-low');
    assert.equal(chosenEmail(indexOf('EMAIL', specs), PERSON, [T05B6, TE75F]), 'a');
    assert.equal(chosenEmail(indexOf('EMAIL', specs), PERSON, [TF376]), 'a');
  });

  it('a start date does not decide between addresses (§7.11)', () => {
    const index = indexOf('EMAIL', [
      { uuid: addr(2), type: T05B6, value: 'newer', from: '2024-01-01' },
      { uuid: addr(1), type: T05B6, value: 'older', from: '2001-01-01' },
    ]);
    assert.equal(chosenEmail(index, PERSON, [T05B6]), 'older');
  });
});
