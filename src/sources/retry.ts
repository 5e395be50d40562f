// How remote dump sources retry transient failures (server down, connection dropped, 5xx): the same
// backoff for SMB and Cloud Storage, overridable so tests can wait milliseconds instead of minutes.
import type { RetryPolicy } from '../util/retry.js';

export type SourceRetryOptions = Partial<Pick<RetryPolicy, 'retries' | 'minTimeoutMs' | 'maxTimeoutMs' | 'onRetry'>>;

/** 5 retries, 1 s doubling to 30 s: rides out a server restart of about a minute. */
export const DEFAULT_SOURCE_RETRY = { retries: 5, minTimeoutMs: 1000, maxTimeoutMs: 30_000 } as const;

export function sourceRetryPolicy(what: string, isTransient: (error: unknown) => boolean, options: SourceRetryOptions = {}): RetryPolicy {
  return { ...DEFAULT_SOURCE_RETRY, ...options, what, isTransient };
}
