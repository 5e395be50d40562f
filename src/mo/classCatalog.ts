// DIPEX's ensure_class_in_facet (opus-import-spec.md §3.2): the first class of the facet whose name or
// user_key matches (case-insensitively) is used; when none does, one is created. A facet's classes are
// read once per client and kept up to date with what this client creates; creations in one facet are
// serialised, so two concurrent ensures of the same class create it once.
import type { ClassCreate, MoClass } from './kinds/classes.js';
import type { MoFacet } from './kinds/facets.js';

export interface ClassSpec {
  userKey: string;
  name: string;
  scope?: string | null;
  owner?: string | null;
  /** The uuid for a new class; MO picks one when absent. */
  uuid?: string;
}

export interface ClassCatalogSources {
  facet(userKey: string): Promise<MoFacet | null>;
  classesOf(facetUserKey: string): Promise<MoClass[]>;
  create(input: ClassCreate): Promise<string>;
}

export interface ClassCatalog {
  ensure(facetUserKey: string, spec: ClassSpec): Promise<MoClass>;
  /** Forget what was read, e.g. after classes were changed behind this client's back. */
  forget(): void;
}

/**
 * The first class whose name equals `name` or whose user_key equals `userKey`, ignoring case. Any list of
 * objects with a user_key and a name will do (IT systems are looked up the same way).
 */
export function findClass<T extends { userKey: string; name: string }>(classes: readonly T[], userKey: string, name: string): T | undefined {
  const key = userKey.toLowerCase();
  const title = name.toLowerCase();
  return classes.find((c) => c.name.toLowerCase() === title || c.userKey.toLowerCase() === key);
}

interface FacetState {
  facet: MoFacet;
  classes: MoClass[];
  /** Tail of this facet's queue of creations. */
  queue: Promise<unknown>;
}

export function createClassCatalog(sources: ClassCatalogSources): ClassCatalog {
  let facets = new Map<string, Promise<FacetState>>();

  function load(facetUserKey: string): Promise<FacetState> {
    let state = facets.get(facetUserKey);
    if (!state) {
      state = Promise.all([sources.facet(facetUserKey), sources.classesOf(facetUserKey)]).then(([facet, classes]) => {
        if (!facet) throw new Error(`OS2MO has no facet with user_key '${facetUserKey}'`);
        return { facet, classes, queue: Promise.resolve() };
      });
      // A failed read is not cached: the next ensure tries again.
      const loading = state;
      loading.catch(() => {
        if (facets.get(facetUserKey) === loading) facets.delete(facetUserKey);
      });
      facets.set(facetUserKey, loading);
    }
    return state;
  }

  return {
    async ensure(facetUserKey, spec) {
      const state = await load(facetUserKey);
      const known = findClass(state.classes, spec.userKey, spec.name);
      if (known) return known;
      const created = state.queue.then(async () => {
        const raced = findClass(state.classes, spec.userKey, spec.name);
        if (raced) return raced;
        const input: ClassCreate = {
          facetUuid: state.facet.uuid,
          userKey: spec.userKey,
          name: spec.name,
          scope: spec.scope ?? null,
          owner: spec.owner ?? null,
          ...(spec.uuid ? { uuid: spec.uuid } : {}),
        };
        const uuid = await sources.create(input);
        const made: MoClass = {
          uuid,
          userKey: spec.userKey,
          name: spec.name,
          scope: input.scope ?? null,
          facetUuid: state.facet.uuid,
          owner: input.owner ?? null,
          itSystemUuid: null,
          parentUuid: null,
        };
        state.classes.push(made);
        return made;
      });
      state.queue = created.catch(() => undefined);
      return created;
    },
    forget() {
      facets = new Map();
    },
  };
}
