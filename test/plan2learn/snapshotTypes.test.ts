// The snapshot is filled from the MO client's reads as they are: this file stops type-checking (npm test runs
// tsc first) if the client's read types and the snapshot's drift apart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AddressSlice, EngagementSlice, ManagerSlice, MoClass, MoFacet, MoTemporal, OrgUnitSlice, PersonSlice } from '../../src/mo/index.js';
import type { MoSnapshot } from '../../src/plan2learn/snapshot.js';

/** What the loader will get from `client.facets.read()`, `client.classes.read()`, `client.orgUnits.read()` … */
interface ClientReads {
  facets: MoFacet[];
  classes: MoClass[];
  orgUnits: MoTemporal<OrgUnitSlice>[];
  persons: MoTemporal<PersonSlice>[];
  engagements: MoTemporal<EngagementSlice>[];
  addresses: MoTemporal<AddressSlice>[];
  managers: MoTemporal<ManagerSlice>[];
}

const asSnapshot = (reads: ClientReads): MoSnapshot => reads;

describe('MO snapshot types', () => {
  it('accept the MO client\'s read results unchanged', () => {
    const empty: ClientReads = { facets: [], classes: [], orgUnits: [], persons: [], engagements: [], addresses: [], managers: [] };
    assert.deepEqual(asSnapshot(empty), empty);
  });
});
