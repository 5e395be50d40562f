// Which of a person's engagements is the primary one (seed "Primær ansættelse", spec §4.7), over every
// interval in which the set of engagements is constant:
//   - an engagement set to "explicitly-primary" by hand stays primary, the others are non-primary; two such
//     at once is reported and the interval left alone;
//   - otherwise the engagement whose type comes first in `integrations.opus.eng_types_primary_order` is
//     primary, ties broken by the lowest employment number (numerically), then by uuid; the rest non-primary.
// Only where the class an engagement holds differs from the wanted one is a write returned. Pure.
import type { Day } from '../../mo/index.js';

/** The primary class of a period that cannot be known before writing (a period the plan re-opens). */
export const UNKNOWN_PRIMARY = Symbol('unknown primary');
export type HeldPrimary = string | null | typeof UNKNOWN_PRIMARY;

/** One active period of an engagement of the person, with what decides the primary. */
export interface PrimaryPeriod {
  from: Day;
  /** Exclusive; null is open. */
  to: Day | null;
  engagementTypeUuid: string;
  primaryUuid: HeldPrimary;
}

export interface PrimaryEngagement {
  uuid: string;
  /** The OPUS employment id; a non-number ranks after every number. */
  userKey: string;
  periods: readonly PrimaryPeriod[];
}

export interface PrimaryClassUuids {
  primary: string;
  nonPrimary: string;
  /** null when MO has no such class (then nothing is explicitly primary). */
  explicit: string | null;
}

export interface PrimaryOptions {
  classes: PrimaryClassUuids;
  /** The position of an engagement type in the configured order; Infinity when not listed. */
  typeRank: (engagementTypeUuid: string) => number;
}

export interface PrimaryWrite {
  uuid: string;
  from: Day;
  to: Day | null;
  primaryUuid: string;
}

export interface PrimaryConflict {
  from: Day;
  to: Day | null;
  /** The engagements that are all explicitly primary. */
  uuids: string[];
}

export interface PrimaryResult {
  /** The class each engagement should hold, per period (merged), for every period the calculation decided. */
  wanted: Map<string, { from: Day; to: Day | null; primaryUuid: string }[]>;
  writes: PrimaryWrite[];
  conflicts: PrimaryConflict[];
}

const employmentNumber = (userKey: string): number => (/^\d+$/.test(userKey) ? Number(userKey) : Infinity);

export function calculatePrimary(engagements: readonly PrimaryEngagement[], options: PrimaryOptions): PrimaryResult {
  const { classes } = options;
  const cuts = new Set<Day>();
  let open = false;
  for (const e of engagements) {
    for (const p of e.periods) {
      cuts.add(p.from);
      if (p.to === null) open = true;
      else cuts.add(p.to);
    }
  }
  const days = [...cuts].sort();
  const bounds: [Day, Day | null][] = days.map((d, i) => [d, days[i + 1] ?? null]);
  if (!open) bounds.pop(); // after the last end nothing is active

  const result: PrimaryResult = { wanted: new Map(), writes: [], conflicts: [] };
  const want = (uuid: string, from: Day, to: Day | null, primaryUuid: string) => {
    const list = result.wanted.get(uuid) ?? [];
    const last = list.at(-1);
    if (last && last.to === from && last.primaryUuid === primaryUuid) last.to = to;
    else list.push({ from, to, primaryUuid });
    result.wanted.set(uuid, list);
  };
  const write = (uuid: string, from: Day, to: Day | null, primaryUuid: string) => {
    const last = result.writes.at(-1);
    if (last && last.uuid === uuid && last.to === from && last.primaryUuid === primaryUuid) last.to = to;
    else result.writes.push({ uuid, from, to, primaryUuid });
  };

  // Writes are collected per engagement so neighbouring intervals merge into one write.
  const perEngagement = new Map<string, { from: Day; to: Day | null; held: HeldPrimary; wanted: string }[]>();
  for (const [from, to] of bounds) {
    const active: { e: PrimaryEngagement; p: PrimaryPeriod }[] = [];
    for (const e of engagements) {
      // Every period boundary is a cut, so a period holding `from` holds the whole interval.
      const p = e.periods.find((q) => q.from <= from && (q.to === null || q.to > from));
      if (p) active.push({ e, p });
    }
    if (active.length === 0) continue;
    const explicit = classes.explicit === null ? [] : active.filter((a) => a.p.primaryUuid === classes.explicit);
    if (explicit.length > 1) {
      const last = result.conflicts.at(-1);
      const uuids = explicit.map((a) => a.e.uuid).sort();
      if (last && last.to === from && last.uuids.join() === uuids.join()) last.to = to;
      else result.conflicts.push({ from, to, uuids });
      continue;
    }
    const chosen = explicit[0] ?? [...active].sort((a, b) => rankOf(a, options) - rankOf(b, options) || employmentNumber(a.e.userKey) - employmentNumber(b.e.userKey) || (a.e.uuid < b.e.uuid ? -1 : 1))[0]!;
    for (const a of active) {
      const wanted = a === chosen ? (explicit.length === 1 ? classes.explicit! : classes.primary) : classes.nonPrimary;
      want(a.e.uuid, from, to, wanted);
      const list = perEngagement.get(a.e.uuid) ?? [];
      list.push({ from, to, held: a.p.primaryUuid, wanted });
      perEngagement.set(a.e.uuid, list);
    }
  }
  for (const [uuid, pieces] of perEngagement) {
    for (const piece of pieces) if (piece.held !== piece.wanted) write(uuid, piece.from, piece.to, piece.wanted);
  }
  return result;
}

function rankOf(a: { p: PrimaryPeriod }, options: PrimaryOptions): number {
  const rank = options.typeRank(a.p.engagementTypeUuid);
  return Number.isFinite(rank) ? rank : Number.MAX_SAFE_INTEGER;
}
