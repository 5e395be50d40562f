// Which AD account stands for a person when several carry the same CPR: DIPEX's `first_included`
// (integrations/ad_integration/ad_reader.py), reproduced rule for rule so an installation moving to
// moflow gets the same account, and so the same objectGUID and sAMAccountName, as before:
//
//   no discriminator field   → the first account (in the order AD returned them);
//   function "include"       → for each value in `values`, in order: the first account whose field equals it
//                              (accounts without the field never match);
//   function "exclude"       → for each value in `values`, in order: the first account whose field does NOT
//                              equal it;
//   nothing found, or `values` empty → no account.
//
// Equality is exact (case and spaces count), as Python's `==` on the PowerShell value was.
//
// Beware "exclude" with more than one value: DIPEX tests each value on its own, so it returns the first
// account that differs from values[0] even when that account holds values[1]; and when every account holds
// values[0], the first account (which differs from values[1]). Only with a single value is it the plain
// "first account not excluded". moflow keeps this, because changing it would move existing people to other
// accounts; `holdsExcludedValue` lets a caller point such picks out.

export interface Discriminator {
  /** The AD attribute, e.g. `extensionAttribute2` or `employeeType`. */
  field: string;
  values: readonly string[];
  function: 'include' | 'exclude';
}

/** What the discriminator needs of an account: its field's value, null when absent or multi-valued. */
export interface Discriminated {
  discriminatorValue: string | null;
}

/** The account DIPEX would pick among those sharing a CPR, or null when it picks none. */
export function pickAccount<T extends Discriminated>(accounts: readonly T[], discriminator: Discriminator | undefined): T | null {
  if (!discriminator) return accounts[0] ?? null;
  // DIPEX first drops accounts without the field for "include"; they could not equal a value anyway.
  const candidates = discriminator.function === 'include' ? accounts.filter((a) => a.discriminatorValue !== null) : accounts;
  for (const value of discriminator.values) {
    for (const account of candidates) {
      const equal = account.discriminatorValue === value;
      if (discriminator.function === 'include' ? equal : !equal) return account;
    }
  }
  return null;
}

/** True when "exclude" picked an account whose value is in `values` (the multi-value quirk above). */
export function holdsExcludedValue(account: Discriminated, discriminator: Discriminator | undefined): boolean {
  return (
    discriminator?.function === 'exclude' &&
    account.discriminatorValue !== null &&
    discriminator.values.includes(account.discriminatorValue)
  );
}
