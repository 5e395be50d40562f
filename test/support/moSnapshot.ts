// MO's whole state as comparable text, for "ends in the same MO state" tests: every object with its full
// history, people keyed by CPR (their uuids are random unless AD or a CPR mapping gives one), and objects
// whose uuid derives from a person's uuid keyed by their content. Duplicates show up as extra lines.
// `contentOnly` keys every object by its content, for "restored as it was" checks where an object deleted by
// hand comes back under another uuid. Rolebindings name their IT user by person, IT system and user name, and
// are keyed by content: OS2MO gives a new rolebinding a uuid of its own (rolebinding_create ignores the one
// sent; the local MO does the same), so two MOs given the same writes hold them under different uuids.
import type { MoClient } from '../../src/mo/index.js';

export interface MoSnapshot {
  /** One sorted line per object, per kind. */
  kinds: Record<string, string[]>;
  /** Objects per kind. */
  counts: Record<string, number>;
}

export async function moSnapshot(client: MoClient, options: { contentOnly?: boolean } = {}): Promise<MoSnapshot> {
  const [units, persons, engagements, managers, addresses, itUsers, roleBindings] = await Promise.all([
    client.orgUnits.read({}, 'all'),
    client.persons.read({}, 'all'),
    client.engagements.read({}, 'all'),
    client.managers.read({}, 'all'),
    client.addresses.read({}, 'all'),
    client.itUsers.read({}, 'all'),
    client.roleBindings.read({}, 'all'),
  ]);
  const cprOf = new Map<string, string>();
  for (const p of persons) cprOf.set(p.uuid, `person:${p.validities[0]?.cprNumber ?? p.uuid}`);
  for (const u of itUsers) {
    const v = u.validities.at(-1)!;
    cprOf.set(u.uuid, `ituser:${v.personUuid ? cprOf.get(v.personUuid) : '-'}/${v.itSystemUuid}/${v.userKey}`);
  }
  const personal = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (uuid) => cprOf.get(uuid) ?? uuid);
  const line = (uuid: string | null, validities: unknown[]) => personal(`${options.contentOnly ? '-' : (uuid ?? '-')} ${JSON.stringify(validities)}`);
  const ownedByPerson = (v: { personUuid: string | null }[]) => v.some((s) => s.personUuid !== null);
  const kinds: Record<string, string[]> = {
    orgUnit: units.map((u) => line(u.uuid, u.validities)),
    person: persons.map((p) => line(null, p.validities)),
    engagement: engagements.map((e) => line(e.uuid, e.validities)),
    manager: managers.map((m) => line(m.uuid, m.validities)),
    // Addresses and IT users of a person get uuids derived from the person's uuid: compare their content.
    address: addresses.map((a) => line(ownedByPerson(a.validities) ? null : a.uuid, a.validities)),
    itUser: itUsers.map((u) => line(ownedByPerson(u.validities) ? null : u.uuid, u.validities)),
    // A rolebinding's uuid is MO's own (see above): compare their content.
    roleBinding: roleBindings.map((r) => line(null, r.validities)),
  };
  for (const lines of Object.values(kinds)) lines.sort();
  return { kinds, counts: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, v.length])) };
}
