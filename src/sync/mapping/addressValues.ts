// Address values as OPUS writes them, turned into what MO accepts for the address type's scope. A value
// MO would refuse is reported here, by the import, instead of failing the write.

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

/** MO's validators by address type scope (os2mo-api.md §2.5); null when the value passes. */
export function scopeProblem(scope: string, value: string): string | null {
  switch (scope) {
    case 'PHONE':
      return /^\+?\d+$/.test(value) ? null : 'is not a phone number (digits, optionally a leading +)';
    case 'EMAIL':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? null : 'is not an e-mail address';
    case 'EAN':
      return /^\d{13}$/.test(value) ? null : 'is not an EAN number (13 digits)';
    case 'PNUMBER':
      return /^\d{10}$/.test(value) ? null : 'is not a P-number (10 digits)';
    case 'DAR':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? null : 'is not a DAR address uuid';
    case 'WWW':
      return /^https?:\/\/\S+$/.test(value) ? null : 'is not a web address';
    default:
      return null;
  }
}
