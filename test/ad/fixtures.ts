// AD-like test users as LDIF, and a slapd that serves them with AD's attribute names.
import { fileURLToPath } from 'node:url';
import { guidToBytes } from '../../src/ad/guid.js';
import { SlapdServer, type SlapdOptions } from '../support/slapd.js';

export const AD_SCHEMA = fileURLToPath(new URL('./ad.schema', import.meta.url));
export const USERS_OU = 'ou=Brugere';

export function startAdSlapd(options: Omit<SlapdOptions, 'schemas'> = {}): Promise<SlapdServer> {
  return SlapdServer.create({ ...options, schemas: [AD_SCHEMA] });
}

export interface FakeAdUser {
  /** Unique within the test directory. */
  sam: string;
  /** A uuid; stored as AD does, as 16 mixed-endian bytes. */
  guid?: string;
  /** Raw bytes for objectGUID, overriding `guid`. */
  guidBytes?: Buffer;
  /** Other attributes (employeeID, extensionAttribute1/2, …), written as given. */
  attrs?: Record<string, string | string[]>;
  /** Default `user`. */
  objectClass?: 'user' | 'computer';
  /** Default the Brugere OU. */
  ou?: string;
}

/** A uuid from a number, with asymmetric bytes so any byte-order mistake shows. */
export function testGuid(n: number): string {
  const hex = n.toString(16).padStart(8, '0');
  return `${hex}-a1b2-4c3d-9e8f-0a1b2c3d4e5f`;
}

export function ouLdif(suffix: string, ou = USERS_OU): string {
  const name = ou.replace(/^ou=/i, '');
  return `dn: ${ou},${suffix}\nobjectClass: organizationalUnit\nou: ${name}\n`;
}

export function usersLdif(suffix: string, users: readonly FakeAdUser[]): string {
  return users.map((u) => userLdif(suffix, u)).join('\n');
}

function userLdif(suffix: string, user: FakeAdUser): string {
  const lines = [
    `dn: cn=${user.sam},${user.ou ?? USERS_OU},${suffix}`,
    `objectClass: ${user.objectClass ?? 'user'}`,
    `cn: ${user.sam}`,
    `sn: ${user.sam}`,
    `sAMAccountName: ${user.sam}`,
  ];
  const guid = user.guidBytes ?? (user.guid ? guidToBytes(user.guid) : null);
  if (guid) lines.push(`objectGUID:: ${guid.toString('base64')}`);
  for (const [name, value] of Object.entries(user.attrs ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `count` users with CPRs 0101xx… derived from their number, CPR in `field`. */
export function manyUsers(count: number, field = 'extensionAttribute1', start = 0): FakeAdUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    return { sam: `u${n}`, guid: testGuid(n), attrs: { [field]: cprOf(n) } };
  });
}

/** A well-formed 10-digit CPR per number (day 01–28, month 01–12, serial from n). */
export function cprOf(n: number): string {
  const day = String((n % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(n / 28) % 12) + 1).padStart(2, '0');
  return `${day}${month}80${String(n).padStart(4, '0').slice(-4)}`;
}
