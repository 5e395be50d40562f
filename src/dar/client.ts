// Asking DAR for one postal address: `datavask/adresser`, then `datavask/adgangsadresser` when that gives
// no accepted answer. Every request has a deadline; 5xx, 429, timeouts and network errors are retried with
// backoff. What the retries cannot fix is `unavailable` — never a miss, because a miss is cached and
// reported as bad OPUS data, while an outage only means "ask again next run".
//
// Messages never carry the address: employees' addresses are personal data, and retry notices are logged.
import { RetryRounds, withRetry } from '../util/retry.js';
import { betegnelseOf, DATAVASK_RESOURCES, DatavaskProtocolError, judgeDatavask, type DatavaskResource, type DatavaskVerdict } from './datavask.js';

export const DEFAULT_DAR_BASE_URL = 'https://api.dataforsyningen.dk';

export type DarLookup =
  | { kind: 'found'; uuid: string; resource: DatavaskResource; category: 'A' | 'B' }
  /** DAR answered, and has no unique address for the text. */
  | { kind: 'miss'; reason: string }
  /** DAR could not be asked (outage, timeouts, an answer that is not DAR's): ask again next run. */
  | { kind: 'unavailable'; reason: string };

export interface DarRetryOptions {
  /** Attempts after the first (default 3). */
  retries?: number;
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
}

export interface DarClientOptions {
  /** Default https://api.dataforsyningen.dk; a path (a proxy's prefix) is kept. */
  baseUrl?: string;
  /** Deadline of one request, body included (default 10 s, as os2mo_dar_client). */
  timeoutMs?: number;
  retry?: DarRetryOptions;
  /** Retry notices (counts and statuses only). */
  log?: (message: string) => void;
}

export interface DarClient {
  readonly baseUrl: string;
  /** HTTP requests sent so far, retries included. */
  readonly requests: number;
  lookUp(street: string, postalCode: string): Promise<DarLookup>;
}

/** 3 retries, 1 s doubling (randomised) to 10 s: rides out a blip without stalling a run for long. */
export const DEFAULT_DAR_RETRY = { retries: 3, minTimeoutMs: 1000, maxTimeoutMs: 10_000 } as const;

/** A failed request; `transient` ones are worth another attempt. */
export class DarRequestError extends Error {
  override name = 'DarRequestError';
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export function createDarClient(options: DarClientOptions = {}): DarClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_DAR_BASE_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retry = { ...DEFAULT_DAR_RETRY, ...options.retry };
  // Look-ups run side by side: when DAR is down they fail together, and one line per round says so.
  const rounds = new RetryRounds(retry.maxTimeoutMs * 2);
  let requests = 0;

  /** One request: the verdict, or a DarRequestError. */
  async function ask(resource: DatavaskResource, betegnelse: string): Promise<DatavaskVerdict> {
    const what = `DAR datavask/${resource}`;
    requests++;
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${baseUrl}/datavask/${resource}?betegnelse=${encodeURIComponent(betegnelse)}`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      // Always read the body (under the same deadline), so the connection goes back to the pool.
      text = await response.text();
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') throw new DarRequestError(`${what} did not answer within ${timeoutMs} ms`, true);
      const code = ((error as { cause?: { code?: unknown } }).cause?.code as string | undefined) ?? (error as Error).message;
      throw new DarRequestError(`${what} could not be reached (${code})`, true);
    }
    if (status === 429 || status >= 500) throw new DarRequestError(`${what} answered HTTP ${status}`, true);
    if (status === 400) return { accepted: false, reason: `${resource}: DAR refused the text (HTTP 400)` };
    const body = parse(text);
    if (status === 404) {
      // DAR's own 404 is JSON; an HTML 404 means the base URL does not lead to DAR, which is no miss.
      if (body === undefined) throw new DarRequestError(`${what} answered HTTP 404 without JSON: is the DAR base URL ${baseUrl} right?`, false);
      return { accepted: false, reason: `${resource}: not found` };
    }
    if (status !== 200) throw new DarRequestError(`${what} answered HTTP ${status}: is the DAR base URL ${baseUrl} right?`, false);
    try {
      const verdict = judgeDatavask(body);
      return verdict.accepted ? verdict : { accepted: false, reason: `${resource}: ${verdict.reason}` };
    } catch (error) {
      if (error instanceof DatavaskProtocolError) throw new DarRequestError(`${what} gave no datavask answer (${error.message}); is the DAR base URL ${baseUrl} right?`, false);
      throw error;
    }
  }

  return {
    baseUrl,
    get requests() {
      return requests;
    },
    async lookUp(street, postalCode) {
      const betegnelse = betegnelseOf(street, postalCode);
      const reasons: string[] = [];
      for (const resource of DATAVASK_RESOURCES) {
        let verdict: DatavaskVerdict;
        try {
          verdict = await withRetry(() => ask(resource, betegnelse), {
            ...retry,
            what: `DAR datavask/${resource}`,
            isTransient: (error) => error instanceof DarRequestError && error.transient,
            onRetry: options.log ?? (() => {}),
            rounds,
          });
        } catch (error) {
          // Without this answer nothing can be concluded, not even from the other resource.
          return { kind: 'unavailable', reason: (error as Error).message };
        }
        if (verdict.accepted) return { kind: 'found', uuid: verdict.uuid, resource, category: verdict.category };
        reasons.push(verdict.reason);
      }
      return { kind: 'miss', reason: reasons.join('; ') };
    },
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
