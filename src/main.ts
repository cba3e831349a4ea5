/**
 * The only entry point that listens: config → buildApp → listen → graceful stop.
 */
import { buildApp } from './app.js';
import { ConfigError, parseConfig } from './config.js';
import { withLogIds } from './logging/logContext.js';
import { errorFields } from './logging/loggerOptions.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp({ config });
  await app.listen({ host: config.HOST, port: config.PORT });
  const shown = config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST;
  app.log.info(`Waspada is running: open http://${shown}:${config.PORT} for the web chat`);

  // A graceful stop (README, "Stopping"): no new connections, requests in flight finished, the
  // sender's claimed messages delivered or left for another sender, then Redis closed, all within
  // SHUTDOWN_TIMEOUT_SECONDS; exit 0 when done in time, 1 when not. A repeated signal changes
  // nothing: Ctrl-C under `npm start` reaches the app twice (from the terminal and from npm).
  let stopping = false;
  const stop = (signal: string): void => withLogIds({ job: 'shutdown' }, () => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    app.log.info({ signal, timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS }, 'stopping: no new requests; finishing those in flight and the messages being sent');
    const timer = setTimeout(() => {
      app.log.error({ ms: Date.now() - started }, 'not stopped within SHUTDOWN_TIMEOUT_SECONDS; exiting anyway (unsent messages stay in the outbox)');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    timer.unref();
    // A keep-alive connection that goes idle after its last answer would hold the close until it
    // times out: idle ones are closed as they appear (a client that sends on one sees it closed and retries).
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    sweep.unref();
    app.close().then(
      () => {
        app.log.info({ ms: Date.now() - started }, 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        app.log.error({ ms: Date.now() - started, ...errorFields(err) }, 'stopping failed');
        process.exit(1);
      },
    );
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

// Lines logged while starting (Fastify's "listening" too) say `job: startup`; requests and background work have their own ids.
withLogIds({ job: 'startup' }, main).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
