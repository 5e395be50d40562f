// The CPR mapping rows of everybody in MO (DIPEX's exporters/cpr_uuid.py), so a re-import into an empty MO
// gives every person the uuid they have now. sam_account_name is the person's current "Active Directory"
// IT user, when there is one; ad_guid stays empty (MO does not hold it, and only mo_uuid is ever read).
import { findClass, type MoClient } from '../mo/index.js';
import { AD_IT_SYSTEM } from '../sync/mapping/itSystems.js';
import type { CprMapRow } from './format.js';

export async function cprMapRowsFromMo(client: MoClient): Promise<CprMapRow[]> {
  const [persons, systems] = await Promise.all([client.persons.read({}, 'all'), client.itSystems.read({})]);
  const ad = findClass(systems, AD_IT_SYSTEM, AD_IT_SYSTEM);
  const sam = new Map<string, string>();
  if (ad) {
    for (const user of await client.itUsers.read({ itSystemUuids: [ad.uuid] }, 'current')) {
      const person = user.validities[0]?.personUuid;
      if (person) sam.set(person, user.validities[0]!.userKey);
    }
  }
  const rows: CprMapRow[] = [];
  for (const person of persons) {
    const cpr = person.validities.findLast((v) => v.cprNumber)?.cprNumber;
    if (!cpr) continue;
    rows.push({ cpr, moUuid: person.uuid, adGuid: '', samAccountName: sam.get(person.uuid) ?? '' });
  }
  return rows.sort((a, b) => (a.cpr < b.cpr ? -1 : a.cpr > b.cpr ? 1 : 0));
}
