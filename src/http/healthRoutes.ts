/** `GET /healthz` says the process is alive; `GET /readyz` says the store answers. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import type { Store } from '../storage/store.js';

/** Registers the health routes. */
export function registerHealthRoutes(app: FastifyInstance, deps: { store: Store }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    try {
      await deps.store.ping();
    } catch {
      throw new AppError('UNAVAILABLE');
    }
    return { status: 'ready' };
  });
}
