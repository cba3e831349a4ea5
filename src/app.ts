/**
 * buildApp: creates the Fastify app with every module registered in one visible order. It never
 * listens (main.ts does), so tests build it and use `app.inject` or listen on a free port.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { loadEngine } from './content/engine.js';
import { createPipeline, type Pipeline } from './conversation/pipeline.js';
import type { Engine } from './engine/engine.js';
import { registerChatRoutes } from './http/chatRoutes.js';
import { registerErrorHandlers } from './http/errorHandler.js';
import { registerHealthRoutes } from './http/healthRoutes.js';
import { registerWebChatPage } from './http/webChatPage.js';
import { createMemoryStore } from './storage/memory.js';
import type { Store } from './storage/store.js';

const HOUR_MS = 60 * 60 * 1000;

export interface AppDeps {
  config: Config;
  /** Defaults to the in-memory store. */
  store?: Store;
  /** Defaults to the wall clock; tests pass their own to move time. */
  now?: () => number;
  /** Defaults to the engine built from FLOWS_DIR and LOCALES_DIR. */
  engine?: Engine;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The pieces tests and tools may want to reach. */
    waspada: { pipeline: Pipeline; store: Store; engine: Engine };
  }
}

/** Builds the app without listening. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const now = deps.now ?? Date.now;

  // 1. Content first: a broken flow or locale stops the start here, with every problem listed.
  const engine =
    deps.engine ??
    loadEngine({ flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR }, config.DEFAULT_LANG, config.SESSION_IDLE_HOURS * HOUR_MS);

  // 2. The store and the conversation pipeline.
  const store = deps.store ?? createMemoryStore({ now });
  const app = Fastify({
    logger: { level: config.LOG_LEVEL },
    // The request id goes on every log line; a client-supplied one is not trusted.
    genReqId: () => crypto.randomUUID(),
    // No route answers with a body larger than this; routes lower it further.
    bodyLimit: 64 * 1024,
  });
  const pipeline = createPipeline({
    engine,
    store,
    log: app.log,
    now,
    sessionRetentionMs: config.SESSION_RETENTION_HOURS * HOUR_MS,
  });

  // 3. Errors, then routes: health, the web chat API, the page.
  registerErrorHandlers(app);
  registerHealthRoutes(app, { store });
  registerChatRoutes(app, { pipeline, bodyLimit: config.CHAT_BODY_LIMIT_BYTES });
  registerWebChatPage(app);

  // 4. Closing the app closes the store it created (a store passed in belongs to the caller).
  if (!deps.store) app.addHook('onClose', async () => store.close());

  app.decorate('waspada', { pipeline, store, engine });
  return app;
}
