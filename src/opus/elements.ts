// Turning one parsed `orgUnit`/`employee` element into a typed record, with the per-record checks of
// the reader (missing id, missing CPR, unknown action, unparsable dates). The SAX state machine lives in
// reader.ts; this module only knows the fields.
import { isWellFormedCpr } from '../util/cpr.js';
import { isCalendarDate } from './dumpName.js';
import type {
  Diagnostic,
  DiagnosticCode,
  DumpEntry,
  ElementName,
  Employment,
  OpusFunction,
  OrgUnit,
} from './records.js';

/** What the SAX layer collected for one element. */
export interface ElementDraft {
  element: ElementName;
  attributes: Record<string, string>;
  line: number;
  fields: Record<string, string | null>;
  functions: OpusFunction[];
  protectedAddress: boolean;
  /** The `suppId` attribute of `<cpr>`. */
  cprSuppId: string | null;
}

const UNIT_FIELDS = [
  'startDate', 'endDate', 'parentOrgUnit', 'shortName', 'longName', 'street', 'zipCode', 'city',
  'phoneNumber', 'cvrNr', 'eanNr', 'seNr', 'pNr', 'costCenter', 'orgType', 'orgTypeTxt',
] as const;

const EMPLOYEE_FIELDS = [
  'entryDate', 'leaveDate', 'cpr', 'firstName', 'lastName', 'address', 'postalCode', 'city', 'country',
  'workPhone', 'email', 'userId', 'workContract', 'workContractText', 'positionId', 'position',
  'positionShort', 'isManager', 'superiorLevel', 'subordinateLevel', 'orgUnit', 'payGradeText',
  'numerator', 'denominator',
] as const;

const KNOWN: Record<ElementName, ReadonlySet<string>> = {
  orgUnit: new Set(UNIT_FIELDS),
  employee: new Set(EMPLOYEE_FIELDS),
};

const UNIT_DATES = ['startDate', 'endDate'] as const;
const EMPLOYEE_DATES = ['entryDate', 'leaveDate'] as const;

export function buildRecord(draft: ElementDraft, file: string): DumpEntry {
  const id = draft.attributes.id?.trim() || null;
  const source = { file, line: draft.line };
  const problems: Diagnostic[] = [];
  const report = (code: DiagnosticCode, message: string) =>
    problems.push({ severity: 'error', code, file, line: draft.line, element: draft.element, opusId: id, message });

  if (id === null) report('MISSING_ID', `<${draft.element}> has no id attribute`);
  const lastChanged = draft.attributes.lastChanged?.trim() || null;
  if (lastChanged !== null && !isCalendarDate(lastChanged)) {
    report('BAD_DATE', `lastChanged="${lastChanged}" is not a date (YYYY-MM-DD)`);
  }

  let record: DumpEntry | null = null;
  if (draft.element === 'orgUnit') {
    checkDates(draft.fields, UNIT_DATES, report);
    record = unitRecord(draft, id ?? '', lastChanged, source);
  } else {
    const action = draft.attributes.action?.trim() || null;
    if (action === 'leave') {
      record = { kind: 'leave', id: id ?? '', client: draft.attributes.client ?? null, lastChanged, source };
    } else if (action !== null) {
      report('UNKNOWN_ACTION', `action="${action}" is unknown (only "leave" is)`);
    } else {
      checkDates(draft.fields, EMPLOYEE_DATES, report);
      draft.functions.forEach((fn, i) => {
        for (const key of ['startDate', 'endDate'] as const) {
          const value = fn[key];
          if (value !== null && !isCalendarDate(value)) {
            report('BAD_DATE', `function #${i + 1} ${key}="${value}" is not a date (YYYY-MM-DD)`);
          }
        }
      });
      const cpr = draft.fields.cpr ?? null;
      if (cpr === null) report('MISSING_CPR', 'the employment has no <cpr> and is not a leave stub (action="leave")');
      else if (!isWellFormedCpr(cpr)) report('BAD_CPR', 'the <cpr> is not 10 digits');
      record = employmentRecord(draft, id ?? '', lastChanged, cpr ?? '', source);
    }
  }

  if (problems.length > 0 || record === null) {
    return { kind: 'rejected', element: draft.element, id, source, diagnostics: problems };
  }
  return record;
}

function checkDates(
  fields: Record<string, string | null>,
  keys: readonly string[],
  report: (code: DiagnosticCode, message: string) => void,
): void {
  for (const key of keys) {
    const value = fields[key];
    if (value != null && !isCalendarDate(value)) report('BAD_DATE', `<${key}>${value}</${key}> is not a date (YYYY-MM-DD)`);
  }
}

function extras(draft: ElementDraft): Record<string, string | null> {
  const known = KNOWN[draft.element];
  const extra: Record<string, string | null> = {};
  for (const key in draft.fields) if (!known.has(key)) extra[key] = draft.fields[key] ?? null;
  return extra;
}

function unitRecord(draft: ElementDraft, id: string, lastChanged: string | null, source: OrgUnit['source']): OrgUnit {
  const f = draft.fields;
  return {
    kind: 'orgUnit',
    id,
    client: draft.attributes.client ?? null,
    lastChanged,
    startDate: f.startDate ?? null,
    endDate: f.endDate ?? null,
    parentOrgUnit: f.parentOrgUnit ?? null,
    shortName: f.shortName ?? null,
    longName: f.longName ?? null,
    street: f.street ?? null,
    zipCode: f.zipCode ?? null,
    city: f.city ?? null,
    phoneNumber: f.phoneNumber ?? null,
    cvrNr: f.cvrNr ?? null,
    eanNr: f.eanNr ?? null,
    seNr: f.seNr ?? null,
    pNr: f.pNr ?? null,
    costCenter: f.costCenter ?? null,
    orgType: f.orgType ?? null,
    orgTypeTxt: f.orgTypeTxt ?? null,
    extra: extras(draft),
    source,
  };
}

function employmentRecord(
  draft: ElementDraft,
  id: string,
  lastChanged: string | null,
  cpr: string,
  source: Employment['source'],
): Employment {
  const f = draft.fields;
  const isManager = f.isManager === 'true' ? true : f.isManager === 'false' ? false : null;
  return {
    kind: 'employment',
    id,
    client: draft.attributes.client ?? null,
    lastChanged,
    entryDate: f.entryDate ?? null,
    leaveDate: f.leaveDate ?? null,
    cpr,
    cprSuppId: draft.cprSuppId,
    firstName: f.firstName ?? null,
    lastName: f.lastName ?? null,
    address: draft.protectedAddress ? null : (f.address ?? null),
    addressProtected: draft.protectedAddress,
    postalCode: f.postalCode ?? null,
    city: f.city ?? null,
    country: f.country ?? null,
    workPhone: f.workPhone ?? null,
    email: f.email ?? null,
    userId: f.userId ?? null,
    workContract: f.workContract ?? null,
    workContractText: f.workContractText ?? null,
    positionId: f.positionId ?? null,
    position: f.position ?? null,
    positionShort: f.positionShort ?? null,
    isManager,
    superiorLevel: f.superiorLevel ?? null,
    subordinateLevel: f.subordinateLevel ?? null,
    orgUnit: f.orgUnit ?? null,
    payGradeText: f.payGradeText ?? null,
    numerator: f.numerator ?? null,
    denominator: f.denominator ?? null,
    functions: draft.functions,
    extra: extras(draft),
    source,
  };
}
