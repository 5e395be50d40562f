// Every document the client can send, in one place: the client looks mutations up here, and
// test/mo/documents.test.ts validates all of them (and batches of each) against OS2MO's schema.
import type { MoDocument } from '../transport.js';
import { addressMutations, readAddresses, readAddressesWithName } from './addresses.js';
import { batchDocument } from './batch.js';
import { classMutations, readClasses } from './classes.js';
import { engagementMutations, readEngagements } from './engagements.js';
import { facetMutations, readFacets } from './facets.js';
import { itSystemMutations, readItSystems } from './itSystems.js';
import { itUserMutations, readItUsers } from './itUsers.js';
import { managerMutations, readManagers } from './managers.js';
import { orgUnitMutations, readOrgUnits } from './orgUnits.js';
import { personMutations, readPersons } from './persons.js';
import { readRoleBindings, roleBindingMutations } from './roleBindings.js';
import type { MoAction, MoKind, MutationSpec, ReadDocument } from './spec.js';

export const READ_DOCUMENTS: readonly ReadDocument[] = [
  readFacets,
  readClasses,
  readItSystems,
  readOrgUnits,
  readPersons,
  readEngagements,
  readAddresses,
  readAddressesWithName,
  readManagers,
  readItUsers,
  readRoleBindings,
];

export const MUTATIONS: readonly MutationSpec[] = [
  ...facetMutations,
  ...classMutations,
  ...itSystemMutations,
  ...orgUnitMutations,
  ...personMutations,
  ...engagementMutations,
  ...addressMutations,
  ...managerMutations,
  ...itUserMutations,
  ...roleBindingMutations,
];

const byKindAction = new Map(MUTATIONS.map((m) => [`${m.kind}.${m.action}`, m]));

/** The mutation for a kind and action; throws for a combination MO (or the subset) does not offer. */
export function mutationSpec(kind: MoKind, action: MoAction): MutationSpec {
  const spec = byKindAction.get(`${kind}.${action}`);
  if (!spec) throw new Error(`OS2MO has no ${action} mutation for ${kind} in the subset moflow uses`);
  return spec;
}

/**
 * Every document the client can send: the reads, each mutation alone, each bulk mutation alone, and
 * batches of each mutation of 1 and 3 (singles and bulk) plus one batch mixing every mutation. Batches of
 * other shapes are built from the same pieces, so their validity follows.
 */
export function allDocuments(): MoDocument[] {
  const docs: MoDocument[] = [...READ_DOCUMENTS];
  for (const spec of MUTATIONS) {
    docs.push(spec.document);
    if (spec.bulkDocument) docs.push(spec.bulkDocument);
    for (const size of [1, 3]) {
      docs.push(batchDocument(Array.from({ length: size }, () => ({ spec, bulk: false }))));
      if (spec.bulkField) docs.push(batchDocument(Array.from({ length: size }, () => ({ spec, bulk: true }))));
    }
  }
  docs.push(batchDocument(MUTATIONS.flatMap((spec) => [{ spec, bulk: false }, ...(spec.bulkField ? [{ spec, bulk: true }] : [])])));
  return docs;
}
