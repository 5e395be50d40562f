// Everything that can go wrong talking to OS2MO, as one error type callers can branch on
// (`error instanceof MoError && error.errorKey === 'V_EXISTING_CPR'`). Messages never carry CPR numbers
// (masked) or tokens, since they end up in logs and in Temporal's run history.
import { maskCprsIn } from '../util/cpr.js';

/**
 * - `mo`: MO refused the request with a business error (`extensions.error_context`, e.g. V_EXISTING_CPR);
 * - `graphql`: any other GraphQL error (validation, unknown field, resolver error);
 * - `http`: an HTTP status other than 200 (5xx and 429 are retried);
 * - `auth`: the token endpoint refused the credentials, or MO refused the token twice;
 * - `network`: the request did not complete (refused, reset, DNS);
 * - `timeout`: no complete answer within the configured time.
 */
export type MoErrorKind = 'mo' | 'graphql' | 'http' | 'auth' | 'network' | 'timeout';

/** For a failure inside a batch write: which of the caller's operations the failing mutation carried. */
export interface MoBatchFailure {
  /** The aliased mutation that failed (`m3`), null when the error is not tied to one. */
  alias: string | null;
  /** The MO mutation, e.g. `engagement_create`. */
  field: string | null;
  /** Indexes into the list given to the writer: one for a single mutation, a run for a bulk one. */
  operationIndexes: number[];
  /** Operations before this index were applied in earlier requests; this request changed nothing. */
  committedBefore: number;
}

export interface MoErrorDetails {
  kind: MoErrorKind;
  operationName: string;
  /** MO's error_key (V_EXISTING_CPR, E_ENGAGEMENT_NOT_FOUND, …), null when MO gave none. */
  errorKey?: string | null;
  /** MO's error_context.status, else the HTTP status; null for network errors and timeouts. */
  status?: number | null;
  description?: string | null;
  /** GraphQL `errors[].path`, e.g. ['m3'] for an aliased mutation. */
  path?: readonly (string | number)[] | null;
  /** Node's error code for network failures (ECONNREFUSED, UND_ERR_SOCKET, …). */
  code?: string | null;
  batch?: MoBatchFailure | null;
  /** The number of GraphQL errors MO returned (only the first is described). */
  errorCount?: number;
  cause?: unknown;
}

export class MoError extends Error {
  readonly kind: MoErrorKind;
  readonly operationName: string;
  readonly errorKey: string | null;
  readonly status: number | null;
  readonly description: string | null;
  readonly path: readonly (string | number)[] | null;
  readonly code: string | null;
  readonly batch: MoBatchFailure | null;
  readonly errorCount: number;

  constructor(details: MoErrorDetails) {
    super(composeMessage(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MoError';
    this.kind = details.kind;
    this.operationName = details.operationName;
    this.errorKey = details.errorKey ?? null;
    this.status = details.status ?? null;
    this.description = details.description === undefined || details.description === null ? null : maskCprsIn(details.description);
    this.path = details.path ?? null;
    this.code = details.code ?? null;
    this.batch = details.batch ?? null;
    this.errorCount = details.errorCount ?? 1;
  }

  /** The same error, placed in a batch write. */
  inBatch(batch: MoBatchFailure): MoError {
    return new MoError({ ...this.details(), batch });
  }

  private details(): MoErrorDetails {
    return {
      kind: this.kind,
      operationName: this.operationName,
      errorKey: this.errorKey,
      status: this.status,
      description: this.description,
      path: this.path,
      code: this.code,
      batch: this.batch,
      errorCount: this.errorCount,
      cause: this.cause,
    };
  }
}

function composeMessage(d: MoErrorDetails): string {
  const parts = [`OS2MO ${d.operationName}`];
  if (d.batch) {
    const ops = d.batch.operationIndexes;
    const which = ops.length === 1 ? `operation ${ops[0]}` : ops.length > 1 ? `operations ${ops[0]}–${ops[ops.length - 1]}` : 'the request';
    parts.push(`(${which}${d.batch.field ? `, ${d.batch.alias ?? '?'}: ${d.batch.field}` : ''})`);
  }
  const key = d.errorKey ? ` ${d.errorKey}` : '';
  const status = d.status !== null && d.status !== undefined ? ` (${d.status})` : '';
  const extra = d.errorCount !== undefined && d.errorCount > 1 ? ` [+${d.errorCount - 1} more]` : '';
  return maskCprsIn(`${parts.join(' ')} failed:${key}${status} ${d.description ?? d.kind}${extra}`);
}
