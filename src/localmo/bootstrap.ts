// What a fresh OS2MO has (os2mo-api.md §2.1): the root organisation (created by MO's own migration since
// 64.5.0) and the facets and default classes OS2MO-Init creates. UUIDs are derived from the names, so
// every local MO has the same ones; written through the normal write path, so they have registrations.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Data, KindName } from './kinds.js';
import { writeTimelines } from './store.js';

export const BOOTSTRAP_FACETS = [
  'org_unit_address_type',
  'employee_address_type',
  'manager_address_type',
  'visibility',
  'engagement_job_function',
  'engagement_type',
  'org_unit_type',
  'org_unit_level',
  'org_unit_hierarchy',
  'time_planning',
  'association_type',
  'role',
  'leave_type',
  'manager_type',
  'manager_level',
  'responsibility',
  'primary_type',
] as const;

/** [facet, user_key, name, scope] */
export const BOOTSTRAP_CLASSES: readonly (readonly [string, string, string, string | null])[] = [
  ['primary_type', 'primary', 'Primær', '3000'],
  ['primary_type', 'non-primary', 'Ikke-primær', '0'],
  ['primary_type', 'explicitly-primary', 'Manuelt primær', '5000'],
  ['visibility', 'Intern', 'Må vises internt', 'INTERNAL'],
  ['visibility', 'Public', 'Må vises eksternt', 'PUBLIC'],
  ['visibility', 'Secret', 'Hemmelig', 'SECRET'],
  ['employee_address_type', 'EmailEmployee', 'Email', 'EMAIL'],
  ['employee_address_type', 'PhoneEmployee', 'Telefon', 'PHONE'],
  ['employee_address_type', 'AdressePostEmployee', 'Postadresse', 'DAR'],
  ['org_unit_address_type', 'EmailUnit', 'Email', 'EMAIL'],
  ['org_unit_address_type', 'PhoneUnit', 'Telefon', 'PHONE'],
  ['leave_type', 'Orlov', 'Orlov', null],
];

const NAMESPACE = 'c3a2b2a4-54c4-4f4e-9b59-6d6f666c6f77';

/** RFC 4122 version-5 uuid of a name in moflow's bootstrap namespace. */
export function bootstrapUuid(name: string): string {
  const hash = createHash('sha1').update(Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex')).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const ROOT_ORGANISATION_UUID = bootstrapUuid('organisation:root');
export const facetUuid = (userKey: string): string => bootstrapUuid(`facet:${userKey}`);
export const classUuid = (facet: string, userKey: string): string => bootstrapUuid(`class:${facet}:${userKey}`);

export async function seedBootstrap(client: pg.PoolClient): Promise<void> {
  const always = (uuid: string, data: Data) => ({ uuid, action: 'create' as const, close: [], slices: [{ from: -Infinity, to: Infinity, active: true, data }] });
  const write = (kind: KindName, writes: ReturnType<typeof always>[]) => writeTimelines(client, kind, writes);
  await write('organisation', [always(ROOT_ORGANISATION_UUID, { user_key: 'root', name: 'Organisation' })]);
  await write(
    'facet',
    BOOTSTRAP_FACETS.map((userKey) => always(facetUuid(userKey), { user_key: userKey, published: 'Publiceret' })),
  );
  await write(
    'class',
    BOOTSTRAP_CLASSES.map(([facet, userKey, name, scope]) =>
      always(classUuid(facet, userKey), {
        user_key: userKey,
        name,
        scope,
        facet_uuid: facetUuid(facet),
        parent_uuid: null,
        owner: null,
        it_system_uuid: null,
        published: 'Publiceret',
        example: null,
        description: null,
      }),
    ),
  );
}
