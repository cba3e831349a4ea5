/**
 * What every request must be before any route sees it. Bodies: the app-wide limit (64 KiB,
 * routes set lower or, for WhatsApp's batches, higher ones), and none at all on GET and HEAD,
 * which Fastify would otherwise let through unread. Types: JSON is the only body the app parses
 * (Fastify's default `text/plain` parser is removed), and only as UTF-8 (jsonBody.ts); the
 * console's scope parses forms instead, and each route checks the exact type before its body is
 * read (requireJson.ts, formBody.ts).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { registerJsonBody } from './jsonBody.js';

const BODYLESS = new Set(['GET', 'HEAD']);

/** Installs the request checks on the whole app. */
export function registerRequestHygiene(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  registerJsonBody(app);
  app.addHook('onRequest', async (request, reply) => {
    if (!BODYLESS.has(request.method)) return;
    const length = request.headers['content-length'];
    if (request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')) {
      // The body limit of a GET is nothing; the connection closes rather than read the body to keep it.
      reply.header('connection', 'close');
      throw new AppError('BODY_TOO_LARGE', 'A GET or HEAD request carries no body.');
    }
  });
}
