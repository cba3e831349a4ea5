/**
 * What a separate sender (`npm run worker`, src/worker.ts) answers on HOST:PORT: `/healthz` for
 * the image's HEALTHCHECK, `/readyz` (the store answers), and `GET /metrics`, under the same
 * rules as the app's (METRICS_TOKEN, or loopback only). With SENDERS=none the app instances never
 * deliver anything, so the sends, the cases and the delivery lag are counted only here.
 *
 * Nothing else is served: a sender takes no messages in, so it has no routes a person or a
 * provider reaches, no body parsing worth the name (a GET only) and no rate limits.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import type { Store } from '../storage/store.js';
import { frameworkErrors, registerErrorHandlers } from './errorHandler.js';
import { registerHealthRoutes } from './healthRoutes.js';
import { registerMetricsRoutes } from './metricsRoutes.js';

export interface SenderServerOptions {
  store: Store;
  metrics: Metrics;
  /** METRICS_TOKEN, when set. */
  token?: string;
  /** The sender's logger (its redaction and work ids, src/logging/loggerOptions.ts). */
  log: FastifyBaseLogger;
}

/** Builds the sender's small HTTP server, without listening. */
export function buildSenderServer(o: SenderServerOptions): FastifyInstance {
  const app = Fastify({
    // Probes and scrapes every few seconds: only warnings and failures are worth a line.
    loggerInstance: o.log.child({}, { level: quieter(o.log.level, 'warn') }),
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 1024,
    frameworkErrors,
  });
  registerMetricsRoutes(app, { metrics: o.metrics, ...(o.token ? { token: o.token } : {}) });
  registerErrorHandlers(app);
  registerHealthRoutes(app, { store: o.store });
  return app;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** The quieter of two pino levels (LOG_LEVEL=error must stay error here). */
function quieter(a: string, b: string): string {
  return LEVELS.indexOf(a) > LEVELS.indexOf(b) ? a : b;
}
