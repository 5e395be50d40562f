// Active Directory's objectGUID is 16 raw bytes in Microsoft's GUID layout: Data1 (4 bytes), Data2 and
// Data3 (2 bytes each) little-endian, then Data4 (8 bytes) as is. The canonical text form prints every
// group big-endian, so the first three groups appear byte-reversed compared with the wire. This is what
// .NET's `new Guid(bytes)` does, and so what DIPEX got from PowerShell's `ObjectGUID`: the uuid a MO
// person was created with. Reading the bytes in order (as a plain RFC 4122 uuid) would give a different,
// wrong uuid for every person.

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Wire position of each byte of the canonical (big-endian) form: groups 1–3 reversed, 4–5 kept. */
const WIRE_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15] as const;

/** 16 objectGUID bytes → canonical lowercase uuid, e.g. `c9 8b 91 35 6d 19 ea 40 …` → `35918bc9-196d-40ea-…`. */
export function guidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error(`an objectGUID has 16 bytes, this value has ${bytes.length}`);
  const hex = WIRE_ORDER.map((i) => bytes[i]!.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Canonical uuid (any case, optional braces) → the 16 bytes AD stores as objectGUID. */
export function guidToBytes(uuid: string): Buffer {
  const text = uuid.trim().toLowerCase().replace(/^\{(.*)\}$/, '$1');
  if (!UUID_RE.test(text)) throw new Error(`"${uuid}" is not a uuid (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
  const canonical = Buffer.from(text.replaceAll('-', ''), 'hex');
  const wire = Buffer.alloc(16);
  WIRE_ORDER.forEach((from, to) => (wire[to] = canonical[from]!));
  return wire;
}

/**
 * The objectGUID of a uuid as an LDAP filter value (RFC 4515: every byte escaped as `\xx`), for
 * `(objectGUID=…)`. AD matches the raw bytes, so the text form of the uuid would never match.
 */
export function guidFilterValue(uuid: string): string {
  return [...guidToBytes(uuid)].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}
