// Where an object lies, when: its active periods, each with the unit it refers to (a detail's org unit, a
// unit's parent), as MO holds them and as MO will hold them after a plan's writes. The containment pass
// (containment.ts) compares these to keep every detail inside its unit, as OS2MO demands.
import type { Day, MoOperation } from '../../mo/index.js';

/** Active on [from, to) (null = open end), referring to `unit`. */
export interface Span {
  from: Day;
  to: Day | null;
  unit: string | null;
}

/** Before any real day: MO objects always start, but the slice type allows an open start. */
const FIRST_DAY = '0001-01-01';
/** a > b, where null is the open end. */
const after = (a: Day | null, b: Day | null): boolean => (a === null ? b !== null : b !== null && a > b);
const minEnd = (a: Day | null, b: Day | null): Day | null => (a === null ? b : b === null ? a : a < b ? a : b);
const maxDay = (a: Day, b: Day): Day => (a > b ? a : b);
const byFrom = (a: Span, b: Span): number => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0);

/** An MO object's slices as spans, `unitOf` naming the unit each slice refers to. */
export function spansOf<S extends { from: Day | null; to: Day | null }>(slices: readonly S[], unitOf: (slice: S) => string | null): Span[] {
  return slices.map((s) => ({ from: s.from ?? FIRST_DAY, to: s.to, unit: unitOf(s) })).sort(byFrom);
}

/** The spans without [from, to). */
export function cut(spans: readonly Span[], from: Day, to: Day | null): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    if (s.from < from) out.push({ ...s, to: minEnd(s.to, from) });
    if (to !== null && after(s.to, to)) out.push({ ...s, from: maxDay(s.from, to) });
  }
  return out.filter((s) => after(s.to, s.from));
}

/**
 * An update of [from, to): the range becomes active (MO re-opens what was inactive there), referring to
 * `unit` where the write names one, else keeping each period's own (a gap takes its neighbour's).
 */
function write(spans: readonly Span[], from: Day, to: Day | null, unit: string | null | undefined): Span[] {
  const keep = unit === undefined;
  const inside: Span[] = [];
  for (const s of spans) {
    const start = maxDay(s.from, from);
    const end = minEnd(s.to, to);
    if (after(end, start)) inside.push({ from: start, to: end, unit: keep ? s.unit : unit });
  }
  const neighbour = keep ? (spans.findLast((s) => s.from <= from) ?? spans[0])?.unit ?? null : unit;
  const gaps: Span[] = [];
  let cursor: Day | null = from;
  for (const s of [...inside, null]) {
    const gapEnd: Day | null = s ? s.from : to;
    if (cursor !== null && after(gapEnd, cursor)) gaps.push({ from: cursor, to: gapEnd, unit: neighbour });
    if (s) cursor = s.to;
  }
  return [...cut(spans, from, to), ...inside, ...gaps].sort(byFrom);
}

/** The unit an operation's input refers to: a unit's parent, a detail's org unit; undefined when it names none. */
function unitOfInput(op: MoOperation): string | null | undefined {
  const input = op.input as { parentUuid?: string | null; orgUnitUuid?: string | null };
  return op.kind === 'orgUnit' ? input.parentUuid : input.orgUnitUuid;
}

/** The spans after `ops` (one object's writes, in the order they are applied). */
export function afterWrites(spans: readonly Span[], ops: Iterable<MoOperation>): Span[] {
  let out = [...spans];
  for (const op of ops) {
    if (op.action === 'delete') out = [];
    else if (op.action === 'terminate') {
      const { from, to } = op.input as { from?: Day; to: Day };
      out = cut(out, from ?? to, from ? to : null);
    } else if (op.action === 'create' || op.action === 'update') {
      const { from, to } = op.input as { from: Day; to?: Day | null };
      const unit = unitOfInput(op);
      out = op.action === 'create' ? [{ from, to: to ?? null, unit: unit ?? null }] : write(out, from, to ?? null, unit);
    }
  }
  return out;
}

/** The parts of `spans` that refer to `unit` and lie outside `cover` (the unit's own active spans). */
export function outside(spans: readonly Span[], unit: string, cover: readonly Span[]): { from: Day; to: Day | null }[] {
  let rest = spans.filter((s) => s.unit === unit);
  for (const c of cover) rest = cut(rest, c.from, c.to);
  // Touching pieces are one range: one write ends them.
  const merged: { from: Day; to: Day | null }[] = [];
  for (const s of rest) {
    const last = merged.at(-1);
    if (last && last.to === s.from) last.to = s.to;
    else merged.push({ from: s.from, to: s.to });
  }
  return merged;
}
