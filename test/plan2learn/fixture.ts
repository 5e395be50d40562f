// A hand-built MO snapshot for the golden tests: every rule of the spec that decides a byte is exercised by
// one named object. Today is 2024-05-15. Uuids say what they are: units aaaaaaaa-…, persons bbbbbbbb-…,
// classes cccccccc-…, addresses dddddddd-…, engagements eeeeeeee-…, managers ffffffff-…, facets 11111111-….
import type {
  AddressSlice,
  Day,
  EngagementSlice,
  ManagerSlice,
  MoClassRecord,
  MoSnapshot,
  OrgUnitSlice,
  PersonSlice,
  Versioned,
} from '../../src/plan2learn/snapshot.js';
import type { Plan2LearnOptions, Plan2LearnVariant } from '../../src/plan2learn/options.js';

export const TODAY = '2024-05-15';

const id = (prefix: string, n: number): string => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

// Facets
const F_JOB = id('11111111', 1);
const F_TYPE = id('11111111', 2);
const F_ADDR = id('11111111', 3);
const F_VIS = id('11111111', 4);
const F_LEVEL = id('11111111', 5);
const F_RESP = id('11111111', 6);

// Classes
export const JF_PAEDAGOG = id('cccccccc', 1);
export const JF_UNUSED = id('cccccccc', 2);
export const JF_LAERER = id('cccccccc', 3);
export const JF_RETIRED = id('cccccccc', 4); // not among today's classes
export const ET_MAANED = id('cccccccc', 10);
export const ET_TIME = id('cccccccc', 11);
export const ET_OTHER = id('cccccccc', 12);
export const AT_EMAIL_WORK = id('cccccccc', 20);
export const AT_EMAIL_PRIVATE = id('cccccccc', 21);
export const AT_MOBILE = id('cccccccc', 22);
export const AT_PHONE_WORK = id('cccccccc', 23);
export const AT_PHONE_OTHER = id('cccccccc', 24);
export const AT_DAR = id('cccccccc', 25);
export const VIS_PUBLIC = id('cccccccc', 30);
export const VIS_SECRET = id('cccccccc', 31);
export const VIS_INTERNAL = id('cccccccc', 32);
export const LVL_TOP = id('cccccccc', 40);
export const LVL_DEEP = id('cccccccc', 41);
export const LVL_DEPT = id('cccccccc', 42);
export const R_BUDGET = id('cccccccc', 50);
export const R_PERSONALE_VIBORG = id('cccccccc', 51);
export const R_PERSONALELEDELSE = id('cccccccc', 52);
export const R_ARBEJDSMILJO = id('cccccccc', 53);

// Units
export const U_ROOT = id('aaaaaaaa', 1);
export const U_SKOLE = id('aaaaaaaa', 2);
export const U_KLASSE = id('aaaaaaaa', 3); // too deep
export const U_HOLD = id('aaaaaaaa', 4); // child of the too-deep unit
export const U_BH = id('aaaaaaaa', 5);
export const U_OTHER = id('aaaaaaaa', 6); // outside the root's subtree
export const U_FUTURE = id('aaaaaaaa', 7); // starts after today

// Persons
export const P_ANNA = id('bbbbbbbb', 1);
export const P_BO = id('bbbbbbbb', 2);
export const P_CARL = id('bbbbbbbb', 3); // no CPR
export const P_DORTE = id('bbbbbbbb', 4); // no CPR
export const P_EVA = id('bbbbbbbb', 5);
export const P_FINN = id('bbbbbbbb', 6);
export const P_GRETE = id('bbbbbbbb', 7);
export const P_HANS = id('bbbbbbbb', 8);
export const P_IDA = id('bbbbbbbb', 9);
export const P_JENS = id('bbbbbbbb', 10); // person valid only from 2024-06-01
export const P_KIRSTEN = id('bbbbbbbb', 11);

// Engagements
export const E_ANNA_1 = id('eeeeeeee', 1);
export const E_ANNA_2 = id('eeeeeeee', 2);
export const E_BO = id('eeeeeeee', 3);
export const E_CARL = id('eeeeeeee', 4);
export const E_DORTE = id('eeeeeeee', 5);
export const E_EVA = id('eeeeeeee', 6);
export const E_FINN = id('eeeeeeee', 7);
export const E_GRETE = id('eeeeeeee', 8);
export const E_HANS = id('eeeeeeee', 9);
export const E_IDA = id('eeeeeeee', 10);
export const E_JENS = id('eeeeeeee', 11);
export const E_KIRSTEN = id('eeeeeeee', 12);

// Managers
export const M_ROOT_1 = id('ffffffff', 1);
export const M_ROOT_2 = id('ffffffff', 2);
export const M_ROOT_VACANT = id('ffffffff', 3);
export const M_BH = id('ffffffff', 4);
export const M_KLASSE = id('ffffffff', 5);
export const M_HOLD = id('ffffffff', 6);
export const M_SKOLE_OLD = id('ffffffff', 7);

// Addresses
export const A = (n: number): string => id('dddddddd', n);

const cls = (uuid: string, name: string, facetUuid: string, scope: string | null = null): MoClassRecord => ({ uuid, name, facetUuid, scope });

function unit(uuid: string, name: string, parentUuid: string | null, level: string | null, from: Day | null = '2000-01-01', to: Day | null = null): Versioned<OrgUnitSlice> {
  return { uuid, validities: [{ from, to, name, parentUuid, orgUnitLevelUuid: level }] };
}

function person(uuid: string, givenName: string, surname: string, cprNumber: string | null, from: Day | null = null): Versioned<PersonSlice> {
  return { uuid, validities: [{ from, to: null, givenName, surname, cprNumber }] };
}

type EngagementFields = Omit<EngagementSlice, 'from' | 'to' | 'extensions'> & { ext1?: string | null; ext3?: string | null };

function slice(from: Day | null, to: Day | null, f: EngagementFields): EngagementSlice {
  const { ext1 = null, ext3 = null, ...rest } = f;
  return { from, to, ...rest, extensions: [ext1, null, ext3, null, null, null, null, null, null, null] };
}

function engagement(uuid: string, ...validities: EngagementSlice[]): Versioned<EngagementSlice> {
  return { uuid, validities };
}

function address(
  uuid: string,
  owner: { personUuid: string } | { orgUnitUuid: string },
  addressTypeUuid: string,
  value: string,
  opts: { name?: string | null; visibility?: string | null; from?: Day | null; to?: Day | null } = {},
): Versioned<AddressSlice> {
  const personUuid = 'personUuid' in owner ? owner.personUuid : null;
  const orgUnitUuid = 'orgUnitUuid' in owner ? owner.orgUnitUuid : null;
  return {
    uuid,
    validities: [
      {
        from: opts.from ?? '2019-01-01',
        to: opts.to ?? null,
        value,
        name: opts.name === undefined ? value : opts.name,
        addressTypeUuid,
        visibilityUuid: opts.visibility ?? null,
        personUuid,
        orgUnitUuid,
      },
    ],
  };
}

function manager(uuid: string, orgUnitUuid: string, personUuid: string | null, responsibilityUuids: string[], from: Day = '2020-01-01', to: Day | null = null): Versioned<ManagerSlice> {
  return { uuid, validities: [{ from, to, personUuid, orgUnitUuid, responsibilityUuids }] };
}

export function goldenSnapshot(): MoSnapshot {
  return {
    facets: [
      { uuid: F_JOB, userKey: 'engagement_job_function' },
      { uuid: F_TYPE, userKey: 'engagement_type' },
      { uuid: F_ADDR, userKey: 'employee_address_type' },
      { uuid: F_VIS, userKey: 'visibility' },
      { uuid: F_LEVEL, userKey: 'org_unit_level' },
      { uuid: F_RESP, userKey: 'responsibility' },
    ],
    classes: [
      cls(JF_PAEDAGOG, 'Pædagog', F_JOB),
      cls(JF_UNUSED, 'Ubrugt', F_JOB),
      cls(JF_LAERER, 'Lærer "senior"', F_JOB),
      cls(ET_MAANED, 'Månedsløn', F_TYPE),
      cls(ET_TIME, 'Timeløn', F_TYPE),
      cls(ET_OTHER, 'Ulønnet', F_TYPE),
      cls(AT_EMAIL_WORK, 'Email', F_ADDR, 'EMAIL'),
      cls(AT_EMAIL_PRIVATE, 'Privat email', F_ADDR, 'EMAIL'),
      cls(AT_MOBILE, 'Mobil', F_ADDR, 'PHONE'),
      cls(AT_PHONE_WORK, 'Telefon', F_ADDR, 'PHONE'),
      cls(AT_PHONE_OTHER, 'Anden telefon', F_ADDR, 'PHONE'),
      cls(AT_DAR, 'Postadresse', F_ADDR, 'DAR'),
      cls(VIS_PUBLIC, 'Må vises eksternt', F_VIS, 'PUBLIC'),
      cls(VIS_SECRET, 'Hemmelig', F_VIS, 'SECRET'),
      cls(VIS_INTERNAL, 'Må vises internt', F_VIS, 'INTERNAL'),
      cls(LVL_TOP, 'Niveau 1', F_LEVEL),
      cls(LVL_DEEP, 'NY1-niveau', F_LEVEL),
      cls(LVL_DEPT, 'Afdelings-niveau', F_LEVEL),
      cls(R_BUDGET, 'Budgetansvar', F_RESP),
      cls(R_PERSONALE_VIBORG, 'Personale: ansættelse/afskedigelse', F_RESP),
      cls(R_PERSONALELEDELSE, 'Personaleledelse', F_RESP),
      cls(R_ARBEJDSMILJO, 'Arbejdsmiljø', F_RESP),
    ],
    // Snapshot order decides sibling order: the root's children are Skolen, then Børnehuset.
    orgUnits: [
      unit(U_SKOLE, 'Skolen', U_ROOT, LVL_DEPT),
      unit(U_HOLD, 'Hold "A"; morgen', U_KLASSE, LVL_DEPT),
      unit(U_ROOT, 'Andeby Kommune', null, LVL_TOP),
      unit(U_BH, 'Børnehuset', U_ROOT, null),
      unit(U_KLASSE, 'Klasse 1A', U_SKOLE, LVL_DEEP),
      unit(U_OTHER, 'Anden Kommune', null, LVL_TOP),
      unit(U_FUTURE, 'Ny afdeling', U_ROOT, LVL_DEPT, '2024-06-01'),
    ],
    persons: [
      person(P_ANNA, 'Anna', 'Andersen', '0101801234'),
      person(P_BO, 'Bo', 'Bæk', '0202802345'),
      person(P_CARL, 'Carl', 'Christensen', null),
      person(P_DORTE, 'Dorte', 'Dam', null),
      person(P_EVA, 'Eva', 'Eriksen', '0303803456'),
      person(P_FINN, 'Finn', 'Frost', '0404804567'),
      person(P_GRETE, 'Grete', 'Gram', '0505805678'),
      person(P_HANS, 'Hans', 'Hansen', '0606806789'),
      person(P_IDA, 'Ida', 'Iversen', '0707807890'),
      person(P_JENS, 'Jens', 'Jensen', '0808808901', '2024-06-01'),
      person(P_KIRSTEN, 'Kirsten', 'Krog', '0909809012'),
    ],
    engagements: [
      // Moved from Børnehuset to Skolen in 2020; the original start (RSD) is 2010-08-01 (summer time).
      engagement(
        E_ANNA_1,
        slice('2010-08-01', '2020-01-01', { userKey: 'AB-0042', personUuid: P_ANNA, orgUnitUuid: U_BH, jobFunctionUuid: JF_PAEDAGOG, engagementTypeUuid: ET_MAANED, isPrimary: true, ext1: 'Pædagog', ext3: null }),
        slice('2020-01-01', null, { userKey: 'AB-0042', personUuid: P_ANNA, orgUnitUuid: U_SKOLE, jobFunctionUuid: JF_LAERER, engagementTypeUuid: ET_MAANED, isPrimary: true, ext1: 'Lærer', ext3: 'Lærer (Viborg)' }),
      ),
      engagement(E_ANNA_2, slice('2023-01-01', null, { userKey: 'AB-0100', personUuid: P_ANNA, orgUnitUuid: U_BH, jobFunctionUuid: JF_PAEDAGOG, engagementTypeUuid: ET_TIME, isPrimary: false, ext1: 'Pædagogmedhjælper' })),
      engagement(E_BO, slice('2015-03-01', null, { userKey: 'AB-7', personUuid: P_BO, orgUnitUuid: U_HOLD, jobFunctionUuid: JF_PAEDAGOG, engagementTypeUuid: ET_TIME, isPrimary: true, ext1: 'Pædagog (RSD)' })),
      engagement(E_CARL, slice('2021-01-01', null, { userKey: 'AB-0001', personUuid: P_CARL, orgUnitUuid: U_KLASSE, jobFunctionUuid: null, engagementTypeUuid: ET_MAANED, isPrimary: true, ext1: 'Vikar' })),
      engagement(E_DORTE, slice('2024-06-01', null, { userKey: 'AB-0002', personUuid: P_DORTE, orgUnitUuid: U_BH, jobFunctionUuid: null, engagementTypeUuid: ET_MAANED, isPrimary: true, ext1: 'Leder' })),
      engagement(E_EVA, slice('2018-01-01', null, { userKey: 'AB-0003', personUuid: P_EVA, orgUnitUuid: U_SKOLE, jobFunctionUuid: JF_LAERER, engagementTypeUuid: ET_OTHER, isPrimary: true })),
      engagement(E_FINN, slice('2018-01-01', null, { userKey: 'AB-0004', personUuid: P_FINN, orgUnitUuid: U_OTHER, jobFunctionUuid: JF_LAERER, engagementTypeUuid: ET_MAANED, isPrimary: true })),
      // Ended yesterday: to is exclusive.
      engagement(E_GRETE, slice('2018-01-01', '2024-05-15', { userKey: 'AB-0005', personUuid: P_GRETE, orgUnitUuid: U_SKOLE, jobFunctionUuid: JF_LAERER, engagementTypeUuid: ET_MAANED, isPrimary: true })),
      // Ends today (last day 2024-05-15, to 2024-05-16): still exported.
      engagement(E_HANS, slice('2000-01-01', '2024-05-16', { userKey: 'AB-0006', personUuid: P_HANS, orgUnitUuid: U_ROOT, jobFunctionUuid: JF_RETIRED, engagementTypeUuid: ET_MAANED, isPrimary: true })),
      engagement(E_IDA, slice('2024-06-01', null, { userKey: 'AB-0007', personUuid: P_IDA, orgUnitUuid: U_FUTURE, jobFunctionUuid: JF_PAEDAGOG, engagementTypeUuid: ET_MAANED, isPrimary: true })),
      engagement(E_JENS, slice('2024-06-01', null, { userKey: 'AB-0008', personUuid: P_JENS, orgUnitUuid: U_SKOLE, jobFunctionUuid: JF_LAERER, engagementTypeUuid: ET_MAANED, isPrimary: true })),
      // Unpaid today, Månedsløn from August: bruger.csv looks at future slices, engagement.csv does not.
      engagement(
        E_KIRSTEN,
        slice('2020-01-01', '2024-08-01', { userKey: 'AB-0009', personUuid: P_KIRSTEN, orgUnitUuid: U_SKOLE, jobFunctionUuid: JF_PAEDAGOG, engagementTypeUuid: ET_OTHER, isPrimary: true, ext1: 'Praktikant' }),
        slice('2024-08-01', null, { userKey: 'AB-0009', personUuid: P_KIRSTEN, orgUnitUuid: U_SKOLE, jobFunctionUuid: JF_PAEDAGOG, engagementTypeUuid: ET_MAANED, isPrimary: true, ext1: 'Pædagog' }),
      ),
    ],
    addresses: [
      // Anna: the secret mobile is still exported (phone has no visibility filter); the newer mobile ended.
      address(A(1), { personUuid: P_ANNA }, AT_MOBILE, '+4512345678', { visibility: VIS_SECRET, from: '2019-01-01' }),
      address(A(2), { personUuid: P_ANNA }, AT_PHONE_WORK, '87654321', { visibility: VIS_PUBLIC, from: '2023-01-01' }),
      address(A(3), { personUuid: P_ANNA }, AT_MOBILE, '+4500000000', { from: '2024-01-01', to: '2024-05-01' }),
      // Anna: the work e-mail is secret, so the private one (not in the priority list) is the last resort.
      address(A(4), { personUuid: P_ANNA }, AT_EMAIL_WORK, 'anna@andeby.dk', { visibility: VIS_SECRET }),
      address(A(5), { personUuid: P_ANNA }, AT_EMAIL_PRIVATE, 'anna@privat.dk', { visibility: VIS_PUBLIC }),
      // Bo: a work phone starting in July beats the current one (newest start first, future included); a
      // phone type outside the priority list is never used.
      address(A(6), { personUuid: P_BO }, AT_PHONE_WORK, '11111111', { from: '2020-01-01' }),
      address(A(7), { personUuid: P_BO }, AT_PHONE_WORK, '22222222', { from: '2024-07-01' }),
      address(A(8), { personUuid: P_BO }, AT_PHONE_OTHER, '33333333', { from: '2024-09-01' }),
      // Bo: two public work e-mails: the lower address uuid wins, whatever the order.
      address(A(10), { personUuid: P_BO }, AT_EMAIL_WORK, 'bo@andeby.dk', { visibility: VIS_PUBLIC }),
      address(A(9), { personUuid: P_BO }, AT_EMAIL_WORK, 'b.baek@andeby.dk', { visibility: VIS_PUBLIC }),
      // Dorte: an internal e-mail is not public.
      address(A(11), { personUuid: P_DORTE }, AT_EMAIL_WORK, 'dorte@andeby.dk', { visibility: VIS_INTERNAL }),
      // Carl: a public e-mail of a type outside the list, no visibility set.
      address(A(12), { personUuid: P_CARL }, AT_EMAIL_PRIVATE, 'carl@privat.dk'),
      // Units. The root: the plain "street no, postcode city" shape; an old address no longer valid.
      address(A(20), { orgUnitUuid: U_ROOT }, AT_DAR, '0a3f50a0-0000-4000-8000-000000000001', { name: 'Paradisæblevej 1, 8880 Andeby' }),
      address(A(21), { orgUnitUuid: U_ROOT }, AT_DAR, '0a3f50a0-0000-4000-8000-000000000002', { name: 'Gammel Vej 9, 8880 Andeby', to: '2024-01-01' }),
      // Skolen: two DAR addresses, the last one counts: floor, door and a supplementary town name.
      address(A(22), { orgUnitUuid: U_SKOLE }, AT_DAR, '0a3f50a0-0000-4000-8000-000000000003', { name: 'Skolevej 2, 8000 Aarhus C' }),
      address(A(23), { orgUnitUuid: U_SKOLE }, AT_DAR, '0a3f50a0-0000-4000-8000-000000000004', { name: 'Augustenborggade 5, 5. 3, Kolt, 8000 Aarhus C' }),
      address(A(24), { orgUnitUuid: U_SKOLE }, AT_PHONE_WORK, '86000000'),
      // Hold: floor and door (DIPEX gave Postnr "1. t").
      address(A(25), { orgUnitUuid: U_HOLD }, AT_DAR, '0a3f50a0-0000-4000-8000-000000000005', { name: 'Vifdam 20, 1. th, 6000 Kolding' }),
      // Børnehuset: the DAR look-up failed (DIPEX crashed with IndexError).
      address(A(26), { orgUnitUuid: U_BH }, AT_DAR, '0a3f50a0-0000-4000-8000-000000000006', { name: 'Ukendt' }),
    ],
    managers: [
      manager(M_ROOT_1, U_ROOT, P_HANS, [R_BUDGET, R_PERSONALELEDELSE]),
      // In uuid order the first is Personale: RSD's "else the first" (the export sorts by uuid: OS2MO's order is not fixed).
      manager(M_ROOT_2, U_ROOT, P_ANNA, [R_PERSONALE_VIBORG, R_ARBEJDSMILJO]),
      manager(M_ROOT_VACANT, U_ROOT, null, [R_BUDGET]),
      manager(M_BH, U_BH, P_EVA, [R_BUDGET, R_ARBEJDSMILJO]),
      manager(M_KLASSE, U_KLASSE, P_CARL, [R_BUDGET]),
      manager(M_HOLD, U_HOLD, P_BO, []),
      manager(M_SKOLE_OLD, U_SKOLE, P_GRETE, [R_BUDGET], '2010-01-01', '2024-01-01'),
    ],
  };
}

export function goldenOptions(variant: Plan2LearnVariant, overrides: Partial<Plan2LearnOptions> = {}): Plan2LearnOptions {
  return {
    variant,
    today: TODAY,
    rootUnitUuid: U_ROOT,
    allowedEngagementTypes: [ET_MAANED, ET_TIME],
    phonePriority: [AT_MOBILE, AT_PHONE_WORK],
    emailPriority: [AT_EMAIL_WORK],
    tooDeepLevels: ['NY1-niveau'],
    ...overrides,
  };
}

/** One CSV record as DIPEX writes it: every field quoted, quotes doubled, ';' between, CRLF after. */
export function record(...fields: string[]): string {
  return `${fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(';')}\r\n`;
}
