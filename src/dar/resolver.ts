// The import's PostalResolver backed by DAR and the cache: every address is answered from the cache when
// it holds a fresh answer, otherwise DAR is asked (at most `concurrency` at once) and the answer stored.
//
// What the import gets (src/sync/desired/types.ts):
// - found → the DAR uuid (the caller adds the visibility);
// - miss → keep MO's address and report it (DIPEX wrote nothing for a miss and kept what MO had);
// - DAR unavailable → keep MO's address, counted, asked again next run — an outage never fails an import.
//   A hit due for refresh is still used when DAR does not answer: it was right when last asked.
// When `outageAfter` look-ups in a row find DAR unavailable, the rest of the run does not ask it at all, so
// an outage costs a few retry budgets instead of one per address.
//
// One resolver serves one run: its stats add up over its calls. The log gets counts, never addresses.
import { postalKey, type PostalResolver } from '../sync/prepare.js';
import type { AddressWish } from '../sync/desired/types.js';
import type { CachedAnswer, DarCache } from './cache.js';
import type { DarClient, DarLookup } from './client.js';
import { betegnelseOf } from './datavask.js';
import { forEachLimited } from '../util/pool.js';

export interface DarStats {
  /** Distinct addresses asked for. */
  asked: number;
  /** Answered from the cache without asking DAR. */
  cacheHits: number;
  /** Addresses DAR was asked about (each one or two resources, retries aside). */
  lookups: number;
  /** HTTP requests to DAR, retries and the adgangsadresser fallback included. */
  requests: number;
  found: number;
  misses: number;
  unavailable: number;
  /** Found only thanks to a cached hit due for refresh, DAR being unavailable (also counted in found). */
  staleUsed: number;
  /** Addresses not asked because DAR was found down earlier in the run (also counted in unavailable). */
  notAsked: number;
  ms: number;
}

export interface DarResolverOptions {
  client: DarClient;
  /** null: no cache (every address asked every time). */
  cache: DarCache | null;
  /** Look-ups in flight at most (default 8). */
  concurrency?: number;
  /** Unavailable look-ups in a row after which DAR counts as down for the run (default 3). */
  outageAfter?: number;
  /** Ask DAR even when the cache has a fresh answer (the answers are still stored). */
  ignoreCachedAnswers?: boolean;
  /** Cache writes are batched by this many answers (default 500), so a crash keeps most of the work. */
  writeBatch?: number;
  log?: (message: string) => void;
}

export type DarResolver = PostalResolver & { readonly stats: Readonly<DarStats> };

interface Wanted {
  key: string;
  street: string;
  postalCode: string;
}

export function createDarResolver(options: DarResolverOptions): DarResolver {
  const { client, cache } = options;
  const concurrency = options.concurrency ?? 8;
  const outageAfter = options.outageAfter ?? 3;
  const writeBatch = options.writeBatch ?? 500;
  const log = options.log ?? (() => {});
  const stats = zeroStats();

  const resolve: PostalResolver = async (addresses) => {
    const started = Date.now();
    const call = zeroStats();
    const requestsBefore = client.requests;
    const wanted = new Map<string, Wanted>();
    for (const a of addresses) {
      const key = postalKey(a.street, a.postalCode);
      // Spellings differing in case share an answer; DAR is asked with the first one met.
      if (!wanted.has(key)) wanted.set(key, { key, street: a.street, postalCode: a.postalCode });
    }
    const result = new Map<string, AddressWish>();
    const cached: Map<string, CachedAnswer> = cache && !options.ignoreCachedAnswers ? await cache.read([...wanted.keys()]) : new Map();
    const ask: Wanted[] = [];
    for (const w of wanted.values()) {
      const answer = cached.get(w.key);
      if (answer?.fresh) {
        call.cacheHits++;
        result.set(w.key, wishOf(w, answer.uuid !== null ? { kind: 'found', uuid: answer.uuid } : { kind: 'miss', reason: answer.detail }));
      } else {
        ask.push(w);
      }
    }

    let pending: { key: string; uuid: string | null; detail: string }[] = [];
    const flush = async () => {
      const batch = pending;
      pending = [];
      await cache?.write(batch);
    };
    // DAR's outages in this call: how many look-ups it failed, the last reason, and when it counts as down.
    const outage = { inARow: 0, count: 0, last: null as string | null, because: null as string | null };
    await forEachLimited(ask, concurrency, async (w) => {
      let lookup: DarLookup;
      if (outage.because !== null) {
        call.notAsked++;
        lookup = { kind: 'unavailable', reason: outage.because };
      } else {
        call.lookups++;
        lookup = await client.lookUp(w.street, w.postalCode);
        if (lookup.kind === 'unavailable') {
          outage.count++;
          outage.inARow++;
          outage.last = lookup.reason;
          if (outage.inARow >= outageAfter && outage.because === null) {
            outage.because = `not asked: DAR did not answer ${outage.inARow} look-ups in a row (last: ${lookup.reason})`;
          }
        } else {
          outage.inARow = 0;
        }
      }
      if (lookup.kind === 'found') pending.push({ key: w.key, uuid: lookup.uuid, detail: `${lookup.resource} ${lookup.category}` });
      else if (lookup.kind === 'miss') pending.push({ key: w.key, uuid: null, detail: lookup.reason });
      const stale = cached.get(w.key);
      if (lookup.kind === 'unavailable' && stale?.uuid) {
        call.staleUsed++;
        result.set(w.key, wishOf(w, { kind: 'found', uuid: stale.uuid }));
      } else {
        result.set(w.key, wishOf(w, lookup));
      }
      if (pending.length >= writeBatch) await flush();
    });
    await flush();

    for (const wish of result.values()) {
      if (wish.kind === 'value') call.found++;
      else if (wish.kind === 'keep' && wish.problem) call.misses++;
      else call.unavailable++;
    }
    call.asked = wanted.size;
    call.requests = client.requests - requestsBefore;
    call.ms = Date.now() - started;
    for (const k of Object.keys(stats) as (keyof DarStats)[]) stats[k] += call[k];
    log(summary(call));
    // Why DAR did not answer (statuses and timeouts; the reasons never hold an address).
    if (outage.last !== null) log(`DAR did not answer ${outage.count} look-up(s); the last: ${outage.last}`);
    return result;
  };
  return Object.assign(resolve, { stats });
}

type Outcome = { kind: 'found'; uuid: string } | { kind: 'miss'; reason: string } | { kind: 'unavailable'; reason: string };

function wishOf(w: Wanted, outcome: Outcome): AddressWish {
  switch (outcome.kind) {
    case 'found':
      return { kind: 'value', value: outcome.uuid, visibility: null };
    case 'miss':
      return { kind: 'keep', why: `DAR found no unique address for "${betegnelseOf(w.street, w.postalCode)}" (${outcome.reason})`, problem: true };
    case 'unavailable':
      return { kind: 'keep', why: 'DAR did not answer; retried next run', retry: true };
  }
}

/** One line for the log and the run's closing note: counts and the cache hit rate, never addresses. */
export function summary(stats: DarStats): string {
  const parts = [
    `DAR: ${stats.asked} address(es), ${stats.cacheHits} from the cache (${hitRate(stats)}), ${stats.lookups} asked DAR (${stats.requests} requests)`,
    `${stats.found} found, ${stats.misses} without a unique address, ${stats.unavailable} unanswered (looked up again next run)`,
  ];
  if (stats.staleUsed > 0) parts.push(`${stats.staleUsed} unanswered kept their earlier DAR uuid`);
  if (stats.notAsked > 0) parts.push(`DAR counted as down: ${stats.notAsked} not asked`);
  return `${parts.join('; ')}; ${(stats.ms / 1000).toFixed(1)} s`;
}

export function zeroStats(): DarStats {
  return { asked: 0, cacheHits: 0, lookups: 0, requests: 0, found: 0, misses: 0, unavailable: 0, staleUsed: 0, notAsked: 0, ms: 0 };
}

/** Share of addresses answered from the cache, e.g. "99.6 %". */
export function hitRate(stats: Pick<DarStats, 'asked' | 'cacheHits'>): string {
  // Rounded down, so 19,999 of 20,000 does not read as 100 %.
  return stats.asked === 0 ? 'n/a' : `${(Math.floor((stats.cacheHits / stats.asked) * 1000) / 10).toFixed(1)} %`;
}
