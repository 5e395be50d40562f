// Errors as OS2MO shapes them: GraphQL errors (HTTP 200) whose extensions.error_context carries MO's
// error_key, description and status, so clients branch on the same keys against both services. The error's
// message is what OS2MO's GraphQL layer makes of its exception: str(HTTPException), i.e.
// "ErrorCodes.V_EXISTING_CPR", or the repr of (key, message) when MO raised the key with a message of its own.
import { GraphQLError } from 'graphql';

export interface ErrorContext {
  error: true;
  error_key: string;
  description: string;
  status: number;
  [extra: string]: unknown;
}

export interface MoErrorOptions {
  /** The GraphQL message, when it is not OS2MO's plain "ErrorCodes.<key>". */
  message?: string;
}

export function moError(errorKey: string, description: string, status: number, extra: Record<string, unknown> = {}, options: MoErrorOptions = {}): GraphQLError {
  const context: ErrorContext = { error: true, error_key: errorKey, description, status, ...extra };
  return new GraphQLError(options.message ?? `ErrorCodes.${errorKey}`, { extensions: { error_context: context } });
}

/** Python's repr of a str: single quotes unless the text has a single quote and no double one. */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n');
  return `${quote}${escaped}${quote}`;
}

/**
 * OS2MO's `ErrorCodes.X(message)`: the message becomes the description, and the GraphQL message the repr of
 * the exception's arguments, e.g. `(<ErrorCodes.E_INVALID_INPUT: (400, 'Invalid input.')>, "'…' is not at midnight!")`.
 */
export function moErrorWithMessage(errorKey: string, status: number, defaultDescription: string, description: string, extra: Record<string, unknown> = {}): GraphQLError {
  const message = `(<ErrorCodes.${errorKey}: (${status}, ${pyRepr(defaultDescription)})>, ${pyRepr(description)})`;
  return moError(errorKey, description, status, extra, { message });
}

/** Anything outside docs/mo-api-subset.md: said plainly, never answered with a silent null. */
export function notSupported(what: string): GraphQLError {
  return new GraphQLError(`${what} is not supported by the local MO (it implements the subset in docs/mo-api-subset.md)`, {
    extensions: { code: 'NOT_SUPPORTED_BY_LOCAL_MO' },
  });
}

export function invalidInput(description: string): GraphQLError {
  return moErrorWithMessage('E_INVALID_INPUT', 400, 'Invalid input.', description);
}
