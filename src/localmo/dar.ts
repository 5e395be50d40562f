// DAR addresses (Danmarks Adresseregister), looked up as OS2MO 66.1.2 looks them up (mora/service/
// address_handler/dar.py through fastramqpi's AsyncDARClient): per request, batched, by uuid in a DAWA-style
// service — `GET {base}/{resource}?id=a|b|…&struktur=mini&noformat=1`, 100 uuids a request, in `adresser`,
// then what it did not find in `adgangsadresser`, `historik/adresser` and `historik/adgangsadresser`.
// Nothing is kept between requests: like OS2MO, every read asks DAR, so an address DAR has withdrawn is
// "Ukendt" at once and a DAR that cannot be reached fails the read instead of showing an old name.
// Without a DAR service (moflow's demo) nothing is looked up: a DAR address is named by its stored value
// and a DAR value is only checked to be a uuid.
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';

const FETCH_TIMEOUT_MS = 10_000;
const CHUNK = 100;
const RESOURCES = ['adresser', 'adgangsadresser', 'historik/adresser', 'historik/adgangsadresser'] as const;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** mora's dar.NOT_FOUND: the name of a DAR address DAR does not have. */
export const DAR_NOT_FOUND = 'Ukendt';

/** An address as DAR answers it (DAWA's mini structure; the fields a name is made of). */
export type DarObject = Record<string, unknown>;

export interface DarNames {
  /** Whether the MO has a DAR service (else names are stored values and values are not looked up). */
  readonly enabled: boolean;
  /** DAR's address under this uuid, null when DAR has none; throws when DAR cannot be asked. */
  lookUp(uuid: string): Promise<DarObject | null>;
}

/** OS2MO's name of a DAR address (mora's `name_from_dar_object`, loosely DAWA's `adressebetegnelse`). */
export function nameFromDar(address: DarObject | null): string {
  if (address === null) return DAR_NOT_FOUND;
  const has = (field: string) => address[field] !== undefined && address[field] !== null;
  let text = String(address.vejnavn);
  if (has('husnr')) text += ` ${String(address.husnr)}`;
  if (has('etage') || has('dør')) text += ',';
  if (has('etage')) text += ` ${String(address.etage)}.`;
  if (has('dør')) text += ` ${String(address['dør'])}`;
  text += ', ';
  if (has('supplerendebynavn')) text += `${String(address.supplerendebynavn)}, `;
  return `${text}${String(address.postnr)} ${String(address.postnrnavn)}`;
}

/** DAR could not be asked: a GraphQL error without error_context, in OS2MO's (aiohttp's) words where it has them. */
function unreachable(url: URL, error: unknown): GraphQLError {
  const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? null) as string | null;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (code === 'ECONNREFUSED') {
    return new GraphQLError(`Cannot connect to host ${url.hostname}:${port} ssl:default [Connect call failed ('${url.hostname}', ${port})]`);
  }
  const why = (error as Error).name === 'TimeoutError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : (code ?? (error as Error).message);
  return new GraphQLError(`Cannot connect to host ${url.hostname}:${port} ssl:default [${why}]`);
}

export class DarService {
  /** DAR requests made (for tests and the log). */
  requests = 0;

  constructor(
    private readonly baseUrl: string | null,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** A per-request view batching look-ups, as OS2MO's per-request dar_loader does. */
  forRequest(): DarNames {
    if (!this.baseUrl) {
      return {
        enabled: false,
        lookUp: async () => {
          throw new Error('the local MO has no DAR service');
        },
      };
    }
    const loader = new DataLoader<string, DarObject | null>((uuids) => this.fetch(uuids), { maxBatchSize: 1000 });
    return {
      enabled: true,
      lookUp: (uuid) => {
        // OS2MO's UUID(value): a stored value that is no uuid fails (it never stores one).
        if (!UUID_RE.test(uuid)) return Promise.reject(new GraphQLError('badly formed hexadecimal UUID string'));
        return loader.load(uuid.toLowerCase());
      },
    };
  }

  private async fetch(uuids: readonly string[]): Promise<(DarObject | null)[]> {
    const found = new Map<string, DarObject>();
    let missing = [...new Set(uuids)];
    for (const resource of RESOURCES) {
      if (missing.length === 0) break;
      const chunks: string[][] = [];
      for (let i = 0; i < missing.length; i += CHUNK) chunks.push(missing.slice(i, i + CHUNK));
      const answers = await Promise.all(chunks.map((chunk) => this.fetchList(resource, chunk)));
      for (const list of answers) for (const address of list) if (typeof address.id === 'string') found.set(address.id.toLowerCase(), address);
      missing = missing.filter((u) => !found.has(u));
    }
    return uuids.map((u) => found.get(u) ?? null);
  }

  private async fetchList(resource: string, ids: string[]): Promise<DarObject[]> {
    const url = new URL(`${this.baseUrl!.replace(/\/+$/, '')}/${resource}`);
    url.search = new URLSearchParams({ id: ids.join('|'), struktur: 'mini', noformat: '1' }).toString();
    this.requests += 1;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    } catch (error) {
      this.log(`a DAR look-up failed (${(error as Error).message}); the read fails`);
      throw unreachable(url, error);
    }
    if (!response.ok) {
      // OS2MO takes an error status for "DAR has none of them" (Ukendt, V_INVALID_ADDRESS_DAR); the local MO
      // fails instead, so that a DAR outage is never mistaken for an unknown address (docs/mo-api-subset.md).
      await response.body?.cancel();
      this.log(`DAR answered ${response.status} for a look-up (${resource}); the read fails`);
      throw new GraphQLError(`DAR answered ${response.status} ${response.statusText} for ${url.origin}${url.pathname}`);
    }
    const body = (await response.json()) as unknown;
    return Array.isArray(body) ? (body.filter((a) => a !== null && typeof a === 'object') as DarObject[]) : [];
  }
}
