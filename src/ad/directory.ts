// The AD accounts of one run, indexed by CPR: built once from a single read of AD, then asked once per
// person. Which account stands for a CPR follows DIPEX: the discriminator picks among the accounts
// sharing it (see discriminator.ts), then `sam_filter` may still reject the pick (DIPEX applied it after
// the discriminator, so a rejected pick means no account, not the next one).
import { holdsExcludedValue, pickAccount, type Discriminator } from './discriminator.js';

export interface AdUser {
  dn: string;
  /** 10 digits, separator removed. Personal data: never log it, mask it with maskCpr. */
  cpr: string;
  /** objectGUID as a canonical lowercase uuid: the uuid of a MO person created for this account. */
  objectGuid: string;
  samAccountName: string;
  /** The discriminator field's value; null when there is no discriminator, or the field is absent or multi-valued. */
  discriminatorValue: string | null;
}

export type AdLookup =
  /** No account for this CPR. `excluded` tells why accounts that carry the CPR were not used. */
  | { kind: 'none'; excluded?: { reason: 'discriminator' | 'sam_filter'; users: AdUser[] } }
  | { kind: 'one'; user: AdUser }
  /** Several accounts carry the CPR and the discriminator picked none of them. */
  | { kind: 'ambiguous'; users: AdUser[] };

export interface AdSelection {
  discriminator?: Discriminator | undefined;
  /** Only a pick whose sAMAccountName starts with this is used (DIPEX `sam_filter`). */
  samFilter?: string | undefined;
  /** Compare `samFilter` ignoring case (DIPEX `caseless_samname`, default true). */
  caselessSam?: boolean | undefined;
}

/** Counts for the run log; none of them holds personal data. */
export interface AdReadStats {
  /** Paged searches started: 1 per read, more only when a failure restarted the read. */
  searches: number;
  /** Result pages received over all searches. */
  pages: number;
  /** Entries in the search that completed. */
  entries: number;
  /** Entries without the CPR attribute (service accounts, …). */
  withoutCpr: number;
  /** Entries whose CPR attribute is not 10 digits once the separator is removed. */
  invalidCpr: number;
  /** Entries with a CPR but without a usable objectGUID or sAMAccountName; skipped. */
  incomplete: number;
  /** Distinct CPRs with at least one account. */
  cprs: number;
  /** CPRs carried by more than one account. */
  duplicates: number;
  /** CPRs where the discriminator picked none of several accounts. */
  ambiguous: number;
  /** CPRs whose only account the discriminator rejected, or whose pick `sam_filter` rejected. */
  excluded: number;
  /** CPRs where "exclude" with several values picked an account holding one of them (DIPEX's quirk). */
  excludedValuePicked: number;
  elapsedMs: number;
}

const NONE: AdLookup = { kind: 'none' };

/** 10 digits from an AD CPR value: trimmed, every `separator` removed; null when that is not 10 digits. */
export function normaliseCpr(raw: string, separator: string): string | null {
  let value = raw.trim();
  if (separator) value = value.replaceAll(separator, '');
  return /^\d{10}$/.test(value) ? value : null;
}

export class AdDirectory {
  constructor(
    private readonly byCpr: ReadonlyMap<string, AdLookup>,
    readonly stats: Readonly<AdReadStats>,
  ) {}

  /** The account of a CPR (with or without a dash). */
  lookup(cpr: string): AdLookup {
    const key = normaliseCpr(cpr, '-');
    return (key && this.byCpr.get(key)) || NONE;
  }

  /** Every CPR with at least one account, with what `lookup` returns for it. */
  entries(): IterableIterator<[string, AdLookup]> {
    return this.byCpr.entries();
  }
}

/** Collects accounts in the order AD returns them, then picks one per CPR. */
export class AdDirectoryBuilder {
  private readonly accounts = new Map<string, AdUser[]>();

  constructor(private readonly selection: AdSelection) {}

  add(user: AdUser): void {
    const list = this.accounts.get(user.cpr);
    if (list) list.push(user);
    else this.accounts.set(user.cpr, [user]);
  }

  /** The directory; `counts` are the reader's figures, completed here with those of the selection. */
  build(counts: Omit<AdReadStats, 'cprs' | 'duplicates' | 'ambiguous' | 'excluded' | 'excludedValuePicked'>): AdDirectory {
    const { discriminator } = this.selection;
    const byCpr = new Map<string, AdLookup>();
    const stats: AdReadStats = { ...counts, cprs: this.accounts.size, duplicates: 0, ambiguous: 0, excluded: 0, excludedValuePicked: 0 };
    for (const [cpr, users] of this.accounts) {
      if (users.length > 1) stats.duplicates++;
      const picked = pickAccount(users, discriminator);
      let lookup: AdLookup;
      if (!picked) {
        lookup = users.length > 1 ? { kind: 'ambiguous', users } : { kind: 'none', excluded: { reason: 'discriminator', users } };
      } else if (!this.passesSamFilter(picked.samAccountName)) {
        lookup = { kind: 'none', excluded: { reason: 'sam_filter', users: [picked] } };
      } else {
        lookup = { kind: 'one', user: picked };
        if (holdsExcludedValue(picked, discriminator)) stats.excludedValuePicked++;
      }
      if (lookup.kind === 'ambiguous') stats.ambiguous++;
      if (lookup.kind === 'none') stats.excluded++;
      byCpr.set(cpr, lookup);
    }
    return new AdDirectory(byCpr, stats);
  }

  private passesSamFilter(sam: string): boolean {
    const filter = this.selection.samFilter ?? '';
    if (!filter) return true;
    return this.selection.caselessSam === false ? sam.startsWith(filter) : sam.toLowerCase().startsWith(filter.toLowerCase());
  }
}
