// Typed records of an OPUS Løn dump (spec §1.3–1.4). Values are trimmed strings exactly as OPUS wrote
// them; an empty element is `null`. Dates stay `YYYY-MM-DD` strings (validated by the reader); what
// `9999-12-31` means is decided by the mapping in src/sync, not here.

/** Where a record starts in its dump, for diagnostics. */
export interface SourcePosition {
  file: string;
  line: number;
}

/** One `<orgUnit>` element. */
export interface OrgUnit {
  kind: 'orgUnit';
  id: string;
  client: string | null;
  lastChanged: string | null;
  startDate: string | null;
  endDate: string | null;
  parentOrgUnit: string | null;
  shortName: string | null;
  longName: string | null;
  street: string | null;
  zipCode: string | null;
  city: string | null;
  phoneNumber: string | null;
  cvrNr: string | null;
  eanNr: string | null;
  seNr: string | null;
  pNr: string | null;
  costCenter: string | null;
  orgType: string | null;
  orgTypeTxt: string | null;
  /** Child elements this model does not know, kept so a change in them is still a change. */
  extra: Record<string, string | null>;
  source: SourcePosition;
}

/** One `<function>` element of an employment: a role (spec §3.6). */
export interface OpusFunction {
  artText: string | null;
  roleText: string | null;
  startDate: string | null;
  endDate: string | null;
}

/**
 * One `<employee>` element: one employment, not one person. A person with several employments
 * appears several times with the same CPR.
 */
export interface Employment {
  kind: 'employment';
  id: string;
  client: string | null;
  lastChanged: string | null;
  entryDate: string | null;
  leaveDate: string | null;
  cpr: string;
  cprSuppId: string | null;
  firstName: string | null;
  lastName: string | null;
  /** `null` when empty or protected; see `addressProtected`. */
  address: string | null;
  /** An `<address>` with attributes or children: address protection. Never read as text. */
  addressProtected: boolean;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  workPhone: string | null;
  email: string | null;
  userId: string | null;
  workContract: string | null;
  workContractText: string | null;
  positionId: string | null;
  position: string | null;
  positionShort: string | null;
  /** `true`/`false` from the text; any other value is `null` (DIPEX then does nothing). */
  isManager: boolean | null;
  superiorLevel: string | null;
  subordinateLevel: string | null;
  orgUnit: string | null;
  payGradeText: string | null;
  numerator: string | null;
  denominator: string | null;
  functions: OpusFunction[];
  extra: Record<string, string | null>;
  source: SourcePosition;
}

/** `<employee id="…" action="leave"/>`: the employment has ended. */
export interface LeaveStub {
  kind: 'leave';
  id: string;
  client: string | null;
  lastChanged: string | null;
  source: SourcePosition;
}

export type ElementName = 'orgUnit' | 'employee';

export type DiagnosticCode =
  | 'MALFORMED_XML'
  | 'UNSUPPORTED_ENCODING'
  | 'UNEXPECTED_ROOT'
  | 'MISSING_ID'
  | 'DUPLICATE_ID'
  | 'MISSING_CPR'
  | 'BAD_CPR'
  | 'BAD_DATE'
  | 'UNKNOWN_ACTION'
  /** A field that holds no sane value: an id that is no positive number, an isManager that is no boolean. */
  | 'BAD_VALUE'
  /** A field longer than its bound (a name over 200 characters, a phone number over 20). */
  | 'TOO_LONG'
  /** A unit that ends before it starts. */
  | 'BAD_PERIOD'
  /** A unit that is its own parent, or whose parent is in no `<orgUnit>` of the dump. */
  | 'BAD_PARENT'
  /** Text in a file declared UTF-8 that holds bytes UTF-8 does not allow (decoded as U+FFFD). */
  | 'INVALID_UTF8'
  /** A file declared single-byte (ISO-8859-1) that holds UTF-8 text: every name would turn into mojibake. */
  | 'WRONG_ENCODING'
  | 'DTD_NOT_SUPPORTED';

/** A problem found in a dump, always with file, line and (when known) the OPUS id. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  file: string;
  line: number;
  element: ElementName | null;
  opusId: string | null;
  message: string;
}

/**
 * An element that could not become a record. It still names its id (when it has one), so the import
 * knows the object exists in OPUS and must not treat it as gone.
 */
export interface RejectedElement {
  kind: 'rejected';
  element: ElementName;
  id: string | null;
  source: SourcePosition;
  diagnostics: Diagnostic[];
}

export type DumpRecord = OrgUnit | Employment | LeaveStub;
export type DumpEntry = DumpRecord | RejectedElement;

export function formatDiagnostic(d: Diagnostic): string {
  const what = d.element ? ` ${d.element}${d.opusId !== null ? ` id=${cut(d.opusId)}` : ''}` : '';
  return `${d.file}:${d.line}:${what} ${d.severity} ${d.code}: ${d.message}`;
}

/** Characters of a value shown in a message; a longer value is cut, so a 25 MB field never reaches a log. */
export const SHOWN_CHARS = 40;

/** `value` for a message: at most SHOWN_CHARS characters, and how long it really is when cut. */
export function cut(value: string, length = value.length): string {
  return length <= SHOWN_CHARS ? value : `${value.slice(0, SHOWN_CHARS)}… (${length} characters)`;
}
