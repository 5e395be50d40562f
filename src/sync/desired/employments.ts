// OPUS employments → engagements and manager roles (spec §3.4 with moflow's decisions): an employment
// without entryDate, position or unit is skipped and reported, never silently dropped; a leave stub, or an
// employment in a filtered unit, ends at the dump date.
import { opusEndToMoTo, type Day } from '../../mo/time.js';
import type { Employment, LeaveStub } from '../../opus/records.js';
import { engagementTypeClass, jobFunctionClass, managerLevelClass, managerTypeClass, RESPONSIBILITY } from '../mapping/classes.js';
import type { OpusUuids } from '../uuids.js';
import { withinUnit } from './units.js';
import type { EmploymentWish, PersonFacts } from './types.js';

export interface EmploymentContext {
  uuids: OpusUuids;
  /** Validity of each unit of the dump that is imported, by OPUS id. */
  importedUnits: ReadonlyMap<string, { from: Day; to: Day | null }>;
  /** Unit ids of the dump in a filtered subtree. */
  filteredUnits: ReadonlySet<string>;
}

export function employmentWish(record: Employment | LeaveStub, ctx: EmploymentContext): EmploymentWish {
  if (record.kind === 'leave') return { kind: 'ended', opusId: record.id, why: 'leave stub (action="leave")' };
  const skip = (why: string): EmploymentWish => ({ kind: 'skipped', opusId: record.id, why, source: record.source });
  if (record.orgUnit !== null && ctx.filteredUnits.has(record.orgUnit)) {
    return { kind: 'ended', opusId: record.id, why: `unit ${record.orgUnit} is filtered (integrations.opus.units.filter_ids)` };
  }
  if (record.entryDate === null) return skip('the employment has no entryDate');
  if (record.position === null) return skip('the employment has no position');
  if (record.orgUnit === null) return skip('the employment has no orgUnit');
  const unit = ctx.importedUnits.get(record.orgUnit);
  if (!unit) return skip(`the employment's unit ${record.orgUnit} is not importable (missing from the dump or outside the unit tree)`);
  const leave = opusEndToMoTo(record.leaveDate);
  if (leave !== null && leave <= record.entryDate) return skip(`leaveDate ${record.leaveDate} is before entryDate ${record.entryDate}`);
  // An employee who moved into a unit newer than the employment keeps the old entryDate in OPUS, but MO
  // refuses an engagement outside its unit's validity: the engagement starts (and ends) within the unit.
  const { from, to } = withinUnit(record.entryDate, leave, unit);
  if (to !== null && to <= from) return skip(`the employment (${record.entryDate} to ${record.leaveDate ?? 'open'}) lies outside the validity of its unit ${record.orgUnit}`);

  return {
    kind: 'employment',
    employment: {
      opusId: record.id,
      cpr: record.cpr,
      unitOpusId: record.orgUnit,
      unitUuid: ctx.uuids.unit(record.orgUnit),
      jobFunction: jobFunctionClass(record.position),
      engagementType: engagementTypeClass(record.workContractText),
      from,
      to,
      manager: record.isManager
        ? {
            level: managerLevelClass(record.superiorLevel, record.subordinateLevel),
            type: managerTypeClass(record.position),
            responsibility: RESPONSIBILITY,
          }
        : null,
      managerUnknown: record.isManager === null,
      functions: record.functions,
      source: record.source,
    },
  };
}

/** The person-level data an employment record carries; `active` unless it ended before the dump date. */
export function personFacts(record: Employment, dumpDate: string): PersonFacts {
  return {
    employmentId: record.id,
    cpr: record.cpr,
    unitOpusId: record.orgUnit,
    active: record.leaveDate === null || record.leaveDate >= dumpDate,
    givenName: record.firstName,
    surname: record.lastName,
    address: record.addressProtected
      ? 'protected'
      : record.address !== null && record.postalCode !== null
        ? { street: record.address, postalCode: record.postalCode }
        : null,
    workPhone: record.workPhone,
    email: record.email,
    userId: record.userId,
  };
}
