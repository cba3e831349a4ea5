/**
 * A sender as its own process (`npm run worker`): drains the outbox of the configured Redis
 * and delivers it. Run as many as needed next to app instances started with SENDERS=none.
 * It answers `/healthz`, `/readyz` and `/metrics` on HOST:PORT (src/http/senderServer.ts): the
 * sends and cases it delivers are counted nowhere else.
 */
import pino from 'pino';
import { hotlineStaffed, parseConfigOrExit } from './config.js';
import { loadEngine } from './content/engine.js';
import { channelDelivery } from './conversation/channelDelivery.js';
import { createDeliver } from './conversation/deliver.js';
import { consumerName, createOutboxWorker } from './conversation/outboxWorker.js';
import { createPipeline } from './conversation/pipeline.js';
import { hotlineFromConfig } from './handoff/fromConfig.js';
import type { Hotline } from './handoff/hotline.js';
import { withLogIds } from './logging/logContext.js';
import { errorFields, loggerOptions } from './logging/loggerOptions.js';
import { createReportStore } from './reports/reportStore.js';
import { startReportPruner } from './reports/reportPruner.js';
import { createCheckCounter } from './insights/checkCounter.js';
import { storeFromConfig } from './storage/fromConfig.js';
import { buildSenderServer } from './http/senderServer.js';
import { countCases, countedDeliver } from './metrics/instrument.js';
import { createMetrics } from './metrics/metrics.js';

function main(): void {
  const config = parseConfigOrExit(process.env);
  // The same redaction, serializers and work ids as the app's logger (src/logging/loggerOptions.ts).
  const log = pino(loggerOptions(config.LOG_LEVEL));
  if (!config.REDIS_URL && !config.REDIS_CLUSTER_NODES) {
    log.error('a separate sender needs REDIS_URL or REDIS_CLUSTER_NODES: the in-memory store is not shared');
    process.exit(1);
  }
  // Sends, cases and the outbox, as the app counts them (src/metrics/metrics.ts); read at /metrics.
  const metrics = createMetrics({ store: () => store, storeUp: false, signs: [] });
  const store = storeFromConfig(config, {
    onConnectionChange: (up) => {
      metrics.storeConnection(up);
      withLogIds({ job: 'store' }, () => log.info({ up }, 'store connection'));
    },
    onCommandError: (reason) => metrics.storeError(reason),
    onKeyringError: (err) => withLogIds({ job: 'store' }, () => log.fatal(errorFields(err), 'the data in Redis cannot be read with this DATA_KEY')),
  });
  const engine = loadEngine({ flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR }, config.DEFAULT_LANG, config.SESSION_IDLE_HOURS * 3_600_000, { staffed: hotlineStaffed(config) });
  // The desk is created below; a refused staff message reaches its case through it.
  const late: { hotline?: Hotline } = {};
  const delivery = channelDelivery(config, { store, engine, log, hotline: () => late.hotline });
  // Cases are opened where the events are delivered; the person hears of them through a pipeline.
  const pipeline = createPipeline({ engine, store, log, now: Date.now, sessionRetentionMs: config.SESSION_RETENTION_HOURS * 3_600_000 });
  // Family reports are stored where their events are delivered, so a separate sender keeps them too.
  const reports = createReportStore({ store, now: Date.now });
  const hotline = hotlineFromConfig(config, { store, pipeline, log, now: Date.now, reports, unknownPhrases: engine.words.unknown, onCaseChange: countCases(metrics) });
  late.hotline = hotline;
  const worker = createOutboxWorker({
    store,
    consumer: consumerName(),
    deliver: countedDeliver(createDeliver({
      senders: delivery.senders,
      eventHandlers: delivery.eventHandlers,
      onPersonEvent: (entry) => hotline.onPersonEvent(entry),
      // Finished checks are counted where events are delivered (the console's insights).
      countEvent: createCheckCounter({ store, timeZone: config.HOTLINE_HOURS?.timeZone ?? 'Asia/Jakarta', now: Date.now }),
      log,
    }), metrics),
    log,
    reclaimIdleMs: config.OUTBOX_RECLAIM_SECONDS * 1000,
  });
  const server = buildSenderServer({ store, metrics, log, ...(config.METRICS_TOKEN ? { token: config.METRICS_TOKEN } : {}) });
  worker.start();
  // Reports past REPORT_RETENTION_DAYS are deleted each hour here too (a deployment may run no app instance for a while).
  const pruner = startReportPruner({ reports, log });
  server.listen({ host: config.HOST, port: config.PORT }).then(
    () => log.info({ port: config.PORT }, 'sender started'),
    (err: unknown) => {
      // Delivering matters more than being watched: a sender next to an app on the same machine
      // and PORT keeps sending, and says how to get its metrics back.
      log.error(errorFields(err), 'the sender serves no /healthz or /metrics: HOST:PORT is taken (give it its own PORT)');
      log.info('sender started');
    },
  );
  // As the app stops (src/main.ts): what was claimed is delivered within SHUTDOWN_TIMEOUT_SECONDS
  // (less a second to close Redis; the rest another sender reclaims); exit 1 when that is not enough.
  let stopping = false;
  const stop = (signal: string): void =>
    withLogIds({ job: 'shutdown' }, () => {
      if (stopping) return;
      stopping = true;
      const started = Date.now();
      log.info({ signal, timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS }, 'stopping: finishing the messages being sent');
      setTimeout(() => {
        log.error({ ms: Date.now() - started }, 'not stopped within SHUTDOWN_TIMEOUT_SECONDS; exiting anyway (unsent messages stay in the outbox)');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_SECONDS * 1000).unref();
      // The port closes at once (nothing there needs finishing); the sends get the time left.
      void Promise.all([worker.stop({ graceMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000 - 1000 }), server.close(), pruner.stop()])
        .then(() => store.close())
        .then(() => {
          log.info({ ms: Date.now() - started }, 'stopped');
          process.exit(0);
        });
    });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

// Lines logged while starting (and by work it starts before any job of its own) say `job: startup`.
withLogIds({ job: 'startup' }, main);
