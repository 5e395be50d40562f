// Which phone number and e-mail address a person gets in bruger.csv (spec §1.1). The two rules differ on
// purpose — DIPEX's users have lived with them (spec §7.11) — so each is kept exactly:
// - phone: only types in the priority list (strict), NO visibility filter, newest start first (future too);
// - e-mail: secret ones are left out, types outside the list are a last resort, ties go to the lowest uuid.
// Candidates are the person's address slices valid today or later, in snapshot order.
import type { AddressSlice } from './snapshot.js';
import type { Owned, SnapshotIndex } from './snapshotIndex.js';
import { startKey } from './timeline.js';

type Candidate = Owned<AddressSlice>;

export function chosenPhone(index: SnapshotIndex, personUuid: string, priority: readonly string[]): string | null {
  if (priority.length === 0) return null; // an empty list admits no type at all
  const rank = rankOf(priority);
  let best: Candidate | undefined;
  let bestRank = Infinity;
  // Newest start first, stable; then the first of the best-ranked type.
  for (const c of newestFirst(candidatesOfScope(index, personUuid, 'PHONE'))) {
    const r = rank.get(c.slice.addressTypeUuid);
    if (r !== undefined && r < bestRank) {
      best = c;
      bestRank = r;
    }
  }
  return best ? best.slice.value : null;
}

export function chosenEmail(index: SnapshotIndex, personUuid: string, priority: readonly string[]): string | null {
  const rank = rankOf(priority);
  let best: Candidate | undefined;
  let bestRank = Infinity;
  for (const c of newestFirst(candidatesOfScope(index, personUuid, 'EMAIL'))) {
    if (!isPublic(index, c)) continue;
    // Types not in the list rank after every listed type (priority.length), as DIPEX's chooser does.
    const r = rank.get(c.slice.addressTypeUuid) ?? priority.length;
    // min by (rank, address uuid); the first seen wins ties, which is the newest slice of one address.
    if (best === undefined || r < bestRank || (r === bestRank && c.uuid < best.uuid)) {
      best = c;
      bestRank = r;
    }
  }
  return best ? best.slice.value : null;
}

function candidatesOfScope(index: SnapshotIndex, personUuid: string, scope: 'PHONE' | 'EMAIL'): Candidate[] {
  const all = index.futureAddressesByPerson.get(personUuid) ?? [];
  return all.filter(
    (c) => index.classFor(c.slice.addressTypeUuid, 'address', c.uuid, 'address_type_uuid').scope === scope,
  );
}

function newestFirst(candidates: Candidate[]): Candidate[] {
  // Array.prototype.sort is stable, like Python's sorted(reverse=True).
  return candidates.sort((a, b) => {
    const fa = startKey(a.slice);
    const fb = startKey(b.slice);
    return fa < fb ? 1 : fa > fb ? -1 : 0;
  });
}

function isPublic(index: SnapshotIndex, c: Candidate): boolean {
  if (c.slice.visibilityUuid === null) return true;
  return index.classFor(c.slice.visibilityUuid, 'address', c.uuid, 'visibility_uuid').scope === 'PUBLIC';
}

/** Position of each type in the list; a type listed twice keeps its first position. */
function rankOf(priority: readonly string[]): Map<string, number> {
  const rank = new Map<string, number>();
  priority.forEach((uuid, i) => {
    if (!rank.has(uuid)) rank.set(uuid, i);
  });
  return rank;
}
