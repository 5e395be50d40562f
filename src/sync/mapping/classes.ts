// Which MO classes the OPUS import uses, per facet (spec §3.2). A class is identified by its facet and
// user_key ("bvn"); the title is used for new classes and, like DIPEX, for matching an existing class by name.

export interface ClassRef {
  facet: string;
  userKey: string;
  name: string;
  scope: string;
}

const ref = (facet: string, userKey: string, name = userKey, scope = 'TEXT'): ClassRef => ({ facet, userKey, name, scope });

/** Unit type: `orgType` as user_key, `orgTypeTxt` as title; units without either are "Enhed". */
export function unitTypeClass(orgType: string | null, orgTypeTxt: string | null): ClassRef {
  return ref('org_unit_type', orgType ?? orgTypeTxt ?? 'Enhed', orgTypeTxt ?? orgType ?? 'Enhed');
}

export const UNIT_ADDRESS = {
  se: ref('org_unit_address_type', 'SE'),
  cvr: ref('org_unit_address_type', 'CVR'),
  ean: ref('org_unit_address_type', 'EAN', 'EAN', 'EAN'),
  pNumber: ref('org_unit_address_type', 'Pnummer', 'Pnummer', 'PNUMBER'),
  phone: ref('org_unit_address_type', 'Telefon', 'Telefon', 'PHONE'),
  postal: ref('org_unit_address_type', 'Adresse', 'Adresse', 'DAR'),
} as const;

export const EMPLOYEE_ADDRESS = {
  phone: ref('employee_address_type', 'Telefon', 'Telefon', 'PHONE'),
  email: ref('employee_address_type', 'Email', 'Email', 'EMAIL'),
  postal: ref('employee_address_type', 'Adresse', 'Adresse', 'DAR'),
} as const;

/** Employee postal addresses are visible internally only (DIPEX since 2023-01). */
export const INTERNAL_VISIBILITY = ref('visibility', 'Intern', 'Må vises internt', 'INTERNAL');

export const jobFunctionClass = (position: string): ClassRef => ref('engagement_job_function', position);

export const engagementTypeClass = (workContractText: string | null): ClassRef =>
  ref('engagement_type', workContractText ?? 'Ansat');

export const managerLevelClass = (superior: string | null, subordinate: string | null): ClassRef =>
  ref('manager_level', `${superior ?? ''}.${subordinate ?? ''}`);

export const managerTypeClass = (position: string): ClassRef => ref('manager_type', position);

export const RESPONSIBILITY = ref('responsibility', 'Lederansvar');

/** Facet primary_type (seed "Primær ansættelse"): the scopes make MO's is_primary (≥ 3000). */
export const PRIMARY_CLASSES = {
  primary: ref('primary_type', 'primary', 'Ansat', '3000'),
  nonPrimary: ref('primary_type', 'non-primary', 'Ikke-primær ansat', '0'),
  /** Set by hand in MO's GUI only; the import keeps it and never sets it. */
  explicit: ref('primary_type', 'explicitly-primary', 'Manuelt primær ansættelse', '5000'),
} as const;

/** An OPUS `function`'s role class: "artText - roleText", or artText alone (spec §3.6). */
export const roleClass = (artText: string, roleText: string | null): ClassRef => ref('role', roleText ? `${artText} - ${roleText}` : artText);

/** A stable key for a class reference, e.g. for deterministic uuids and look-up maps. */
export function classKey(c: Pick<ClassRef, 'facet' | 'userKey'>): string {
  return `${c.facet}/${c.userKey}`;
}

/** Every facet the import refers to, so MO's classes of them are read once per import. */
export function classFacetsUsed(): string[] {
  return [
    'org_unit_type',
    'org_unit_address_type',
    'employee_address_type',
    'visibility',
    'engagement_job_function',
    'engagement_type',
    'manager_level',
    'manager_type',
    'responsibility',
    'primary_type',
    'role',
  ];
}
