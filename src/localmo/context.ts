// Per-request state: the request's instant ("now" for every default window), its database handle (a
// transaction for mutations) and batching loaders, so nested look-ups cost one query per kind and tick
// instead of one per object.
import DataLoader from 'dataloader';
import type { DarNames } from './dar.js';
import type { KindName } from './kinds.js';
import { loadSlices, type Queryable, type StoredSlice } from './store.js';
import type { Instant } from './time.js';

/** Writes held back to be done together (consecutive creates of one kind); `key` names what they are. */
export interface DeferredWrite {
  key: string;
  flush(): Promise<void>;
}

export class MoContext {
  private readonly loaders = new Map<string, DataLoader<string, StoredSlice[]>>();
  private deferred: DeferredWrite | null = null;
  /** Rows this request wrote (for the statistics keeper). */
  rowsWritten = 0;
  /** Class scopes already looked up (is_primary and address names ask for the same few classes). */
  readonly classScopes = new Map<string, string | null>();

  constructor(
    readonly db: Queryable,
    readonly now: Instant,
    readonly dar: DarNames,
    /** True when db is a transaction: mutations are allowed. */
    readonly writable: boolean,
  ) {}

  /** Active slices of objects of a kind, as registered now (null) or at a registration time. */
  async activeSlices(kind: KindName, uuid: string, registrationTime: Instant | null = null): Promise<StoredSlice[]> {
    if (this.deferred) await this.settle();
    const key = `${kind}|${registrationTime ?? ''}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, StoredSlice[]>(async (uuids) => {
        const found = await loadSlices(this.db, kind, uuids, { registrationTime, activeOnly: true });
        return uuids.map((u) => found.get(u) ?? []);
      });
      this.loaders.set(key, loader);
    }
    return loader.load(uuid);
  }

  /** The deferred write with this key, if it is the one waiting. */
  pending<T extends DeferredWrite>(key: string): T | null {
    return this.deferred?.key === key ? (this.deferred as T) : null;
  }

  /** Holds a write back; whatever was waiting is done first. */
  async defer(write: DeferredWrite): Promise<void> {
    await this.settle();
    this.deferred = write;
  }

  /** Does the waiting write now: before any read or other write, and before the request commits. */
  async settle(): Promise<void> {
    const write = this.deferred;
    if (!write) return;
    this.deferred = null;
    await write.flush();
  }

  /** After a write: later reads in the same request must see it. */
  forgetLoaded(): void {
    this.loaders.clear();
    this.classScopes.clear();
  }
}
