// One HTTP exchange with a deadline covering the whole answer (headers and body), with failures turned
// into MoErrors that keep Node's error code (ECONNREFUSED, UND_ERR_SOCKET, …) for the retry decision.
import { MoError } from './errors.js';

export interface HttpAnswer {
  status: number;
  text: string;
}

export async function postForText(url: string, init: { headers: Record<string, string>; body: string }, timeoutMs: number, operationName: string): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    throw networkError(error, operationName, timeoutMs);
  }
}

/** A failed fetch (refused, reset, timed out) as a MoError with the underlying code. */
export function networkError(error: unknown, operationName: string, timeoutMs: number): MoError {
  if (error instanceof MoError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new MoError({ kind: 'timeout', operationName, description: `no complete answer within ${timeoutMs} ms`, cause: error });
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = errorCode(cause) ?? errorCode(error);
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return new MoError({ kind: 'network', operationName, code, description: message, cause: error });
}

function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
