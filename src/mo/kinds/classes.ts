// Classes: the values of a facet (a job function, an address type with its scope, …).
import { type Day } from '../time.js';
import { mapFields, openValidity, type FieldNames } from './common.js';

export interface MoClass {
  uuid: string;
  userKey: string;
  name: string;
  /** For address types the validator (EMAIL, PHONE, DAR, …); for primary_type a number ("3000"). */
  scope: string | null;
  facetUuid: string;
  owner: string | null;
  itSystemUuid: string | null;
  parentUuid: string | null;
}

export interface ClassFilter {
  uuids?: string[];
  userKeys?: string[];
  /** Classes of the facets with these user_keys. */
  facetUserKeys?: string[];
}

export interface ClassCreate {
  uuid?: string;
  facetUuid: string;
  userKey: string;
  name: string;
  scope?: string | null;
  owner?: string | null;
  parentUuid?: string | null;
  itSystemUuid?: string | null;
  from?: Day | null;
  to?: Day | null;
}

/** class_update replaces the whole class over the interval: every field is written. */
export type ClassUpdate = ClassCreate & { uuid: string };

interface RawClass {
  uuid: string;
  current: {
    user_key: string;
    name: string;
    scope: string | null;
    facet_uuid: string;
    owner: string | null;
    it_system_uuid: string | null;
    parent_uuid: string | null;
  } | null;
}

export const classFilter = (f: ClassFilter) => ({
  uuids: f.uuids,
  user_keys: f.userKeys,
  facet: f.facetUserKeys && { user_keys: f.facetUserKeys },
});

export function mapClasses(objects: readonly RawClass[]): MoClass[] {
  const out: MoClass[] = [];
  for (const o of objects) {
    const c = o.current;
    if (!c) continue;
    out.push({
      uuid: o.uuid,
      userKey: c.user_key,
      name: c.name,
      scope: c.scope,
      facetUuid: c.facet_uuid,
      owner: c.owner,
      itSystemUuid: c.it_system_uuid,
      parentUuid: c.parent_uuid,
    });
  }
  return out;
}

const names: FieldNames<ClassCreate> = {
  uuid: 'uuid',
  facetUuid: 'facet_uuid',
  userKey: 'user_key',
  name: 'name',
  scope: 'scope',
  owner: 'owner',
  parentUuid: 'parent_uuid',
  itSystemUuid: 'it_system_uuid',
};

export const classInputs = {
  create: (i: ClassCreate) => ({ ...mapFields(i, names), validity: openValidity(i.from, i.to) }),
  update: (i: ClassUpdate) => ({ ...mapFields(i, names), validity: openValidity(i.from, i.to) }),
};
