// Sane bounds of OPUS fields. OPUS Løn's own fields are short (names 40–60 characters, ids 8–10 digits);
// the bounds leave room for that and more, but stop garbage before it reaches MO: a 25,000,000-character
// <firstName> once made every read of persons return 50 MB, and a 1,000,000-digit id reached PostgreSQL.

/** Characters kept of one field while parsing: enough to know it is too long, however long it really is. */
export const HARD_CAP = 4096;

/** Longest text of most fields (names, addresses, job titles, unit names). */
export const TEXT_CHARS = 200;

/** Fields with their own bound; every other field gets TEXT_CHARS. */
export const FIELD_CHARS: Readonly<Record<string, number>> = {
  phoneNumber: 20,
  workPhone: 20,
  email: 254, // RFC 5321's longest address
  cvrNr: 20,
  eanNr: 20,
  seNr: 20,
  pNr: 20,
  zipCode: 10,
  postalCode: 10,
  costCenter: 50,
  numerator: 20,
  denominator: 20,
  userId: 100,
};

/** An OPUS id (of a unit, an employment, a parent or an employment's unit): a number of at most 10 digits. */
export function isOpusId(value: string): boolean {
  return /^\d{1,10}$/.test(value) && !/^0+$/.test(value);
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A CPR number's first six digits are its holder's birth date (DDMMYY). Substitute numbers
 * (erstatningspersonnumre) add 60 to the day, so 61–91 is a day too.
 */
export function hasCprDate(cpr: string): boolean {
  const day = Number(cpr.slice(0, 2));
  const month = Number(cpr.slice(2, 4));
  if (month < 1 || month > 12) return false;
  const d = day > 60 ? day - 60 : day;
  return d >= 1 && d <= DAYS[month - 1]!;
}
