/**
 * The one error taxonomy. Anything thrown as a DomainError is the user's to fix
 * and is shown to them as an ephemeral message; anything else is a fault, logged
 * with a correlation id.
 */
export const DOMAIN_ERROR_CODES = [
  'NOT_FOUND',
  'INVALID_INPUT',
  'INVALID_TRANSITION',
  'CONFLICT',
  'NOT_IN_INCIDENT_CHANNEL',
  /** The person may not change this (a private incident they are not in, a button from elsewhere). */
  'NOT_ALLOWED',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    /** Shown to the user as is: says what was wrong and how to write it. */
    readonly userMessage: string,
  ) {
    super(`${code}: ${userMessage}`);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
