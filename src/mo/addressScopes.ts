// MO's checks of an address value by its address type's scope (mora/service/address_handler/*.py). The
// local MO enforces them and the import checks against them before writing, so the two cannot disagree.

export interface ScopeRule {
  valid(value: string): boolean;
  /** What a valid value is, for messages: "e-mail address". */
  what: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** pydantic's AnyHttpUrl, which MO uses: an http or https URL with a host (no dot required). */
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export const ADDRESS_SCOPE_RULES: Readonly<Record<string, ScopeRule>> = {
  // pydantic's EmailStr: a domain with a dot and no empty last label ("a@b.dk." is refused).
  EMAIL: { valid: (v) => /^[^@\s]+@[^@\s]+\.[^@\s.]+$/.test(v), what: 'e-mail address' },
  PHONE: { valid: (v) => /^\+?\d+$/.test(v), what: 'phone number (digits, optionally a leading +)' },
  EAN: { valid: (v) => /^\d{13}$/.test(v), what: 'EAN number (13 digits)' },
  PNUMBER: { valid: (v) => /^\d{10}$/.test(v), what: 'P-number (10 digits)' },
  DAR: { valid: (v) => UUID_RE.test(v), what: 'DAR address uuid' },
  WWW: { valid: isHttpUrl, what: 'web address (http:// or https://)' },
  TEXT: { valid: () => true, what: 'text' },
  MULTIFIELD_TEXT: { valid: () => true, what: 'text' },
  UUID: { valid: (v) => UUID_RE.test(v), what: 'uuid' },
};
