/**
 * buildApp: creates the Fastify app with every module registered in one visible order. It never
 * listens (main.ts does), so tests build it and use `app.inject` or listen on a free port.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { hotlineStaffed, telegramConfig, whatsappConfig, type Config } from './config.js';
import type { TelegramChannel } from './channels/telegram/channel.js';
import { loadAdModel } from './content/adModel.js';
import { loadEngine } from './content/engine.js';
import { channelDelivery } from './conversation/channelDelivery.js';
import { createDeliver, type ChannelSender } from './conversation/deliver.js';
import { consumerName, createOutboxWorker, type OutboxWorker } from './conversation/outboxWorker.js';
import { createPipeline, type Pipeline } from './conversation/pipeline.js';
import type { Engine } from './engine/engine.js';
import { registerAssessRoutes } from './http/assessRoutes.js';
import { registerChatRoutes } from './http/chatRoutes.js';
import { registerConsoleRoutes } from './http/consoleRoutes.js';
import { frameworkErrors, registerErrorHandlers } from './http/errorHandler.js';
import { registerIpLimits } from './http/ipLimits.js';
import { registerRequestHygiene } from './http/requestHygiene.js';
import { registerSecurityHeaders } from './http/securityHeaders.js';
import { registerTelegramRoutes } from './http/telegramRoutes.js';
import { warnOfUntrustedProxy } from './http/trustProxy.js';
import { registerHealthRoutes } from './http/healthRoutes.js';
import { registerWebChatPage } from './http/webChatPage.js';
import { registerWhatsAppRoutes } from './http/whatsappRoutes.js';
import { hotlineFromConfig } from './handoff/fromConfig.js';
import { newJobId, withLogIds } from './logging/logContext.js';
import { errorFields, loggerOptions } from './logging/loggerOptions.js';
import { createTelegramStaffInput } from './handoff/telegramStaffInput.js';
import type { Hotline } from './handoff/hotline.js';
import { createRegisterCache, localDate, type RegisterCache } from './reports/registerStore.js';
import { createRecruiterLookup } from './reports/facts.js';
import { newCaseId } from './handoff/caseStore.js';
import { createReportStore, type ReportStore } from './reports/reportStore.js';
import { startReportPruner, type ReportPruner } from './reports/reportPruner.js';
import { createCheckCounter } from './insights/checkCounter.js';
import { createInsights, insightLabels } from './insights/insights.js';
import { countCases, countedDeliver, countedPipeline } from './metrics/instrument.js';
import { createMetrics } from './metrics/metrics.js';
import { registerMetricsRoutes } from './http/metricsRoutes.js';
import { analyseAd } from './risk/adAnalyser.js';
import { dataKeysFromConfig, storeFromConfig } from './storage/fromConfig.js';
import type { Store } from './storage/store.js';

const HOUR_MS = 60 * 60 * 1000;
/** What a graceful stop keeps of SHUTDOWN_TIMEOUT_SECONDS for closing the store after the sender. */
const STORE_CLOSE_MS = 1000;
/** How often this instance looks for unclaimed cases to announce again. */
const REMINDER_CHECK_MS = 30_000;

export interface AppDeps {
  config: Config;
  /** Defaults to the store the config selects (Redis, or the in-memory store). */
  store?: Store;
  /** Defaults to the wall clock; tests pass their own to move time. */
  now?: () => number;
  /** Defaults to the engine built from FLOWS_DIR and LOCALES_DIR. */
  engine?: Engine;
  /** Channel senders for outbox messages, by channel name; defaults to those the config enables. */
  senders?: Partial<Record<string, ChannelSender>>;
  /** The fetch the channel senders use (tests pass one that only reaches loopback fakes). */
  fetch?: typeof fetch;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The pieces tests and tools may want to reach. */
    waspada: { pipeline: Pipeline; store: Store; engine: Engine; sender: OutboxWorker | undefined; telegram: TelegramChannel | undefined; hotline: Hotline; register: RegisterCache; reports: ReportStore };
  }
}

/** Builds the app without listening. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const now = deps.now ?? Date.now;

  // 1. Content first: a broken flow or locale stops the start here, with every problem listed.
  // The job-ad analyser's patterns and pay ranges, compiled once for the chat and the API.
  const adModel = loadAdModel(config.FLOWS_DIR);
  const engine =
    deps.engine ??
    loadEngine({ flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR }, config.DEFAULT_LANG, config.SESSION_IDLE_HOURS * HOUR_MS, { staffed: hotlineStaffed(config), adModel });

  const app = Fastify({
    // Redaction, error and request serializers that never write a person's data, a token or a
    // secret, and the id of the work in progress on every line (src/logging/loggerOptions.ts).
    logger: loggerOptions(config.LOG_LEVEL, deps.logStream),
    // The request id goes on every log line; a client-supplied one is not trusted.
    genReqId: () => crypto.randomUUID(),
    // No route takes a body larger than this; routes lower it further.
    bodyLimit: 64 * 1024,
    // A URL that cannot even be routed gets the catalogue's answer, not Fastify's (which echoes it).
    frameworkErrors,
    // Behind a reverse proxy, the client is the address the named proxies put in X-Forwarded-For
    // (src/http/trustProxy.ts); unset, the connection's own address, and the header is ignored.
    ...(config.TRUST_PROXY ? { trustProxy: config.TRUST_PROXY } : {}),
  });
  if (!config.TRUST_PROXY) warnOfUntrustedProxy(app);
  // Lines that the modules a request calls log through app.log (pipeline, desk, reports) carry the
  // request's reqId too. Reading the body leaves the request's async context, so it is entered
  // again before validation (src/logging/logContext.ts).
  app.addHook('onRequest', (request, _reply, done) => withLogIds({ reqId: request.id }, done));
  app.addHook('preValidation', (request, _reply, done) => withLogIds({ reqId: request.id }, done));
  // Lines of the start and of the store's connection have their own job (background work: logContext.ts).
  const startupLog = app.log.child({ job: 'startup' });
  const storeLog = app.log.child({ job: 'store' });
  // The counters of GET /metrics (src/metrics/metrics.ts), in a registry of this app's own. The
  // store and the pipeline, created below, are read only when Prometheus scrapes.
  const metrics = createMetrics({
    store: () => store,
    now,
    storeUp: Boolean(deps.store) || !(config.REDIS_URL || config.REDIS_CLUSTER_NODES),
    signs: adModel.catalogue.signs.map((s) => s.id),
    conflicts: () => pipeline.stats().conflicts,
  });

  // 2. The store (Redis when configured; it connects in the background and /readyz tells when).
  const store =
    deps.store ??
    storeFromConfig(config, {
      now,
      onConnectionChange: (up, reason) => {
        metrics.storeConnection(up);
        if (up) storeLog.info('store connected');
        else storeLog.error({ reason }, 'store connection lost; answering 503 until it is back');
      },
      onCommandError: (reason) => metrics.storeError(reason),
      onKeyringError: (err) => storeLog.fatal(errorFields(err), 'the data in Redis cannot be read with this DATA_KEY; answering 503 until it is fixed'),
    });
  if (!deps.store && dataKeysFromConfig(config).ephemeral) {
    startupLog.warn('DATA_KEY is not set: a random data key is used for this run. Fine for a trial with the in-memory store; set DATA_KEY (openssl rand -base64 32) before real use');
  }

  // The licensed-agency register the check looks agencies up in (npm run agencies:import); read
  // again at most once a minute, and the last good one is kept while the store is unreachable.
  const register = createRegisterCache(store, {
    now,
    onError: (err) => app.log.warn(errorFields(err), 'agency register could not be read; keeping the last one'),
  });

  // 3. The channels that are configured, and the sender that drains the outbox in this process
  //    (unless separate workers do it).
  const whatsapp = whatsappConfig(config);
  const telegram = telegramConfig(config);
  // The desk is created further down; a refused staff message reaches its case through it.
  const delivery = channelDelivery(config, { store, engine, log: app.log, hotline: () => late.hotline, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  const senders = deps.senders ?? delivery.senders;
  // The hotline desk turns handoffs into cases; it is created after the pipeline (it tells people through it).
  const late: { hotline?: Hotline } = {};
  const sender =
    config.SENDERS === 'inprocess'
      ? createOutboxWorker({
          store,
          consumer: consumerName(),
          // Each delivery is counted for the metrics (result, error code, time since the step).
          deliver: countedDeliver(createDeliver({
            senders,
            eventHandlers: delivery.eventHandlers,
            onPersonEvent: (entry) => late.hotline?.onPersonEvent(entry) ?? Promise.resolve(),
            // Finished checks become the anonymous daily counts of the console's insights.
            countEvent: createCheckCounter({ store, timeZone: config.HOTLINE_HOURS?.timeZone ?? 'Asia/Jakarta', now }),
            log: app.log,
          }), metrics, now),
          log: app.log,
          reclaimIdleMs: config.OUTBOX_RECLAIM_SECONDS * 1000,
        })
      : undefined;

  // Family reports: stored by the desk when the report flow ends, read by the console and the check.
  const reports = createReportStore({ store, now });

  // 4. The conversation pipeline; a commit with outbox entries wakes the local sender at once.
  // Each inbound message, and the checks its step finished, are counted for the metrics.
  const pipeline = countedPipeline(createPipeline({
    engine,
    store,
    log: app.log,
    now,
    sessionRetentionMs: config.SESSION_RETENTION_HOURS * HOUR_MS,
    ...(sender ? { onCommitted: () => sender.nudge() } : {}),
    // A recruiter named during a check is looked up in the reports and the register.
    lookupRecruiter: createRecruiterLookup({
      reportersFor: (keys) => reports.reportersFor(keys),
      register: () => register.current(),
      warnMin: config.REPORTS_WARN_MIN,
      today: () => localDate(now(), config.HOTLINE_HOURS?.timeZone ?? 'Asia/Jakarta'),
      unknownPhrases: engine.words.unknown,
    }),
    newId: newCaseId,
  }), metrics);
  const desk = hotlineFromConfig(config, { store, pipeline, log: app.log, now, reports, unknownPhrases: engine.words.unknown, onCaseChange: countCases(metrics), ...(sender ? { onQueued: () => sender.nudge() } : {}) });
  late.hotline = desk;

  // 5. Errors; what every request must be (no body on GET, JSON or a route's own type); the
  //    security headers (helmet: a strict CSP, pages name theirs); the per-address limits, kept
  //    in the store so that every instance shares them. Then routes: health, the web chat API, the page.
  // GET /metrics and the timing of every request come first, so that every route is timed.
  registerMetricsRoutes(app, { metrics, ...(config.METRICS_TOKEN ? { token: config.METRICS_TOKEN } : {}) });
  registerErrorHandlers(app);
  registerRequestHygiene(app);
  await registerSecurityHeaders(app);
  const limit = await registerIpLimits(app, { store, now });
  registerHealthRoutes(app, { store });
  registerChatRoutes(app, {
    pipeline,
    inbox: delivery.web,
    bodyLimit: config.CHAT_BODY_LIMIT_BYTES,
    limit: limit('chat', { perMinute: config.CHAT_RATE_PER_MINUTE, burst: config.CHAT_RATE_BURST }),
    updatesLimit: limit('updates', { perMinute: config.CHAT_UPDATES_RATE_PER_MINUTE, burst: config.CHAT_UPDATES_RATE_BURST }),
  });
  registerWebChatPage(app);
  // The public ad check (the /cek page above calls it).
  registerAssessRoutes(app, {
    analyse: (text) => {
      const analysis = analyseAd(adModel, text);
      metrics.apiCheck(analysis.level, analysis.signs.map((sign) => sign.id));
      return analysis;
    },
    signs: adModel.catalogue.signs,
    t: engine.t,
    limit: limit('assess', { perMinute: config.ASSESS_RATE_PER_MINUTE, burst: config.ASSESS_RATE_BURST }),
    corsOrigins: config.ASSESS_CORS_ORIGINS,
  });
  // The staff console reads and changes cases through the desk; its times are the hotline's own.
  await registerConsoleRoutes(app, {
    hotline: desk,
    reports,
    store,
    now,
    claimMinutes: config.HOTLINE_CLAIM_MINUTES,
    timeZone: config.HOTLINE_HOURS?.timeZone ?? 'Asia/Jakarta',
    secureCookies: config.CONSOLE_COOKIES === 'secure',
    ...(config.CONSOLE_ORIGIN ? { origin: config.CONSOLE_ORIGIN } : {}),
    // The insight dashboard reads aggregates only; its labels are the content's, in the console's language (English).
    insights: {
      data: createInsights({ store, cases: desk.cases, reports, timeZone: config.HOTLINE_HOURS?.timeZone ?? 'Asia/Jakarta', now }),
      labels: insightLabels(engine, adModel.catalogue.signs, 'en'),
    },
    loginLimit: limit('login', { perMinute: config.CONSOLE_LOGIN_RATE_PER_MINUTE, burst: config.CONSOLE_LOGIN_RATE_BURST }, (seconds) => `Too many sign-in attempts from your network. Wait ${seconds} seconds, then try again.`),
  });
  if (whatsapp) {
    await registerWhatsAppRoutes(app, {
      pipeline,
      appSecret: whatsapp.appSecret,
      verifyToken: whatsapp.verifyToken,
      phoneNumberId: whatsapp.phoneNumberId,
      staleAfterMs: whatsapp.staleAfterMs,
      bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
      now,
      // A staff reply WhatsApp refused later (131047 in a status) is reported on its case.
      ...(delivery.whatsappWindow ? { onStatusFailure: delivery.whatsappWindow.onStatusFailure } : {}),
    });
  }
  if (telegram && delivery.telegram) {
    // A Telegram update is one message: 64 KiB is plenty (WhatsApp batches, so it gets more).
    // Updates from the hotline staff group are staff input: replies, claims, closes (src/handoff/telegramStaffInput.ts).
    const staff = delivery.staffGroup && createTelegramStaffInput({ group: delivery.staffGroup, api: delivery.telegram.api, hotline: desk, store, t: engine.t, lang: config.DEFAULT_LANG, log: app.log });
    registerTelegramRoutes(app, { pipeline, channel: delivery.telegram, webhookSecret: telegram.webhookSecret, bodyLimit: Math.min(64 * 1024, config.WEBHOOK_BODY_LIMIT_BYTES), ...(staff ? { staff } : {}) });
  }

  // 6. Start the sender once the app is ready; on close stop it first, then the store we created.
  // Unclaimed urgent and high cases are announced again; every instance looks, one announces.
  // Reports past REPORT_RETENTION_DAYS are deleted each hour, filed or not; every instance prunes, one at a time.
  let reminders: NodeJS.Timeout | undefined;
  let pruner: ReportPruner | undefined;
  app.addHook('onReady', async () => {
    sender?.start();
    pruner = startReportPruner({ reports, log: app.log });
    reminders = setInterval(() => {
      // One round's lines (and what the desk logs for it) share a job id.
      void withLogIds({ job: newJobId('reminders') }, () => desk.remindUnclaimed().catch((err: unknown) => app.log.warn(errorFields(err), 'case reminders failed; retrying')));
    }, REMINDER_CHECK_MS);
    reminders.unref();
  });
  // Closing (main.ts on SIGTERM): Fastify first refuses new requests and finishes those in flight;
  // then the sender delivers what it claimed for what is left of SHUTDOWN_TIMEOUT_SECONDS (less a
  // second for the store; anything left another sender reclaims), and the store we created closes.
  let closingSince = Date.now();
  app.addHook('preClose', async () => {
    closingSince = Date.now();
  });
  app.addHook('onClose', async () => {
    clearInterval(reminders);
    // A prune round in progress ends after its batch, meanwhile the sender delivers what it claimed.
    await Promise.all([pruner?.stop(), sender?.stop({ graceMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000 - (Date.now() - closingSince) - STORE_CLOSE_MS })]);
    if (!deps.store) await store.close();
  });

  if (!engine.staffed) {
    startupLog.warn('no hotline staff can be reached (no Redis for the console, no staff group, no webhook): people are given the numbers instead of a case; set HOTLINE=on to change that');
  }
  app.decorate('waspada', { pipeline, store, engine, sender, telegram: delivery.telegram, hotline: desk, register, reports });
  return app;
}
