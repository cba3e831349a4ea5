/**
 * One error handler for every route: catalogue errors keep their code, Fastify's own client
 * errors (bad JSON, wrong content type, body too large) are mapped to the catalogue, and
 * anything else is logged and answered with a plain 500 — never a stack trace.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, codeForStatus, ERRORS, errorBody } from '../errors.js';
import { StoreUnavailableError } from '../storage/store.js';

const FASTIFY_CODES: Record<string, (typeof ERRORS)[keyof typeof ERRORS]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ERRORS.BODY_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ERRORS.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ERRORS.BAD_REQUEST,
  FST_ERR_CTP_EMPTY_JSON_BODY: ERRORS.BAD_REQUEST,
  FST_ERR_CTP_INVALID_JSON_BODY: ERRORS.BAD_REQUEST,
};

/** Fastify's own client errors (body too large, wrong content type, bad JSON) as a catalogue status, code and message; undefined for others. */
export function fastifyClientError(error: FastifyError | Error): { status: number; code: string; message: string } | undefined {
  const known = 'code' in error && typeof error.code === 'string' ? FASTIFY_CODES[error.code] : undefined;
  if (known) return { status: known.status, code: known.code, message: 'code' in error && error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'The body is not valid JSON.' : known.message };
  if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    // Another client error from Fastify (for example a JSON syntax error): its message names no user data.
    return { status: error.statusCode, code: ERRORS.BAD_REQUEST.code, message: ERRORS.BAD_REQUEST.message };
  }
  return undefined;
}

/**
 * Fastify's errors before a request is routed (a URL that cannot be decoded, a parameter over
 * its length): the catalogue's answer for the status, instead of Fastify's own, which quotes the
 * path back. No hook has run, so the one header every answer needs is set here.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  const entry = Object.values(ERRORS).find((e) => e.code === codeForStatus(status)) ?? ERRORS.INTERNAL;
  void reply.code(status).header('x-content-type-options', 'nosniff').send(errorBody(entry.code, entry.message));
}

/** Installs the error and not-found handlers. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | StoreUnavailableError, request, reply) => {
    if (error instanceof AppError) {
      return reply.code(error.status).send(errorBody(error.code, error.message));
    }
    if (error instanceof StoreUnavailableError) {
      // Nothing was stored, so nothing is acknowledged: the provider (or the page) retries later.
      request.log.warn({ reason: error.message }, 'store unavailable');
      return reply.code(503).header('retry-after', '5').send(errorBody(ERRORS.UNAVAILABLE.code, ERRORS.UNAVAILABLE.message));
    }
    const client = fastifyClientError(error);
    if (client) return reply.code(client.status).send(errorBody(client.code, client.message));
    // The err serializer keeps the class, codes and stack frames, never the message (it may quote the input).
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody(ERRORS.INTERNAL.code, ERRORS.INTERNAL.message));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody(ERRORS.NOT_FOUND.code, ERRORS.NOT_FOUND.message)));
}
