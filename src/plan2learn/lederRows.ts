// leder.csv (spec §1.5): managers valid today of the units in organisation.csv, in pre-order. Vacant
// positions are left out. The variants differ in how many rows a unit gets and which responsibility is `Titel`.
import type { Cell, ExportContext } from './options.js';
import type { Owned } from './snapshotIndex.js';
import type { ManagerSlice } from './snapshot.js';

export const LEDER_HEADER_VIBORG = ['BrugerId', 'AfdelingsID', 'AktivStatus', 'Titel'] as const;
export const LEDER_HEADER_RSD = [...LEDER_HEADER_VIBORG, 'OrganisationsfunktionsUUID'] as const;

/** Viborg's preferred responsibility (MoraHelper.read_ou_manager). */
const VIBORG_RESPONSIBILITY = 'Personale: ansættelse/afskedigelse';
/** RSD's preferred responsibility; DIPEX compared it with uuids and so never found it (spec §7.2). */
const RSD_RESPONSIBILITY = 'Personaleledelse';

export function lederRows(ctx: ExportContext, unitsInPreOrder: readonly string[], exportedUnits: ReadonlySet<string>): Cell[][] {
  const rows: Cell[][] = [];
  for (const unit of unitsInPreOrder) {
    if (!exportedUnits.has(unit)) continue;
    const managers = (ctx.index.managersTodayByUnit.get(unit) ?? []).filter((m) => m.slice.personUuid !== null);
    if (managers.length === 0) continue;
    if (ctx.options.variant === 'RSD') {
      for (const m of managers) {
        const names = responsibilityNames(ctx, m);
        const titel = names.includes(RSD_RESPONSIBILITY) ? RSD_RESPONSIBILITY : (names[0] ?? '');
        rows.push([m.slice.personUuid, unit, '1', titel, m.uuid]);
      }
    } else {
      // One row per unit: the last manager MO lists (spec §7.3).
      const persons = new Set(managers.map((m) => m.slice.personUuid));
      if (persons.size > 1) ctx.notes.push(`unit ${unit} has ${persons.size} managers; Viborg's leder.csv takes the last, manager ${managers.at(-1)!.uuid}`);
      const m = managers.at(-1)!;
      const names = responsibilityNames(ctx, m);
      // The preferred responsibility, else the last one (DIPEX's leaked loop variable), else "Intet ansvar".
      const titel = names.includes(VIBORG_RESPONSIBILITY) ? VIBORG_RESPONSIBILITY : (names.at(-1) ?? 'Intet ansvar');
      rows.push([m.slice.personUuid, unit, '1', titel]);
    }
  }
  return rows;
}

/** In uuid order: OS2MO returns a manager's responsibilities in no fixed order, and the first or last one
 * becomes the row's Titel, so the same MO must give the same file every night. */
function responsibilityNames(ctx: ExportContext, m: Owned<ManagerSlice>): string[] {
  return [...m.slice.responsibilityUuids].sort().map((r) => ctx.index.classFor(r, 'manager', m.uuid, 'responsibility_uuids').name);
}
