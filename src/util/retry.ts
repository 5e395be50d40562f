// Retrying transient failures with exponential backoff and jitter (p-retry), in one place so every
// source and client retries the same way. A non-transient error is thrown at once.
import pRetry, { AbortError } from 'p-retry';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /** What is being retried, for the warning printed before each retry. */
  what: string;
  /** False for errors no retry can fix (bad credentials, missing share). */
  isTransient: (error: unknown) => boolean;
  onRetry?: (message: string) => void;
  /**
   * Shared by requests that fail together (one client's concurrent reads when the server is down): one
   * warning per retry round instead of one per request.
   */
  rounds?: RetryRounds;
  /** Stops retrying at once (the pause included) with the signal's reason: a cancelled activity gives up. */
  signal?: AbortSignal;
}

/**
 * One line per retry round: the first request to fail its n-th attempt speaks for that round; the others
 * reaching the same round within `windowMs` (about one backoff) stay silent. A success starts afresh, so a
 * later outage is reported again.
 */
export class RetryRounds {
  private round = 0;
  private at = 0;
  private silenced = 0;

  constructor(private readonly windowMs: number) {}

  /** Whether the warning of this failed attempt is printed; the count of silenced ones goes with the next. */
  speaks(attempt: number, now = Date.now()): { speak: boolean; others: number } {
    if (attempt > this.round || now - this.at > this.windowMs) {
      const others = this.silenced;
      this.round = attempt;
      this.at = now;
      this.silenced = 0;
      return { speak: true, others };
    }
    this.silenced++;
    return { speak: false, others: 0 };
  }

  succeeded(): void {
    this.round = 0;
    this.silenced = 0;
  }
}

export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  return pRetry(
    async () => {
      try {
        const value = await fn();
        policy.rounds?.succeeded();
        return value;
      } catch (error) {
        if (!policy.isTransient(error)) throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
    {
      retries: policy.retries,
      ...(policy.signal ? { signal: policy.signal } : {}),
      minTimeout: policy.minTimeoutMs,
      maxTimeout: policy.maxTimeoutMs,
      factor: 2,
      randomize: true,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft <= 0) return;
        const round = policy.rounds?.speaks(attemptNumber) ?? { speak: true, others: 0 };
        if (!round.speak) return;
        const also = round.others > 0 ? ` (${round.others} other request(s) failed alike in the round before)` : '';
        (policy.onRetry ?? ((m) => process.stderr.write(`${m}\n`)))(
          `${policy.what} failed (attempt ${attemptNumber}: ${error.message}); retrying, ${retriesLeft} left${also}`,
        );
      },
    },
  );
}

/** Network-level failures worth another try. */
export function isTransientNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED'].includes(code)
  );
}
