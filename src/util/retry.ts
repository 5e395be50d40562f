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
}

export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await fn();
      } catch (error) {
        if (!policy.isTransient(error)) throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
    {
      retries: policy.retries,
      minTimeout: policy.minTimeoutMs,
      maxTimeout: policy.maxTimeoutMs,
      factor: 2,
      randomize: true,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft > 0) {
          (policy.onRetry ?? ((m) => process.stderr.write(`${m}\n`)))(
            `${policy.what} failed (attempt ${attemptNumber}: ${error.message}); retrying, ${retriesLeft} left`,
          );
        }
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
