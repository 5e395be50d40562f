// organisation.csv (spec §1.2): every unit of the tree in pre-order, except units whose level is "too deep"
// (only the unit itself is left out; its children are still visited and exported).
import { splitDarAddress } from './darAddress.js';
import type { Cell, ExportContext } from './options.js';

export const ORGANISATION_HEADER = ['AfdelingsID', 'Afdelingsnavn', 'Parentid', 'Gade', 'Postnr', 'By'] as const;

export function organisationRows(ctx: ExportContext, unitsInPreOrder: readonly string[]): { rows: Cell[][]; exportedUnits: Set<string> } {
  const { index, options, notes } = ctx;
  const tooDeep = new Set(options.tooDeepLevels);
  const rows: Cell[][] = [];
  const exportedUnits = new Set<string>();
  for (const uuid of unitsInPreOrder) {
    const unit = index.unitsToday.get(uuid)!;
    const level = unit.orgUnitLevelUuid === null ? '' : index.classFor(unit.orgUnitLevelUuid, 'org_unit', uuid, 'org_unit_level_uuid').name;
    if (tooDeep.has(level)) continue;
    exportedUnits.add(uuid);
    const address = darAddressOf(ctx, uuid);
    const split = splitDarAddress(address);
    if (!split.resolved) notes.push(`unit ${uuid}: the DAR address "${address}" is not an address text; Gade, Postnr and By are empty`);
    // parent_uuid is null only under the organisation, so a sub-unit root keeps its real parent (spec §2).
    rows.push([uuid, unit.name, unit.parentUuid ?? '', split.street, split.postcode, split.city]);
  }
  return { rows, exportedUnits };
}

/** The unit's DAR address text valid today; with several, the last one, as DIPEX's cache scan did. */
function darAddressOf(ctx: ExportContext, unitUuid: string): string | null {
  let text: string | null = null;
  for (const { uuid, slice } of ctx.index.addressesTodayByUnit.get(unitUuid) ?? []) {
    const type = ctx.index.classFor(slice.addressTypeUuid, 'address', uuid, 'address_type_uuid');
    // Without a looked-up name MO's value is the DAR uuid, which is reported as unresolved.
    if (type.scope === 'DAR') text = slice.name ?? slice.value;
  }
  return text;
}
