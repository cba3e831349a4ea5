/**
 * CORS for the public API, so that partner sites can call it from their own pages. `*` lets any
 * page call it; a list lets only those origins (the browser's Origin is echoed back when it is
 * listed). Never with credentials: the API reads no cookie, and a page cannot make it read one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long a browser may reuse a preflight answer (Chromium keeps it at most 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/** The Access-Control-Allow-Origin value for `origin`, or undefined when it may not call. */
export function allowedOrigin(origins: readonly string[], origin: string | undefined): string | undefined {
  if (origins.includes('*')) return '*';
  return origin !== undefined && origins.includes(origin) ? origin : undefined;
}

/** The hook and the preflight handler for one route that answers `methods`. */
export function corsFor(origins: readonly string[], methods: readonly string[]) {
  const setOrigin = (request: FastifyRequest, reply: FastifyReply): void => {
    const allow = allowedOrigin(origins, request.headers.origin);
    // With a list the answer depends on the Origin: a shared cache must not give one site's to another.
    if (!origins.includes('*')) reply.header('vary', 'Origin');
    if (allow) reply.header('access-control-allow-origin', allow);
  };
  return {
    /** On every answer of the route, errors included: a partner's page can read why it was refused. */
    async onRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      setOrigin(request, reply);
      // The wait of a 429 is in Retry-After, which a page may read only when told so.
      reply.header('access-control-expose-headers', 'Retry-After');
    },
    /** `OPTIONS`: 204, with the allowed method and header for a listed origin (none for another, and the browser stops). */
    async preflight(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      setOrigin(request, reply);
      if (reply.hasHeader('access-control-allow-origin')) {
        reply
          .header('access-control-allow-methods', methods.join(', '))
          .header('access-control-allow-headers', 'Content-Type')
          .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      return reply.code(204).send();
    },
  };
}
