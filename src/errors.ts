/**
 * The error catalogue: one stable code per failure a client can see, so that logs, API answers
 * and the README agree. API errors are always `{"error": {"code", "message"}}`, never a stack.
 */

export const ERRORS = {
  BAD_REQUEST: { code: 'WSP_BAD_REQUEST', status: 400, message: 'The request is not valid.' },
  BODY_TOO_LARGE: { code: 'WSP_BODY_TOO_LARGE', status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { code: 'WSP_UNSUPPORTED_MEDIA_TYPE', status: 415, message: 'Send the body as application/json.' },
  UNAUTHORIZED: { code: 'WSP_UNAUTHORIZED', status: 401, message: 'Not authorised.' },
  FORBIDDEN: { code: 'WSP_FORBIDDEN', status: 403, message: 'Forbidden.' },
  NOT_FOUND: { code: 'WSP_NOT_FOUND', status: 404, message: 'Not found.' },
  METHOD_NOT_ALLOWED: { code: 'WSP_METHOD_NOT_ALLOWED', status: 405, message: 'Method not allowed.' },
  CONFLICT: { code: 'WSP_CONFLICT', status: 409, message: 'Not possible in the current state (a case already claimed or closed).' },
  RATE_LIMITED: { code: 'WSP_RATE_LIMITED', status: 429, message: 'Too many requests; try again after the number of seconds in Retry-After.' },
  UNAVAILABLE: { code: 'WSP_UNAVAILABLE', status: 503, message: 'The service is not ready; try again shortly.' },
  INTERNAL: { code: 'WSP_INTERNAL', status: 500, message: 'Something went wrong on our side.' },
} as const;

export type ErrorName = keyof typeof ERRORS;

/** The catalogue code for an HTTP status (the closest entry: 4xx without one of its own is a bad request). */
export function codeForStatus(status: number): string {
  const entry = Object.values(ERRORS).find((e) => e.status === status);
  if (entry) return entry.code;
  return status >= 500 ? ERRORS.INTERNAL.code : ERRORS.BAD_REQUEST.code;
}

/** An error with a catalogue code; `detail` is safe to show to the client (no personal data). */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(name: ErrorName, detail?: string) {
    super(detail ?? ERRORS[name].message);
    this.code = ERRORS[name].code;
    this.status = ERRORS[name].status;
  }
}

/** The JSON body of an error answer. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
