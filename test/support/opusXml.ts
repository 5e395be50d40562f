// Small OPUS dumps written in tests: units and employments with the fields a case needs, in the real format.

export interface UnitSpec {
  id: string;
  parent?: string | null;
  name?: string;
  startDate?: string;
  endDate?: string;
  orgType?: string;
  orgTypeTxt?: string;
  street?: string;
  zipCode?: string;
  phone?: string;
  se?: string;
  cvr?: string;
  ean?: string;
  pNr?: string;
  shortName?: string;
}

export interface EmployeeSpec {
  id: string;
  cpr: string;
  entryDate?: string | null;
  leaveDate?: string | null;
  firstName?: string;
  lastName?: string;
  orgUnit: string;
  position?: string | null;
  workContractText?: string;
  isManager?: boolean;
  superiorLevel?: string;
  subordinateLevel?: string;
  workPhone?: string;
  email?: string;
  userId?: string;
  address?: string | { protected: true };
  postalCode?: string;
  functions?: { artText: string; roleText?: string; startDate: string; endDate: string }[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, value: string | null | undefined) =>
  value === undefined ? '' : value === null || value === '' ? `<${name}/>` : `<${name}>${esc(value)}</${name}>`;

export function unitXml(u: UnitSpec): string {
  return [
    `<orgUnit id="${u.id}" client="813" lastChanged="2020-01-01">`,
    el('startDate', u.startDate ?? '1990-01-01'),
    el('endDate', u.endDate ?? '9999-12-31'),
    el('parentOrgUnit', u.parent ?? null),
    el('shortName', u.shortName ?? `U${u.id}`),
    el('longName', u.name ?? `Enhed ${u.id}`),
    el('street', u.street),
    el('zipCode', u.zipCode),
    el('phoneNumber', u.phone),
    el('cvrNr', u.cvr),
    el('eanNr', u.ean),
    el('seNr', u.se),
    el('pNr', u.pNr),
    el('orgType', u.orgType),
    el('orgTypeTxt', u.orgTypeTxt),
    '</orgUnit>',
  ].join('');
}

export function employeeXml(e: EmployeeSpec): string {
  const address =
    e.address === undefined ? '' : typeof e.address === 'string' ? el('address', e.address) : '<address protected="true">Skjult</address>';
  const functions = (e.functions ?? [])
    .map((f) => `<function startDate="${f.startDate}" endDate="${f.endDate}">${el('artText', f.artText)}${el('roleText', f.roleText)}</function>`)
    .join('');
  return [
    `<employee id="${e.id}" client="813" lastChanged="2020-01-01">`,
    el('entryDate', e.entryDate === undefined ? '2015-01-01' : e.entryDate),
    el('leaveDate', e.leaveDate ?? null),
    `<cpr suppId="0">${e.cpr}</cpr>`,
    el('firstName', e.firstName ?? 'Anna'),
    el('lastName', e.lastName ?? `Hansen${e.id}`),
    address,
    el('postalCode', e.postalCode),
    el('workPhone', e.workPhone ?? null),
    el('email', e.email),
    el('userId', e.userId),
    el('workContractText', e.workContractText ?? 'Månedsløn'),
    el('position', e.position === undefined ? 'Pædagog' : e.position),
    el('isManager', e.isManager ? 'true' : 'false'),
    el('superiorLevel', e.superiorLevel ?? '0'),
    el('subordinateLevel', e.subordinateLevel ?? '00'),
    el('orgUnit', e.orgUnit),
    functions,
    '</employee>',
  ].join('');
}

export const leaveXml = (id: string) => `<employee id="${id}" client="813" action="leave"/>`;

export function dumpXml(units: UnitSpec[], employees: (EmployeeSpec | { leave: string })[]): string {
  const body = [...units.map(unitXml), ...employees.map((e) => ('leave' in e ? leaveXml(e.leave) : employeeXml(e)))];
  return `<?xml version="1.0" encoding="utf-8"?>\n<kmd>\n${body.join('\n')}\n</kmd>\n`;
}

/** A small tree: 1 (root) → 2, 3; 2 → 4. */
export const TREE: UnitSpec[] = [{ id: '1', name: 'Andeby Kommune' }, { id: '2', parent: '1' }, { id: '3', parent: '1' }, { id: '4', parent: '2' }];
