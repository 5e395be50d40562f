// Splitting a DAR address text into organisation.csv's Gade / Postnr / By.
//
// DAR writes an address as `<street> <no>[, <floor>.[ <door>]][, <supplementary town name>], <postcode> <city>`:
//   "Vifdam 20, 1. th, 6000 Kolding"
//   "Augustenborggade 5, 5. 3, Kolt, 8000 Aarhus C"
//   "Paradisæblevej 1, 8880 Andeby"
// DIPEX cut by position (`split(",")[1][1:5]`), which gives Postnr "1. t" for a floor and "Hasl" for a town
// name, and crashed the whole export on a name without a comma (a failed DAR look-up, "Ukendt"): spec §7.12.
// Here the floor and door stay on the street line (they are part of it on a letter), the supplementary town
// name is left out (Plan2Learn has no column for it, and it is neither the street nor the postal city), and a
// text that does not have that shape is "unresolved": all three fields empty.

export interface StreetPostcodeCity {
  street: string;
  postcode: string;
  city: string;
}

const EMPTY: StreetPostcodeCity = { street: '', postcode: '', city: '' };

const POSTCODE_CITY = /^(\d{4}) (\S.*)$/;
// Floor: st, kl, k2…k9 or 1–99, with a dot, optionally followed by a door (tv, th, mf, 1–9999, a1, 12b …).
// A door alone: tv, th, mf or a short number/letter code. All lower case; town names are capitalised.
const FLOOR_DOOR = /^(?:(?:st|kl|k\d|\d{1,2})\.(?: [0-9a-zæøå]{1,4})?|tv|th|mf|\d{1,4}|[a-zæøå]\d{1,3}|\d{1,3}[a-zæøå])$/;

/**
 * `null`/empty (the unit has no address) and an unresolved text both give three empty fields;
 * `resolved` tells them apart so the caller can report the latter.
 */
export function splitDarAddress(text: string | null): StreetPostcodeCity & { resolved: boolean } {
  if (text === null || text.trim() === '') return { ...EMPTY, resolved: true };
  const parts = text.split(',').map((p) => p.trim());
  const street = parts[0] ?? '';
  const postcodeCity = POSTCODE_CITY.exec(parts.at(-1) ?? '');
  const middle = parts.slice(1, -1);
  if (parts.length < 2 || street === '' || !postcodeCity || middle.length > 2 || middle.some((p) => p === '')) {
    return { ...EMPTY, resolved: false };
  }
  const floorDoor = middle[0] !== undefined && FLOOR_DOOR.test(middle[0]) ? middle[0] : null;
  // Two middle parts must be floor/door and then a town name; anything else is not a DAR address text.
  if (middle.length === 2 && floorDoor === null) return { ...EMPTY, resolved: false };
  return {
    street: floorDoor === null ? street : `${street}, ${floorDoor}`,
    postcode: postcodeCity[1]!,
    city: postcodeCity[2]!,
    resolved: true,
  };
}
