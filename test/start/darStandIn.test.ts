// npm start's DAR stand-in: moflow's DAR client cleanses the sample's addresses with it, and the look-up by
// uuid the local MO makes gives the DAR text Plan2Learn splits into street, postcode and city.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDarClient } from '../../src/dar/client.js';
import { nameFromDar } from '../../src/localmo/dar.js';
import { splitDarAddress } from '../../src/plan2learn/darAddress.js';
import { darFields, startDarStandIn, type DarStandIn } from '../../src/start/darStandIn.js';

describe('the DAR stand-in of npm start', () => {
  let dar: DarStandIn;
  before(async () => {
    dar = await startDarStandIn([
      { street: 'Skolevej 12', postcode: '6430', city: 'Nordborg' },
      { street: 'Havnegade 3B, 2. th', postcode: '6400', city: 'Sønderborg' },
      { street: 'Skolevej 12', postcode: '6430', city: 'Nordborg' }, // twice: one address
      { street: 'Postboks', postcode: '6400', city: 'Sønderborg' }, // no house number: DAR would not have it
    ]);
  });
  after(() => dar.stop());

  it('reads a dump address into DAWA fields', () => {
    assert.deepEqual(darFields({ street: 'Havnegade 3B, 2. th', postcode: '6400', city: 'Sønderborg' }), {
      vejnavn: 'Havnegade', husnr: '3B', etage: '2', dør: 'th', postnr: '6400', postnrnavn: 'Sønderborg',
    });
    assert.equal(darFields({ street: 'Postboks', postcode: '6400', city: 'Sønderborg' }), null);
    assert.equal(dar.size, 2);
  });

  it('cleanses what it knows (category A), misses the rest, and looks the uuid up as the local MO does', async () => {
    const client = createDarClient({ baseUrl: dar.url, retry: { retries: 0 } });
    const found = await client.lookUp('Havnegade 3B, 2. th', '6400');
    assert.equal(found.kind, 'found');
    assert.equal((await client.lookUp('Ukendtvej 1', '6400')).kind, 'miss');
    const uuid = (found as { uuid: string }).uuid;
    const again = await createDarClient({ baseUrl: dar.url }).lookUp('Havnegade 3B, 2. th', '6400');
    assert.equal((again as { uuid: string }).uuid, uuid, 'the uuid follows from the address: a second start finds the same');

    const list = (await (await fetch(`${dar.url}/adresser?id=${uuid}|00000000-0000-4000-8000-000000000000&struktur=mini&noformat=1`)).json()) as Record<string, unknown>[];
    assert.equal(list.length, 1);
    const text = nameFromDar(list[0]!);
    assert.equal(text, 'Havnegade 3B, 2. th, 6400 Sønderborg');
    assert.deepEqual(splitDarAddress(text), { street: 'Havnegade 3B, 2. th', postcode: '6400', city: 'Sønderborg', resolved: true });
    assert.equal((await fetch(`${dar.url}/adresser/${uuid}?struktur=mini`)).status, 200);
    assert.deepEqual(await (await fetch(`${dar.url}/historik/adresser?id=${uuid}&struktur=mini`)).json(), []);
  });
});
