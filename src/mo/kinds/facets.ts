// Facets, classes' containers (org_unit_type, engagement_job_function, …).
import { type Day } from '../time.js';
import { mapFields, openValidity, type FieldNames } from './common.js';

export interface MoFacet {
  uuid: string;
  userKey: string;
}

export interface FacetFilter {
  uuids?: string[];
  userKeys?: string[];
}

export interface FacetCreate {
  uuid?: string;
  userKey: string;
  from?: Day | null;
  to?: Day | null;
}

interface RawFacet {
  uuid: string;
  current: { uuid: string; user_key: string } | null;
}

export const facetFilter = (f: FacetFilter) => ({ uuids: f.uuids, user_keys: f.userKeys });

export function mapFacets(objects: readonly RawFacet[]): MoFacet[] {
  const out: MoFacet[] = [];
  for (const o of objects) if (o.current) out.push({ uuid: o.uuid, userKey: o.current.user_key });
  return out;
}

const createNames: FieldNames<FacetCreate> = { uuid: 'uuid', userKey: 'user_key' };

export const facetInputs = {
  create: (i: FacetCreate) => ({ ...mapFields(i, createNames), validity: openValidity(i.from, i.to) }),
};
