import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitDarAddress } from '../../src/plan2learn/darAddress.js';

const split = (text: string | null) => splitDarAddress(text);
const ok = (street: string, postcode: string, city: string) => ({ street, postcode, city, resolved: true });
const unresolved = { street: '', postcode: '', city: '', resolved: false };

describe('DAR address → Gade / Postnr / By', () => {
  it('splits the plain shape as DIPEX did', () => {
    assert.deepEqual(split('Paradisæblevej 1, 8880 Andeby'), ok('Paradisæblevej 1', '8880', 'Andeby'));
    assert.deepEqual(split('Rådhuspladsen 2B, 8000 Aarhus C'), ok('Rådhuspladsen 2B', '8000', 'Aarhus C'));
  });

  it('keeps floor and door on the street line (DIPEX: Postnr "1. t", By "")', () => {
    assert.deepEqual(split('Vifdam 20, 1. th, 6000 Kolding'), ok('Vifdam 20, 1. th', '6000', 'Kolding'));
    assert.deepEqual(split('Havnegade 3, st., 5000 Odense C'), ok('Havnegade 3, st.', '5000', 'Odense C'));
    assert.deepEqual(split('Kældervej 4, kl. tv, 2100 København Ø'), ok('Kældervej 4, kl. tv', '2100', 'København Ø'));
    assert.deepEqual(split('Højhuset 1, 12. 1204, 2300 København S'), ok('Højhuset 1, 12. 1204', '2300', 'København S'));
  });

  it('leaves out a supplementary town name (DIPEX: Postnr "Hasl")', () => {
    assert.deepEqual(split('Vej 1, Hasle, 8210 Aarhus V'), ok('Vej 1', '8210', 'Aarhus V'));
    assert.deepEqual(split('Augustenborggade 5, 5. 3, Kolt, 8000 Aarhus C'), ok('Augustenborggade 5, 5. 3', '8000', 'Aarhus C'));
  });

  it('gives empty fields for a text that is not an address (DIPEX: IndexError for the whole export)', () => {
    assert.deepEqual(split('Ukendt'), unresolved); // failed DAR look-up
    assert.deepEqual(split('0a3f50a0-23c9-32b8-e044-0003ba298018'), unresolved); // MO without DAR: the uuid
    assert.deepEqual(split('Vej 1, Aarhus'), unresolved); // no postcode
    assert.deepEqual(split(', 8000 Aarhus C'), unresolved); // no street
    assert.deepEqual(split('Vej 1, Kolt, Hasle, 8000 Aarhus C'), unresolved); // two town names
  });

  it('a unit without an address has empty fields and is not "unresolved"', () => {
    assert.deepEqual(split(null), ok('', '', ''));
    assert.deepEqual(split(''), ok('', '', ''));
  });
});
