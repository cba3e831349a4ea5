/**
 * `GET /metrics`: this instance's Prometheus metrics (src/metrics/metrics.ts), and the timing of
 * every HTTP request by its route pattern (never the URL, which can hold a case number or a
 * recruiter's key) and status class.
 *
 * Who may read them: with METRICS_TOKEN set, a request with `Authorization: Bearer <token>`
 * (compared in constant time). Without it, only a direct connection from this machine: a
 * loopback address on the socket itself (not `request.ip`, which a trusted proxy setting would
 * take from a header) and none of a proxy's forwarding headers, since a reverse proxy on the same
 * machine makes every visitor's connection come from loopback. The numbers hold no personal data,
 * but they tell how busy the hotline is and how long cases wait, which is nobody else's business.
 *
 * A scrape is neither rate-limited nor logged at info (Prometheus asks every 15 to 60 seconds).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../common/safeEqual.js';
import { ERRORS, errorBody } from '../errors.js';
import type { Metrics } from '../metrics/metrics.js';

/** Headers a reverse proxy adds; a request carrying one did not come from this machine. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Registers the request timing hook and the metrics route. */
export function registerMetricsRoutes(app: FastifyInstance, deps: { metrics: Metrics; token?: string }): void {
  const { metrics } = deps;
  // A synchronous hook: one map lookup and one histogram observation per request.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  /** Answers the refusal and returns true when the request may not read the metrics. */
  function refused(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
    if (deps.token !== undefined) {
      const header = request.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (given !== '' && safeEqual(given, deps.token)) return undefined;
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send(errorBody(ERRORS.UNAUTHORIZED.code, ERRORS.UNAUTHORIZED.message));
    }
    if (isLoopback(request.socket.remoteAddress) && !FORWARDING_HEADERS.some((h) => h in request.headers)) return undefined;
    return reply.code(403).send(errorBody(ERRORS.FORBIDDEN.code, 'Metrics are served only to this machine; set METRICS_TOKEN to scrape them from elsewhere.'));
  }

  app.get('/metrics', { logLevel: 'warn' }, async (request, reply) => {
    const refusal = refused(request, reply);
    if (refusal) return refusal;
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).header('cache-control', 'no-store').send(body);
  });
}
