// Address values as OPUS writes them, turned into what MO accepts for the address type's scope. A value
// MO would refuse is reported here, by the import, instead of failing the write.
import { ADDRESS_SCOPE_RULES } from '../../mo/addressScopes.js';

/**
 * DIPEX's parse_phone: 8 characters as they are; 9 or 11 with spaces removed; 4 or 5 prefixed "0000"
 * (so "12345" becomes "000012345"); anything else is not a phone number.
 */
export function parsePhone(phone: string): string | null {
  switch (phone.length) {
    case 8:
      return phone;
    case 9:
    case 11:
      return phone.replace(/ /g, '');
    case 4:
    case 5:
      return `0000${phone.replace(/ /g, '')}`;
    default:
      return null;
  }
}

/** Why MO would refuse the value for this address type scope (os2mo-api.md §2.5), or null when it passes. */
export function scopeProblem(scope: string, value: string): string | null {
  const rule = ADDRESS_SCOPE_RULES[scope];
  return !rule || rule.valid(value) ? null : `is not a valid ${rule.what}`;
}
