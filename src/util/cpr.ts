// CPR numbers are personal data: anything that may reach a log shows only the birth date part.

/** `0101011234` → `010101-xxxx`; anything else is replaced entirely. */
export function maskCpr(cpr: string | null | undefined): string {
  if (!cpr) return '(no CPR)';
  const digits = cpr.replace(/\D/g, '');
  return digits.length >= 6 ? `${digits.slice(0, 6)}-xxxx` : 'xxxxxx-xxxx';
}

/**
 * Replaces every CPR-looking number (10 digits, optionally with a dash after 6) in a text. Digits glued to
 * letters are left alone, so hex in uuids and task queue names stays readable.
 */
export function maskCprsIn(text: string): string {
  return text.replace(/(?<![0-9A-Za-z])(\d{6})-?\d{4}(?![0-9A-Za-z])/g, '$1-xxxx');
}

export function isWellFormedCpr(cpr: string): boolean {
  return /^\d{10}$/.test(cpr);
}
