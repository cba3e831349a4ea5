/**
 * The only entry point that listens: config → buildApp → listen → graceful stop.
 */
import { buildApp } from './app.js';
import { ConfigError, parseConfig } from './config.js';
import { withLogIds } from './logging/logContext.js';

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

  let stopping = false;
  const stop = (signal: string): void => withLogIds({ job: 'shutdown' }, () => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    // Bounded: a stuck connection must not keep a stopping instance alive forever.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
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
