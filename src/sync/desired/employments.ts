// OPUS employments → engagements and manager roles (spec §3.4 with moflow's decisions): an employment
// without entryDate, position or unit is skipped and reported, never silently dropped; a leave stub, or an
// employment in a filtered unit, ends at the dump date.
import { opusEndToMoTo } from '../../mo/time.js';
import type { Employment, LeaveStub } from '../../opus/records.js';
import { engagementTypeClass, jobFunctionClass, managerLevelClass, managerTypeClass, RESPONSIBILITY } from '../mapping/classes.js';
import type { OpusUuids } from '../uuids.js';
import type { EmploymentWish, PersonFacts } from './types.js';

export interface EmploymentContext {
  uuids: OpusUuids;
  /** Unit ids of the dump that are imported. */
  importedUnits: ReadonlySet<string>;
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
  if (!ctx.importedUnits.has(record.orgUnit)) return skip(`the employment's unit ${record.orgUnit} is not importable (missing from the dump or outside the unit tree)`);
  const to = opusEndToMoTo(record.leaveDate);
  if (to !== null && to <= record.entryDate) return skip(`leaveDate ${record.leaveDate} is before entryDate ${record.entryDate}`);

  return {
    kind: 'employment',
    employment: {
      opusId: record.id,
      cpr: record.cpr,
      unitOpusId: record.orgUnit,
      unitUuid: ctx.uuids.unit(record.orgUnit),
      jobFunction: jobFunctionClass(record.position),
      engagementType: engagementTypeClass(record.workContractText),
      from: record.entryDate,
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
