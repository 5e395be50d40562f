// The export guard: before the new files replace the ones on Plan2Learn's server, each is compared with the
// file it replaces there. A file that loses more than exporters.plan2learn.max_shrink_share of its data rows,
// or becomes empty, holds the shipment until an operator approves (the `approveExport` signal,
// `moflow plan2learn approve`, or `--approve-shrink` on a direct run). A file not on the server yet (the first
// export) never holds it. "The last shipped" is what the server holds: its files are read (rows counted, the
// bytes thrown away: csvRows.ts) over the connection that ships the new ones, so any worker — or the CLI —
// sees the same. Pure: the workflow imports it (approvalOf).

/** exporters.plan2learn.max_shrink_share when it is not set. */
export const DEFAULT_MAX_SHRINK_SHARE = 0.1;

export interface ShrinkedFile {
  name: string;
  /** Data rows of the file on the server. */
  before: number;
  /** Data rows of the new file. */
  after: number;
  /** Share of the rows lost, 0…1. */
  share: number;
}

/** Why a shipment is held: every file past the threshold, and the reason in one line. */
export interface ShrinkHold {
  files: ShrinkedFile[];
  reason: string;
}

/**
 * What an operator accepted: per file, the fewest rows that may ship (the `after` of the hold approved), or
 * 'any' for every shrink (`--approve-shrink`). A file that shrinks further than approved is held again.
 */
export type ShrinkApproval = Record<string, number> | 'any';

export interface GuardRule {
  maxShrinkShare: number;
  approved?: ShrinkApproval | null;
}

/**
 * The hold for these new files against the server's row counts (null: not on the server), or null when
 * every file may ship.
 */
export function checkShrink(files: readonly { name: string; rows: number }[], onServer: ReadonlyMap<string, number | null>, rule: GuardRule): ShrinkHold | null {
  if (rule.approved === 'any') return null;
  const held: ShrinkedFile[] = [];
  for (const file of files) {
    const before = onServer.get(file.name) ?? null;
    if (before === null || before === 0) continue; // first export of this file, or nothing to lose
    const lost = before - file.rows;
    const share = lost / before;
    const shrinks = file.rows === 0 || share > rule.maxShrinkShare;
    if (!shrinks) continue;
    const floor = rule.approved?.[file.name];
    if (floor !== undefined && file.rows >= floor) continue;
    held.push({ name: file.name, before, after: file.rows, share });
  }
  if (held.length === 0) return null;
  return { files: held, reason: describeHold(held, rule.maxShrinkShare) };
}

/** e.g. `engagement.csv 5 → 4 rows (-20.0%)…; more than exporters.plan2learn.max_shrink_share 10%`. */
export function describeHold(files: readonly ShrinkedFile[], maxShrinkShare: number): string {
  const each = files.map((f) => `${f.name} ${f.before} → ${f.after} rows (${f.after === 0 ? 'empty' : `-${(f.share * 100).toFixed(1)}%`})`);
  return `${each.join(', ')}: more than exporters.plan2learn.max_shrink_share (${(maxShrinkShare * 100).toFixed(1)}%) of the rows shipped before would go`;
}

/** The approval of `hold` on top of an earlier one: each held file may ship with at least its rows now. */
export function approvalOf(hold: ShrinkHold, earlier: ShrinkApproval | null = null): ShrinkApproval {
  if (earlier === 'any') return 'any';
  const approval: Record<string, number> = { ...(earlier ?? {}) };
  for (const file of hold.files) approval[file.name] = Math.min(file.after, approval[file.name] ?? file.after);
  return approval;
}
