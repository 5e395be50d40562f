// Errors as OS2MO shapes them: GraphQL errors (HTTP 200) whose extensions.error_context carries MO's
// error_key, description and status, so clients branch on the same keys against both services.
import { GraphQLError } from 'graphql';

export interface ErrorContext {
  error: true;
  error_key: string;
  description: string;
  status: number;
  [extra: string]: unknown;
}

export function moError(errorKey: string, description: string, status: number, extra: Record<string, unknown> = {}): GraphQLError {
  const context: ErrorContext = { error: true, error_key: errorKey, description, status, ...extra };
  return new GraphQLError(description, { extensions: { error_context: context } });
}

/** Anything outside docs/mo-api-subset.md: said plainly, never answered with a silent null. */
export function notSupported(what: string): GraphQLError {
  return new GraphQLError(`${what} is not supported by the local MO (it implements the subset in docs/mo-api-subset.md)`, {
    extensions: { code: 'NOT_SUPPORTED_BY_LOCAL_MO' },
  });
}

export function invalidInput(description: string): GraphQLError {
  return moError('E_INVALID_INPUT', description, 400);
}
