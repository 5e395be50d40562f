// Turning one parsed `orgUnit`/`employee` element into a typed record, with the per-record checks of
// the reader (missing id, missing CPR, unknown action, unparsable dates). The SAX state machine lives in
// reader.ts; this module only knows the fields.
import { isWellFormedCpr, maskCpr } from '../util/cpr.js';
import { FIELD_CHARS, hasCprDate, isOpusId, TEXT_CHARS } from './bounds.js';
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
import { cut } from './records.js';

/** What the SAX layer collected for one element. */
export interface ElementDraft {
  element: ElementName;
  attributes: Record<string, string>;
  line: number;
  /** Values of the known fields, by slot (see `fieldSlot`); `undefined` when the element was absent. */
  values: (string | null | undefined)[];
  /** Child elements this model does not know. */
  extra: Record<string, string | null> | null;
  functions: OpusFunction[];
  protectedAddress: boolean;
  /** The `suppId` attribute of `<cpr>`. */
  cprSuppId: string | null;
  /** The real length of fields the reader cut at HARD_CAP characters while parsing. */
  lengths: Record<string, number> | null;
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

// Field values are kept in arrays by slot while parsing: far cheaper than objects with dynamic keys on
// the hot path (a 200 MB dump has millions of fields).
const SLOTS: Record<ElementName, ReadonlyMap<string, number>> = {
  orgUnit: new Map(UNIT_FIELDS.map((name, i) => [name, i])),
  employee: new Map(EMPLOYEE_FIELDS.map((name, i) => [name, i])),
};

const NAMES: Record<ElementName, readonly string[]> = { orgUnit: UNIT_FIELDS, employee: EMPLOYEE_FIELDS };

/**
 * The slot of a known field, or -1 for a field the model does not know. OPUS writes fields in a fixed
 * order, so the slots after the previous one are tried first: comparing two strings is much cheaper
 * than hashing every freshly parsed name for a map lookup.
 */
export function fieldSlot(element: ElementName, name: string, previousSlot: number): number {
  const names = NAMES[element];
  if (names[previousSlot + 1] === name) return previousSlot + 1;
  if (names[previousSlot + 2] === name) return previousSlot + 2;
  return SLOTS[element].get(name) ?? -1;
}

export function newDraftValues(element: ElementName): (string | null | undefined)[] {
  return new Array(element === 'orgUnit' ? UNIT_FIELDS.length : EMPLOYEE_FIELDS.length);
}

type UnitField = (typeof UNIT_FIELDS)[number];
type EmployeeField = (typeof EMPLOYEE_FIELDS)[number];
const U = Object.fromEntries(UNIT_FIELDS.map((n, i) => [n, i])) as Record<UnitField, number>;
const E = Object.fromEntries(EMPLOYEE_FIELDS.map((n, i) => [n, i])) as Record<EmployeeField, number>;

/** Bounds of the known fields by slot, so the hot path looks up no names. */
const BOUNDS: Record<ElementName, number[]> = {
  orgUnit: UNIT_FIELDS.map((n) => FIELD_CHARS[n] ?? TEXT_CHARS),
  employee: EMPLOYEE_FIELDS.map((n) => FIELD_CHARS[n] ?? TEXT_CHARS),
};

/**
 * The record of one element, or a rejection with every reason. `decodedBadBytes`: the decoder has met bytes
 * it could not decode (U+FFFD) somewhere in the file so far; only then are texts searched for them.
 */
export function buildRecord(draft: ElementDraft, file: string, decodedBadBytes = true): DumpEntry {
  const rawId = draft.attributes.id?.trim() || null;
  // An id that is no OPUS id names nothing: the record is rejected without one (a negative id was once
  // planned as a new object, a 1,000,000-digit one sent to PostgreSQL).
  const id = rawId !== null && isOpusId(rawId) ? rawId : null;
  const source = { file, line: draft.line };
  const problems: Diagnostic[] = [];
  if (rawId === null) report(problems, draft, id, 'MISSING_ID', `<${draft.element}> has no id attribute`);
  else if (id === null) report(problems, draft, id, 'BAD_VALUE', `id="${cut(rawId)}" is not an OPUS id (a positive number of at most 10 digits)`);
  const lastChanged = draft.attributes.lastChanged?.trim() || null;
  if (lastChanged !== null && !isCalendarDate(lastChanged)) {
    report(problems, draft, id, 'BAD_DATE', `lastChanged="${cut(lastChanged)}" is not a date (YYYY-MM-DD)`);
  }
  checkFields(problems, draft, id, decodedBadBytes);

  let record: DumpEntry | null = null;
  const v = draft.values;
  if (draft.element === 'orgUnit') {
    const start = v[U.startDate];
    const end = v[U.endDate];
    checkDate(problems, draft, id, 'startDate', start);
    checkDate(problems, draft, id, 'endDate', end);
    if (start && end && isCalendarDate(start) && isCalendarDate(end) && end < start) {
      report(problems, draft, id, 'BAD_PERIOD', `the unit ends (endDate ${end}) before it starts (startDate ${start})`);
    }
    const parent = v[U.parentOrgUnit];
    if (parent != null && !isOpusId(parent)) {
      report(problems, draft, id, 'BAD_VALUE', `<parentOrgUnit>${cut(parent)}</parentOrgUnit> is not an OPUS id`);
    } else if (parent != null && parent === id) {
      report(problems, draft, id, 'BAD_PARENT', `the unit is its own parent (<parentOrgUnit>${parent}</parentOrgUnit>)`);
    }
    record = unitRecord(draft, id ?? '', lastChanged, source);
  } else {
    const action = draft.attributes.action?.trim() || null;
    if (action === 'leave') {
      record = { kind: 'leave', id: id ?? '', client: draft.attributes.client ?? null, lastChanged, source };
    } else if (action !== null) {
      report(problems, draft, id, 'UNKNOWN_ACTION', `action="${cut(action)}" is unknown (only "leave" is)`);
    } else {
      checkDate(problems, draft, id, 'entryDate', v[E.entryDate]);
      checkDate(problems, draft, id, 'leaveDate', v[E.leaveDate]);
      for (let i = 0; i < draft.functions.length; i++) {
        const fn = draft.functions[i]!;
        checkDate(problems, draft, id, `function #${i + 1} startDate`, fn.startDate, true);
        checkDate(problems, draft, id, `function #${i + 1} endDate`, fn.endDate, true);
      }
      const cpr = v[E.cpr] ?? null;
      if (cpr === null) {
        report(problems, draft, id, 'MISSING_CPR', 'the employment has no <cpr> and is not a leave stub (action="leave")');
      } else if (!isWellFormedCpr(cpr)) {
        report(problems, draft, id, 'BAD_CPR', 'the <cpr> is not 10 digits');
      } else if (!hasCprDate(cpr)) {
        report(problems, draft, id, 'BAD_CPR', `the <cpr> ${maskCpr(cpr)} does not start with a birth date (DDMMYY)`);
      }
      const manager = v[E.isManager];
      if (manager != null && manager !== 'true' && manager !== 'false') {
        report(problems, draft, id, 'BAD_VALUE', `<isManager>${cut(manager)}</isManager> is neither true nor false`);
      }
      const unitId = v[E.orgUnit];
      if (unitId != null && !isOpusId(unitId)) report(problems, draft, id, 'BAD_VALUE', `<orgUnit>${cut(unitId)}</orgUnit> is not an OPUS id`);
      record = employmentRecord(draft, id ?? '', lastChanged, cpr ?? '', source);
    }
  }

  if (problems.length > 0 || record === null) {
    return { kind: 'rejected', element: draft.element, id, source, diagnostics: problems };
  }
  return record;
}

/** Every text of the element within its bound and decoded cleanly; the CPR is checked on its own (and never shown). */
function checkFields(problems: Diagnostic[], draft: ElementDraft, id: string | null, utf8: boolean): void {
  const names = NAMES[draft.element];
  const bounds = BOUNDS[draft.element];
  const values = draft.values;
  for (let slot = 0; slot < values.length; slot++) {
    const value = values[slot];
    // The common case first: a short clean value (a cut field's length is over HARD_CAP, so it is never short).
    if (value == null || (value.length <= bounds[slot]! && !utf8)) continue;
    const name = names[slot]!;
    // A protected address is never shown, not even cut.
    const hidden = name === 'address' && draft.protectedAddress;
    if (name !== 'cpr') checkText(problems, draft, id, name, value, `<${name}>`, utf8, bounds[slot], hidden);
  }
  if (draft.extra) for (const name in draft.extra) checkText(problems, draft, id, name, draft.extra[name], `<${name}>`, utf8);
  for (let i = 0; i < draft.functions.length; i++) {
    const fn = draft.functions[i]!;
    checkText(problems, draft, id, 'artText', fn.artText, `function #${i + 1} <artText>`, utf8);
    checkText(problems, draft, id, 'roleText', fn.roleText, `function #${i + 1} <roleText>`, utf8);
  }
  for (const name in draft.attributes) {
    if (name !== 'id') checkText(problems, draft, id, name, draft.attributes[name], `the ${name} attribute`, utf8);
  }
}

function checkText(
  problems: Diagnostic[],
  draft: ElementDraft,
  id: string | null,
  name: string,
  value: string | null | undefined,
  what: string,
  utf8: boolean,
  bound = FIELD_CHARS[name] ?? TEXT_CHARS,
  hidden = false,
): void {
  if (value == null) return;
  const length = draft.lengths?.[name] ?? value.length;
  if (length > bound) {
    const shown = hidden ? '' : `: "${cut(value, length)}"`;
    report(problems, draft, id, 'TOO_LONG', `${what} has ${length} characters, more than the ${bound} it may hold${shown}`);
  } else if (utf8 && value.includes('\uFFFD')) {
    const shown = hidden ? '' : ` (shown as \uFFFD: "${cut(value)}")`;
    report(problems, draft, id, 'INVALID_UTF8', `${what} holds bytes that are not UTF-8${shown}; the file declares UTF-8: fix the text in OPUS or the file's encoding`);
  }
}

function report(problems: Diagnostic[], draft: ElementDraft, id: string | null, code: DiagnosticCode, message: string): void {
  problems.push({ severity: 'error', code, file: '', line: draft.line, element: draft.element, opusId: id, message });
}

function checkDate(
  problems: Diagnostic[],
  draft: ElementDraft,
  id: string | null,
  what: string,
  value: string | null | undefined,
  attribute = false,
): void {
  if (value == null || isCalendarDate(value)) return;
  const shown = attribute ? `${what}="${cut(value)}"` : `<${what}>${cut(value)}</${what}>`;
  report(problems, draft, id, 'BAD_DATE', `${shown} is not a date (YYYY-MM-DD)`);
}

function unitRecord(draft: ElementDraft, id: string, lastChanged: string | null, source: OrgUnit['source']): OrgUnit {
  const v = draft.values;
  return {
    kind: 'orgUnit',
    id,
    client: draft.attributes.client ?? null,
    lastChanged,
    startDate: v[U.startDate] ?? null,
    endDate: v[U.endDate] ?? null,
    parentOrgUnit: v[U.parentOrgUnit] ?? null,
    shortName: v[U.shortName] ?? null,
    longName: v[U.longName] ?? null,
    street: v[U.street] ?? null,
    zipCode: v[U.zipCode] ?? null,
    city: v[U.city] ?? null,
    phoneNumber: v[U.phoneNumber] ?? null,
    cvrNr: v[U.cvrNr] ?? null,
    eanNr: v[U.eanNr] ?? null,
    seNr: v[U.seNr] ?? null,
    pNr: v[U.pNr] ?? null,
    costCenter: v[U.costCenter] ?? null,
    orgType: v[U.orgType] ?? null,
    orgTypeTxt: v[U.orgTypeTxt] ?? null,
    extra: draft.extra ?? {},
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
  const v = draft.values;
  const manager = v[E.isManager];
  const isManager = manager === 'true' ? true : manager === 'false' ? false : null;
  return {
    kind: 'employment',
    id,
    client: draft.attributes.client ?? null,
    lastChanged,
    entryDate: v[E.entryDate] ?? null,
    leaveDate: v[E.leaveDate] ?? null,
    cpr,
    cprSuppId: draft.cprSuppId,
    firstName: v[E.firstName] ?? null,
    lastName: v[E.lastName] ?? null,
    address: draft.protectedAddress ? null : (v[E.address] ?? null),
    addressProtected: draft.protectedAddress,
    postalCode: v[E.postalCode] ?? null,
    city: v[E.city] ?? null,
    country: v[E.country] ?? null,
    workPhone: v[E.workPhone] ?? null,
    email: v[E.email] ?? null,
    userId: v[E.userId] ?? null,
    workContract: v[E.workContract] ?? null,
    workContractText: v[E.workContractText] ?? null,
    positionId: v[E.positionId] ?? null,
    position: v[E.position] ?? null,
    positionShort: v[E.positionShort] ?? null,
    isManager,
    superiorLevel: v[E.superiorLevel] ?? null,
    subordinateLevel: v[E.subordinateLevel] ?? null,
    orgUnit: v[E.orgUnit] ?? null,
    payGradeText: v[E.payGradeText] ?? null,
    numerator: v[E.numerator] ?? null,
    denominator: v[E.denominator] ?? null,
    functions: draft.functions,
    extra: draft.extra ?? {},
    source,
  };
}
