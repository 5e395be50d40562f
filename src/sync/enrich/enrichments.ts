// What the import learns from outside OPUS about people (seed "AD-Integration", "cpr-mapning"; spec §4.8,
// §4.9): the uuid of a new person — the CPR mapping file first, then the AD account's objectGUID, else a
// random one; existing people never change uuid — and the "Active Directory" IT user from sAMAccountName.
// Each source is read at most once per set of import settings (enrichmentsOf, called by importSettings),
// whatever the number of people and dumps planned with it: AD with one paged search, not a query per person.
// A CLI command builds one set; under Temporal every activity builds its own (src/opusRuns/context.ts), and
// the units step and the employees step each plan the whole dump, so AD and the CPR mapping are read twice
// per dump with people (and again when an activity is retried).
import { readAdDirectory, type AdDirectory, type AdReaderOptions } from '../../ad/reader.js';
import { readCprMapFile } from '../../cprmap/file.js';
import { AD_IT_SYSTEM } from '../mapping/itSystems.js';
import type { PersonSeams } from '../plan/people.js';

export interface Enrichments {
  /** The AD's accounts by CPR, read on the first call. */
  ad?: () => Promise<AdDirectory>;
  /** The CPR mapping file, read on the first call. */
  cprMap?: () => Promise<ReadonlyMap<string, string>>;
}

export interface EnrichmentSources {
  readAd?: (options: AdReaderOptions) => Promise<AdDirectory>;
  readCprMap?: (path: string) => Promise<ReadonlyMap<string, string>>;
}

/** The enrichments the options configure; nothing is read until a plan needs it. */
export function enrichmentsOf(options: { ad?: AdReaderOptions | undefined; cprMapPath?: string | undefined }, sources: EnrichmentSources = {}): Enrichments {
  const readAd = sources.readAd ?? readAdDirectory;
  const readMap = sources.readCprMap ?? readCprMapFile;
  return {
    ...(options.ad ? { ad: once(() => readAd(options.ad!)) } : {}),
    ...(options.cprMapPath ? { cprMap: once(() => readMap(options.cprMapPath!)) } : {}),
  };
}

/** The person seams of the enrichments (reading them now), or undefined when none is configured. */
export async function personSeamsOf(enrichments: Enrichments | undefined, log?: (line: string) => void): Promise<PersonSeams | undefined> {
  if (!enrichments?.ad && !enrichments?.cprMap) return undefined;
  const [directory, map] = await Promise.all([enrichments.ad?.(), enrichments.cprMap?.()]);
  if (map) log?.(`CPR mapping: ${map.size} people`);
  if (directory) {
    const s = directory.stats;
    log?.(`AD: ${s.cprs} CPRs with an account (${s.entries} entries in ${s.searches} paged search(es) this run; ${s.ambiguous} CPRs with several accounts and no pick)`);
  }
  const account = (cpr: string) => directory?.lookup(cpr);
  return {
    newPersonUuid: (cpr) => {
      const mapped = map?.get(cpr);
      if (mapped) return mapped;
      const found = account(cpr);
      return found?.kind === 'one' ? found.user.objectGuid : undefined;
    },
    ...(directory
      ? {
          itAccounts: (person) => {
            const found = account(person.cpr)!;
            // Several accounts the discriminator cannot choose between: MO's AD IT user is left as it is.
            return { [AD_IT_SYSTEM]: found.kind === 'one' ? found.user.samAccountName : found.kind === 'none' ? null : undefined };
          },
          issues: (person) => {
            const found = account(person.cpr)!;
            return found.kind === 'ambiguous'
              ? [`${found.users.length} AD accounts carry the CPR and integrations.ad's discriminator picks none; the Active Directory IT user is left as it is, and a new person gets no objectGUID`]
              : [];
          },
        }
      : {}),
  };
}

/** A read done once; a failed read is tried again next time. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= read().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}
