// IT systems.
import { type Day } from '../time.js';
import { mapFields, openValidity, type FieldNames } from './common.js';

export interface MoItSystem {
  uuid: string;
  userKey: string;
  name: string;
}

export interface ItSystemFilter {
  uuids?: string[];
  userKeys?: string[];
}

export interface ItSystemCreate {
  uuid?: string;
  userKey: string;
  name: string;
  from?: Day | null;
  to?: Day | null;
}

interface RawItSystem {
  uuid: string;
  current: { user_key: string; name: string } | null;
}

export const itSystemFilter = (f: ItSystemFilter) => ({ uuids: f.uuids, user_keys: f.userKeys });

export function mapItSystems(objects: readonly RawItSystem[]): MoItSystem[] {
  const out: MoItSystem[] = [];
  for (const o of objects) if (o.current) out.push({ uuid: o.uuid, userKey: o.current.user_key, name: o.current.name });
  return out;
}

const names: FieldNames<ItSystemCreate> = { uuid: 'uuid', userKey: 'user_key', name: 'name' };

export const itSystemInputs = {
  create: (i: ItSystemCreate) => ({ ...mapFields(i, names), validity: openValidity(i.from, i.to) }),
};
