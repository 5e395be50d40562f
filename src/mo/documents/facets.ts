// Facets: read by user_key (current), created only when bootstrapping an empty MO.
import { currentRead, mutation } from './spec.js';

export const FACET_FIELDS = 'uuid user_key';

export const readFacets = currentRead('MoFacets', 'facets', 'FacetFilter', FACET_FIELDS);

export const facetMutations = [mutation('facet', 'create', 'facet_create', 'FacetCreateInput')];
