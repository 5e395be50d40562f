// A municipality written into a MO (the local MO or the real OS2MO) through the MO client's write operations,
// for the golden tests of the export through the client (loadFromMo.test.ts) and of the CLI (cli.test.ts).
// Every date is either long past (≤ 2023) or far ahead (2099), so the expected files hold on any day in
// between — the CLI runs "today". MO lists objects in uuid order, which decides sibling, person, engagement,
// address and class order; the uuids say what they are: units aaaaaaaa-…, persons bbbbbbbb-…, classes
// cccccccc-…, addresses dddddddd-…, engagements eeeeeeee-…, managers ffffffff-…. The standard facets and
// classes (visibility, primary) are the MO's own, found by user_key: OS2MO-Init's uuids are not the local
// MO's. DAR address values 0a3f50a0-… are addresses of the DAR stand-in, the MO's own DAR.
import type { MoClient, MoOperation } from '../../src/mo/index.js';
import type { Plan2LearnOptions, Plan2LearnVariant } from '../../src/plan2learn/options.js';
import { DarServer, type DarAddressFields } from '../support/darServer.js';

const id = (prefix: string, n: number): string => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

// Classes of the municipality's own. Visibility and primary are the MO's standard ones (see standardClasses).
export const JF_PAEDAGOG = id('cccccccc', 1);
export const JF_UNUSED = id('cccccccc', 2);
export const JF_LAERER = id('cccccccc', 3);
export const JF_RETIRED = id('cccccccc', 4); // ended 2020: not a class valid today ("missing" job function)
export const ET_MAANED = id('cccccccc', 10);
export const ET_TIME = id('cccccccc', 11);
export const ET_OTHER = id('cccccccc', 12);
export const AT_EMAIL_WORK = id('cccccccc', 20);
export const AT_EMAIL_PRIVATE = id('cccccccc', 21);
export const AT_MOBILE = id('cccccccc', 22);
export const AT_PHONE_WORK = id('cccccccc', 23);
export const AT_PHONE_OTHER = id('cccccccc', 24);
export const AT_UNIT_DAR = id('cccccccc', 25);
export const AT_HOME = id('cccccccc', 26);
export const AT_UNIT_PHONE = id('cccccccc', 27);
const LVL_TOP = id('cccccccc', 40);
const LVL_DEEP = id('cccccccc', 41);
const LVL_DEPT = id('cccccccc', 42);
const R_BUDGET = id('cccccccc', 50);
const R_PERSONALE_VIBORG = id('cccccccc', 51);
const R_PERSONALELEDELSE = id('cccccccc', 52);
const R_ARBEJDSMILJO = id('cccccccc', 53);
const UNIT_TYPE = id('cccccccc', 60);
const MANAGER_TYPE = id('cccccccc', 61);
const MANAGER_LEVEL = id('cccccccc', 62);

// Units: Andeby Kommune → Skolen → Klasse 1A (too deep) → Hold; Andeby Kommune → Børnehuset.
export const U_ROOT = id('aaaaaaaa', 1);
export const U_SKOLE = id('aaaaaaaa', 2);
export const U_KLASSE = id('aaaaaaaa', 3);
export const U_HOLD = id('aaaaaaaa', 4);
export const U_BH = id('aaaaaaaa', 5);
export const U_OTHER = id('aaaaaaaa', 6); // another tree
export const U_FUTURE = id('aaaaaaaa', 7); // starts in 2099: not in today's tree

export const P_ANNA = id('bbbbbbbb', 1);
export const P_BO = id('bbbbbbbb', 2);
export const P_CARL = id('bbbbbbbb', 3); // no CPR
export const P_DORTE = id('bbbbbbbb', 4); // no CPR
export const P_EVA = id('bbbbbbbb', 5);
export const P_FINN = id('bbbbbbbb', 6);
export const P_GRETE = id('bbbbbbbb', 7);
export const P_HANS = id('bbbbbbbb', 8);
export const P_IDA = id('bbbbbbbb', 9);
export const P_KIRSTEN = id('bbbbbbbb', 11);
/** Every CPR number of the state: none may appear in a log line. */
export const CPRS = ['0101801234', '0202802345', '0303803456', '0404804567', '0505805678', '0606806789', '0707807890', '0909809012'];

export const E_ANNA_1 = id('eeeeeeee', 1);
export const E_ANNA_2 = id('eeeeeeee', 2);
export const E_BO = id('eeeeeeee', 3);
export const E_CARL = id('eeeeeeee', 4);
export const E_DORTE = id('eeeeeeee', 5);
export const E_HANS = id('eeeeeeee', 9);
export const E_KIRSTEN = id('eeeeeeee', 12);

export const M_ROOT_HANS = id('ffffffff', 1);
export const M_ROOT_ANNA = id('ffffffff', 2);
export const M_BH = id('ffffffff', 4);
export const M_HOLD = id('ffffffff', 6);

const A = (n: number): string => id('dddddddd', n);
const D = (n: number): string => `0a3f50a0-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The addresses DAR has (DAWA's fields; the MO names them "Vej 1, 2. th, Suppl. by, 8000 By"). */
const DAR_ADDRESSES: Record<string, DarAddressFields> = {
  [D(1)]: { vejnavn: 'Paradisæblevej', husnr: '1', postnr: '8880', postnrnavn: 'Andeby' },
  [D(2)]: { vejnavn: 'Gammel Vej', husnr: '9', postnr: '8880', postnrnavn: 'Andeby' },
  [D(3)]: { vejnavn: 'Skolevej', husnr: '2', postnr: '8000', postnrnavn: 'Aarhus C' },
  [D(4)]: { vejnavn: 'Augustenborggade', husnr: '5', etage: '5', dør: '3', supplerendebynavn: 'Kolt', postnr: '8000', postnrnavn: 'Aarhus C' },
  [D(5)]: { vejnavn: 'Vifdam', husnr: '20', etage: '1', dør: 'th', postnr: '6000', postnrnavn: 'Kolding' },
  [D(6)]: { vejnavn: 'Børnehusstien', husnr: '6', postnr: '8880', postnrnavn: 'Andeby' },
  [D(7)]: { vejnavn: 'Hjemvej', husnr: '3', etage: '2', dør: 'tv', postnr: '8880', postnrnavn: 'Andeby' },
};
/** Børnehuset's address: DAR had it when it was stored (OS2MO refuses a DAR uuid DAR does not have), and has withdrawn it since. */
export const UNRESOLVED_DAR = D(6);
/** Hans's home address: a person's DAR address is never read by the export, nor looked up. */
export const HOME_DAR = D(7);

/** The DAR stand-in with the state's addresses, to be the MO's DAR; writeMoGoldenState withdraws UNRESOLVED_DAR. */
export async function startGoldenDar(): Promise<DarServer> {
  const server = await DarServer.start();
  for (const [id, fields] of Object.entries(DAR_ADDRESSES)) server.know({ id, ...fields });
  return server;
}

/** The export's options for this state (settings.json holds the same in the CLI test). */
export function moGoldenOptions(variant: Plan2LearnVariant, today: string): Plan2LearnOptions {
  return {
    variant,
    today,
    rootUnitUuid: U_ROOT,
    allowedEngagementTypes: [ET_MAANED, ET_TIME],
    phonePriority: [AT_MOBILE, AT_PHONE_WORK],
    emailPriority: [AT_EMAIL_WORK],
    tooDeepLevels: ['NY1-niveau'],
  };
}

/** The facets the state's classes belong to, and the standard classes it uses: [facet, user_key]. */
const FACETS = ['engagement_job_function', 'engagement_type', 'employee_address_type', 'org_unit_address_type', 'org_unit_level', 'responsibility', 'org_unit_type', 'manager_type', 'manager_level', 'visibility', 'primary_type'];
const STANDARD_FACETS = ['visibility', 'primary_type'];

/**
 * The MO's facets and standard classes by user_key, as OS2MO-Init names them (both MOs start bootstrapped):
 * uuids of the MO's own, never the local MO's bootstrap uuids.
 */
async function standardClasses(client: MoClient): Promise<{ facet: (userKey: string) => string; cls: (facet: string, userKey: string) => string }> {
  const facets = new Map((await client.facets.read({ userKeys: FACETS })).map((f) => [f.userKey, f.uuid]));
  const facetOf = new Map([...facets].map(([userKey, uuid]) => [uuid, userKey]));
  const classes = await client.classes.read({ facetUserKeys: STANDARD_FACETS });
  const found = new Map(classes.map((c) => [`${facetOf.get(c.facetUuid)}|${c.userKey}`, c.uuid]));
  const named = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`the MO has no ${what}: the golden state needs a MO bootstrapped as OS2MO-Init leaves it`);
    return value;
  };
  return {
    facet: (userKey) => named(`facet ${userKey}`, facets.get(userKey)),
    cls: (facet, userKey) => named(`class ${userKey} in facet ${facet}`, found.get(`${facet}|${userKey}`)),
  };
}

/**
 * Writes the whole state through the client (classes, units, persons, engagements, addresses, managers);
 * the MO checks DAR values with `dar` (OS2MO does), which then withdraws UNRESOLVED_DAR and forgets the
 * requests so far: what the export asks DAR is what it counts afterwards.
 */
export async function writeMoGoldenState(client: MoClient, dar: DarServer): Promise<void> {
  const standard = await standardClasses(client);
  const facetUuid = standard.facet;
  const VIS_PUBLIC = standard.cls('visibility', 'Public');
  const VIS_SECRET = standard.cls('visibility', 'Secret');
  const VIS_INTERNAL = standard.cls('visibility', 'Intern');
  const PRIMARY = standard.cls('primary_type', 'primary');
  const NON_PRIMARY = standard.cls('primary_type', 'non-primary');
  const ops: MoOperation[] = [];
  const cls = (uuid: string, facet: string, userKey: string, name: string, scope: string | null = null, to: string | null = null) =>
    ops.push({ kind: 'class', action: 'create', input: { uuid, facetUuid: facetUuid(facet), userKey, name, scope, from: null, to } });
  cls(JF_PAEDAGOG, 'engagement_job_function', 'paedagog', 'Pædagog');
  cls(JF_UNUSED, 'engagement_job_function', 'ubrugt', 'Ubrugt');
  cls(JF_LAERER, 'engagement_job_function', 'laerer', 'Lærer "senior"');
  cls(JF_RETIRED, 'engagement_job_function', 'skolebetjent', 'Skolebetjent', null, '2020-01-01');
  cls(ET_MAANED, 'engagement_type', 'maaned', 'Månedsløn');
  cls(ET_TIME, 'engagement_type', 'time', 'Timeløn');
  cls(ET_OTHER, 'engagement_type', 'ulonnet', 'Ulønnet');
  cls(AT_EMAIL_WORK, 'employee_address_type', 'EmailArbejde', 'Email', 'EMAIL');
  cls(AT_EMAIL_PRIVATE, 'employee_address_type', 'EmailPrivat', 'Privat email', 'EMAIL');
  cls(AT_MOBILE, 'employee_address_type', 'Mobil', 'Mobil', 'PHONE');
  cls(AT_PHONE_WORK, 'employee_address_type', 'TelefonArbejde', 'Telefon', 'PHONE');
  cls(AT_PHONE_OTHER, 'employee_address_type', 'TelefonAnden', 'Anden telefon', 'PHONE');
  cls(AT_HOME, 'employee_address_type', 'Bopael', 'Bopælsadresse', 'DAR');
  cls(AT_UNIT_DAR, 'org_unit_address_type', 'AdressePostUnit', 'Postadresse', 'DAR');
  cls(AT_UNIT_PHONE, 'org_unit_address_type', 'TelefonUnit', 'Telefon', 'PHONE');
  cls(LVL_TOP, 'org_unit_level', 'N1', 'Niveau 1');
  cls(LVL_DEEP, 'org_unit_level', 'NY1', 'NY1-niveau');
  cls(LVL_DEPT, 'org_unit_level', 'Afd', 'Afdelings-niveau');
  cls(R_BUDGET, 'responsibility', 'budget', 'Budgetansvar');
  cls(R_PERSONALE_VIBORG, 'responsibility', 'personale', 'Personale: ansættelse/afskedigelse');
  cls(R_PERSONALELEDELSE, 'responsibility', 'personaleledelse', 'Personaleledelse');
  cls(R_ARBEJDSMILJO, 'responsibility', 'arbejdsmiljo', 'Arbejdsmiljø');
  cls(UNIT_TYPE, 'org_unit_type', 'afdeling', 'Afdeling');
  cls(MANAGER_TYPE, 'manager_type', 'leder', 'Leder');
  cls(MANAGER_LEVEL, 'manager_level', 'niveau1', 'Niveau 1');

  const unit = (uuid: string, name: string, parentUuid: string | null, level: string | null, from = '2000-01-01') =>
    ops.push({ kind: 'orgUnit', action: 'create', input: { uuid, name, parentUuid, unitTypeUuid: UNIT_TYPE, orgUnitLevelUuid: level, from } });
  unit(U_ROOT, 'Andeby Kommune', null, LVL_TOP);
  unit(U_SKOLE, 'Skolen', U_ROOT, LVL_DEPT);
  unit(U_KLASSE, 'Klasse 1A', U_SKOLE, LVL_DEEP);
  unit(U_HOLD, 'Hold "A"; morgen', U_KLASSE, LVL_DEPT); // quote and delimiter inside a field
  unit(U_BH, 'Børnehuset', U_ROOT, null); // no level: never too deep
  unit(U_OTHER, 'Anden Kommune', null, LVL_TOP);
  unit(U_FUTURE, 'Ny afdeling', U_ROOT, LVL_DEPT, '2099-01-01');

  const person = (uuid: string, givenName: string, surname: string, cprNumber: string | null) =>
    ops.push({ kind: 'person', action: 'create', input: { uuid, givenName, surname, cprNumber } });
  person(P_ANNA, 'Anna', 'Andersen', '0101801234');
  person(P_BO, 'Bo', 'Bæk', '0202802345');
  person(P_CARL, 'Carl', 'Christensen', null);
  person(P_DORTE, 'Dorte', 'Dam', null);
  person(P_EVA, 'Eva', 'Eriksen', '0303803456');
  person(P_FINN, 'Finn', 'Frost', '0404804567');
  person(P_GRETE, 'Grete', 'Gram', '0505805678');
  person(P_HANS, 'Hans', 'Hansen', '0606806789');
  person(P_IDA, 'Ida', 'Iversen', '0707807890');
  person(P_KIRSTEN, 'Kirsten', 'Krog', '0909809012');

  const engagement = (
    n: number,
    userKey: string,
    personUuid: string,
    orgUnitUuid: string,
    jobFunctionUuid: string,
    engagementTypeUuid: string,
    primary: boolean,
    from: string,
    to: string | null = null,
    extensions: (string | undefined)[] = [],
  ) =>
    ops.push({
      kind: 'engagement',
      action: 'create',
      input: { uuid: id('eeeeeeee', n), userKey, personUuid, orgUnitUuid, jobFunctionUuid, engagementTypeUuid, primaryUuid: primary ? PRIMARY : NON_PRIMARY, extensions, from, to },
    });
  // Anna started in Børnehuset in 2010 (summer: +02:00 for RSD) and moved to Skolen in 2020.
  engagement(1, 'AB-0042', P_ANNA, U_BH, JF_PAEDAGOG, ET_MAANED, true, '2010-08-01', null, ['Pædagog']);
  ops.push({ kind: 'engagement', action: 'update', input: { uuid: E_ANNA_1, orgUnitUuid: U_SKOLE, jobFunctionUuid: JF_LAERER, extensions: ['Lærer', undefined, 'Lærer (Viborg)'], from: '2020-01-01', to: null } });
  engagement(2, 'AB-0100', P_ANNA, U_BH, JF_PAEDAGOG, ET_TIME, false, '2023-01-01', null, ['Pædagogmedhjælper']);
  engagement(3, 'AB-7', P_BO, U_HOLD, JF_PAEDAGOG, ET_TIME, true, '2015-03-01', null, ['Pædagog (RSD)']);
  engagement(4, 'AB-0001', P_CARL, U_KLASSE, JF_LAERER, ET_MAANED, true, '2021-01-01', null, ['Vikar']);
  engagement(5, 'AB-0002', P_DORTE, U_BH, JF_PAEDAGOG, ET_MAANED, true, '2099-06-01', null, ['Leder']); // future
  engagement(6, 'AB-0003', P_EVA, U_SKOLE, JF_LAERER, ET_OTHER, true, '2018-01-01'); // type not exported
  engagement(7, 'AB-0004', P_FINN, U_OTHER, JF_LAERER, ET_MAANED, true, '2018-01-01'); // outside the root's tree
  engagement(8, 'AB-0005', P_GRETE, U_SKOLE, JF_LAERER, ET_MAANED, true, '2018-01-01', '2020-01-01'); // ended
  engagement(9, 'AB-0006', P_HANS, U_ROOT, JF_RETIRED, ET_MAANED, true, '2000-01-01', null, ['Skolebetjent']);
  engagement(10, 'AB-0007', P_IDA, U_FUTURE, JF_PAEDAGOG, ET_MAANED, true, '2099-01-01'); // future unit
  // Kirsten is unpaid today and on Månedsløn from August 2099.
  engagement(12, 'AB-0009', P_KIRSTEN, U_SKOLE, JF_PAEDAGOG, ET_OTHER, true, '2020-01-01', null, ['Praktikant']);
  ops.push({ kind: 'engagement', action: 'update', input: { uuid: E_KIRSTEN, engagementTypeUuid: ET_MAANED, extensions: ['Pædagog'], from: '2099-08-01', to: null } });

  const address = (n: number, owner: { personUuid: string } | { orgUnitUuid: string }, addressTypeUuid: string, value: string, visibilityUuid: string | null = null, from = '2019-01-01', to: string | null = null) =>
    ops.push({ kind: 'address', action: 'create', input: { uuid: A(n), ...owner, addressTypeUuid, value, visibilityUuid, from, to } });
  // Anna: a SECRET mobile (phones have no visibility filter) beats her newer public work phone by priority;
  // an ended mobile is not read. Her work e-mail is secret, so her public private one is the last resort.
  address(1, { personUuid: P_ANNA }, AT_MOBILE, '+4512345678', VIS_SECRET);
  address(2, { personUuid: P_ANNA }, AT_PHONE_WORK, '87654321', VIS_PUBLIC, '2023-01-01');
  address(3, { personUuid: P_ANNA }, AT_MOBILE, '+4500000000', null, '2019-01-01', '2020-01-01');
  address(4, { personUuid: P_ANNA }, AT_EMAIL_WORK, 'anna@andeby.dk', VIS_SECRET);
  address(5, { personUuid: P_ANNA }, AT_EMAIL_PRIVATE, 'anna@privat.dk', VIS_PUBLIC);
  // Bo: a work phone from 2099 is the newest; a type outside the priority list never counts; of two
  // public work e-mails the lower address uuid wins.
  address(6, { personUuid: P_BO }, AT_PHONE_WORK, '11111111', null, '2020-01-01');
  address(7, { personUuid: P_BO }, AT_PHONE_WORK, '22222222', null, '2099-07-01');
  address(8, { personUuid: P_BO }, AT_PHONE_OTHER, '33333333', null, '2099-09-01');
  address(9, { personUuid: P_BO }, AT_EMAIL_WORK, 'b.baek@andeby.dk', VIS_PUBLIC);
  address(10, { personUuid: P_BO }, AT_EMAIL_WORK, 'bo@andeby.dk', VIS_PUBLIC);
  address(11, { personUuid: P_DORTE }, AT_EMAIL_WORK, 'dorte@andeby.dk', VIS_INTERNAL); // internal is not public
  address(12, { personUuid: P_CARL }, AT_EMAIL_PRIVATE, 'carl@privat.dk'); // no visibility: public
  address(13, { personUuid: P_HANS }, AT_HOME, HOME_DAR); // a home address: the export never reads it, nor looks it up in DAR
  address(14, { personUuid: P_HANS }, AT_EMAIL_WORK, 'hans@andeby.dk', VIS_PUBLIC, '2099-01-01'); // future e-mail counts
  address(15, { personUuid: P_HANS }, AT_MOBILE, '+4511223344', VIS_PUBLIC);
  // Units: the plain shape; an ended address; the last of two (floor, door and a supplementary town
  // name); a unit phone; floor and door; a DAR address DAR has withdrawn since.
  address(20, { orgUnitUuid: U_ROOT }, AT_UNIT_DAR, D(1));
  address(21, { orgUnitUuid: U_ROOT }, AT_UNIT_DAR, D(2), null, '2010-01-01', '2020-01-01');
  address(22, { orgUnitUuid: U_SKOLE }, AT_UNIT_DAR, D(3));
  address(23, { orgUnitUuid: U_SKOLE }, AT_UNIT_DAR, D(4));
  address(24, { orgUnitUuid: U_SKOLE }, AT_UNIT_PHONE, '86000000');
  address(25, { orgUnitUuid: U_HOLD }, AT_UNIT_DAR, D(5));
  address(26, { orgUnitUuid: U_BH }, AT_UNIT_DAR, UNRESOLVED_DAR);

  const manager = (n: number, orgUnitUuid: string, personUuid: string | null, responsibilityUuids: string[], from = '2020-01-01', to: string | null = null) =>
    ops.push({ kind: 'manager', action: 'create', input: { uuid: id('ffffffff', n), orgUnitUuid, personUuid, managerTypeUuid: MANAGER_TYPE, managerLevelUuid: MANAGER_LEVEL, responsibilityUuids, from, to } });
  // A manager's responsibilities come back in uuid order from OS2MO (LoRa sorts a relation's targets), so
  // "the first" and "the last" below are the lowest and highest uuid; each list is written in that order.
  manager(1, U_ROOT, P_HANS, [R_BUDGET, R_PERSONALELEDELSE]);
  manager(2, U_ROOT, P_ANNA, [R_PERSONALE_VIBORG, R_ARBEJDSMILJO]);
  manager(3, U_ROOT, null, [R_BUDGET]); // vacant
  manager(4, U_BH, P_EVA, [R_BUDGET, R_ARBEJDSMILJO]);
  manager(5, U_KLASSE, P_CARL, [R_BUDGET]); // too-deep unit
  manager(6, U_HOLD, P_BO, []);
  manager(7, U_SKOLE, P_GRETE, [R_BUDGET], '2010-01-01', '2020-01-01'); // ended

  await client.write(ops);
  dar.forget(UNRESOLVED_DAR);
  dar.resetCounts();
}

/** One CSV record as DIPEX writes it: every field quoted, quotes doubled, ';' between, CRLF after. */
export function record(...fields: string[]): string {
  return `${fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(';')}\r\n`;
}

// The expected files. Each line is derived from plan2learn-spec.md (section given) or a deliberate fix.

// bruger.csv (§1.1): units in pre-order (Andeby Kommune, Skolen, Klasse 1A, Hold, Børnehuset), engagement
// slices valid today or later of an allowed type; a person once, at the first such unit. Klasse 1A is too
// deep but still counts here (§7.7); Kirsten counts for her 2099 Månedsløn slice; Anna's Børnehuset
// engagement finds her already listed. Persons without CPR are two rows, not one (fix of §7.6).
export const BRUGER_VIBORG =
  record('BrugerId', 'CPR', 'Navn', 'E-mail', 'Mobil', 'Stilling') +
  record(P_HANS, '0606806789', 'Hans Hansen', 'hans@andeby.dk', '+4511223344', '') + // job function not a class today
  record(P_ANNA, '0101801234', 'Anna Andersen', 'anna@privat.dk', '+4512345678', 'Lærer (Viborg)') + // extension_3
  record(P_KIRSTEN, '0909809012', 'Kirsten Krog', '', '', '') + // no exported engagement
  record(P_CARL, '', 'Carl Christensen', 'carl@privat.dk', '', '') + // engagement in a too-deep unit
  record(P_BO, '0202802345', 'Bo Bæk', 'b.baek@andeby.dk', '22222222', 'Pædagog') + // job function name
  record(P_DORTE, '', 'Dorte Dam', '', '', 'Pædagog'); // her future primary engagement

// RSD Stilling: extension_1 of today's engagement with the smallest user_key[3:] (any type, any unit).
export const BRUGER_RSD =
  record('BrugerId', 'CPR', 'Navn', 'E-mail', 'Mobil', 'Stilling') +
  record(P_HANS, '0606806789', 'Hans Hansen', 'hans@andeby.dk', '+4511223344', 'Skolebetjent') +
  record(P_ANNA, '0101801234', 'Anna Andersen', 'anna@privat.dk', '+4512345678', 'Lærer') + // "0042" < "0100"
  record(P_KIRSTEN, '0909809012', 'Kirsten Krog', '', '', 'Praktikant') + // today's type is not exported, still counts
  record(P_CARL, '', 'Carl Christensen', 'carl@privat.dk', '', 'Vikar') +
  record(P_BO, '0202802345', 'Bo Bæk', 'b.baek@andeby.dk', '22222222', 'Pædagog (RSD)') +
  record(P_DORTE, '', 'Dorte Dam', '', '', ''); // no engagement today

// organisation.csv (§1.2): Klasse 1A is left out, its child Hold is not (§7.13). The root is top level, so
// Parentid "". The DAR text valid today, split with floor/door kept and the town name dropped (fix of §7.12);
// DAR no longer knows Børnehuset's address: empty fields, not a crash.
export const ORGANISATION =
  record('AfdelingsID', 'Afdelingsnavn', 'Parentid', 'Gade', 'Postnr', 'By') +
  record(U_ROOT, 'Andeby Kommune', '', 'Paradisæblevej 1', '8880', 'Andeby') +
  record(U_SKOLE, 'Skolen', U_ROOT, 'Augustenborggade 5, 5. 3', '8000', 'Aarhus C') +
  record(U_HOLD, 'Hold "A"; morgen', U_KLASSE, 'Vifdam 20, 1. th', '6000', 'Kolding') +
  record(U_BH, 'Børnehuset', U_ROOT, '', '', '');

// engagement.csv (§1.3): persons in MO order, each engagement judged on its slice valid today (or its first
// future one): exported unit, allowed type. AktivStatus is always 1 (§7.4). Viborg start: "" once started.
const ENGAGEMENT_HEADER = record('EngagementId', 'BrugerId', 'AfdelingsId', 'AktivStatus', 'StillingskodeId', 'Primær', 'Engagementstype', 'StartdatoEngagement');
export const ENGAGEMENT_VIBORG =
  ENGAGEMENT_HEADER +
  record(E_ANNA_1, P_ANNA, U_SKOLE, '1', JF_LAERER, '1', 'Månedsløn', '') +
  record(E_ANNA_2, P_ANNA, U_BH, '1', JF_PAEDAGOG, '0', 'Timeløn', '') +
  record(E_BO, P_BO, U_HOLD, '1', JF_PAEDAGOG, '1', 'Timeløn', '') +
  record(E_DORTE, P_DORTE, U_BH, '1', JF_PAEDAGOG, '1', 'Månedsløn', '2099-06-01') +
  record(E_HANS, P_HANS, U_ROOT, '1', JF_RETIRED, '1', 'Månedsløn', '');

// RSD: Primær is is_primary (fix of §7.1); the start is the earliest from of the whole history as MO's
// DateTime at Copenhagen midnight (§1.3, §7.9).
export const ENGAGEMENT_RSD =
  ENGAGEMENT_HEADER +
  record(E_ANNA_1, P_ANNA, U_SKOLE, '1', JF_LAERER, '1', 'Månedsløn', '2010-08-01T00:00:00+02:00') +
  record(E_ANNA_2, P_ANNA, U_BH, '1', JF_PAEDAGOG, '0', 'Timeløn', '2023-01-01T00:00:00+01:00') +
  record(E_BO, P_BO, U_HOLD, '1', JF_PAEDAGOG, '1', 'Timeløn', '2015-03-01T00:00:00+01:00') +
  record(E_DORTE, P_DORTE, U_BH, '1', JF_PAEDAGOG, '1', 'Månedsløn', '2099-06-01T00:00:00+02:00') +
  record(E_HANS, P_HANS, U_ROOT, '1', JF_RETIRED, '1', 'Månedsløn', '2000-01-01T00:00:00+01:00');

// stillingskode.csv (§1.4): job functions valid today that an exported engagement uses, in MO's order;
// "Ubrugt" is unused and Skolebetjent ended in 2020 (Hans's StillingskodeId dangles, §7.15).
export const STILLINGSKODE =
  record('StillingskodeID', 'AktivStatus', 'Stillingskode', 'Stillingskode#') +
  record(JF_PAEDAGOG, '1', 'Pædagog', JF_PAEDAGOG) +
  record(JF_LAERER, '1', 'Lærer "senior"', JF_LAERER);

// leder.csv (§1.5): exported units in pre-order; vacant, ended and too-deep managers are left out.
// Viborg: one row per unit (the last manager); the hiring responsibility, else the last, else "Intet ansvar".
export const LEDER_VIBORG =
  record('BrugerId', 'AfdelingsID', 'AktivStatus', 'Titel') +
  record(P_ANNA, U_ROOT, '1', 'Personale: ansættelse/afskedigelse') + // hiring beats the last (Arbejdsmiljø)
  record(P_BO, U_HOLD, '1', 'Intet ansvar') +
  record(P_EVA, U_BH, '1', 'Arbejdsmiljø');

// RSD: every manager; "Personaleledelse" preferred (fix of §7.2), else the first responsibility, else "".
export const LEDER_RSD =
  record('BrugerId', 'AfdelingsID', 'AktivStatus', 'Titel', 'OrganisationsfunktionsUUID') +
  record(P_HANS, U_ROOT, '1', 'Personaleledelse', M_ROOT_HANS) +
  record(P_ANNA, U_ROOT, '1', 'Personale: ansættelse/afskedigelse', M_ROOT_ANNA) + // the first of hers
  record(P_BO, U_HOLD, '1', '', M_HOLD) +
  record(P_EVA, U_BH, '1', 'Budgetansvar', M_BH);

export const EXPECTED: Record<Plan2LearnVariant, Record<string, string>> = {
  Viborg: { 'bruger.csv': BRUGER_VIBORG, 'organisation.csv': ORGANISATION, 'engagement.csv': ENGAGEMENT_VIBORG, 'stillingskode.csv': STILLINGSKODE, 'leder.csv': LEDER_VIBORG },
  RSD: { 'bruger.csv': BRUGER_RSD, 'organisation.csv': ORGANISATION, 'engagement.csv': ENGAGEMENT_RSD, 'stillingskode.csv': STILLINGSKODE, 'leder.csv': LEDER_RSD },
};

/** The Plan2Learn settings (Viborg variant) under which the golden municipality gives the golden files. */
export const GOLDEN_VIBORG_SETTINGS = {
  'exporters.plan2learn.variant': 'Viborg',
  'exporters.plan2learn.root_unit': U_ROOT,
  'exporters.plan2learn.allowed_engagement_types': [ET_MAANED, ET_TIME],
  'plan2learn.phone.priority': [AT_MOBILE, AT_PHONE_WORK],
  'plan2learn.email.priority': [AT_EMAIL_WORK],
  'integrations.SD_Lon.import.too_deep': ['NY1-niveau'],
};
