/**
 * The Prometheus metrics of one app instance (prom-client), served at `GET /metrics`
 * (src/http/metricsRoutes.ts). Each app has its own registry, never prom-client's global one, so
 * that several apps in one process (the tests) do not mix their counts.
 *
 * Counting is cheap: the places that count (the webhook's path above all) only add to a counter
 * whose labelled child is looked up in a small map; nothing is awaited. What needs the store (the
 * outbox depth) is read when Prometheus scrapes, with a time limit.
 *
 * No label carries personal data: every label value comes from a fixed list (labels.ts), the sign
 * ids from the signs catalogue, the routes from the registered route patterns.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineEvent } from '../engine/types.js';
import type { Store } from '../storage/store.js';
import { bounded, CASE_OUTCOMES, CASE_REASONS, CHANNELS, httpMethod, INPUT_TYPES, LEVELS, OTHER, PRIORITIES, statusClass } from './labels.js';

/** Where a check was made: in a conversation, or through the public ad check (`POST /api/v1/assess`). */
export type CheckSource = 'chat' | 'api';

/** How an inbound message ended: handled, a redelivery of one handled before, or an error (the provider retries). */
export type InboundOutcome = 'handled' | 'duplicate' | 'failed';

/** How one outbox delivery ended (see SendOutcome): `failed` is retried from the outbox. */
export type SendResult = 'sent' | 'refused' | 'skipped' | 'failed';

export interface MetricsOptions {
  /** The store whose outbox depth is read at each scrape (a getter: the app creates the store after the metrics). */
  store: () => Pick<Store, 'outboxDepth' | 'outboxOldestAt' | 'deadLetterDepth'>;
  /** The clock the age of the oldest outbox entry is measured with. */
  now?: () => number;
  /** Whether the store starts connected (Redis connects in the background and says when; the in-memory store always is). */
  storeUp?: boolean;
  /** The sign ids of the catalogue: the only values the `sign` label takes. */
  signs: Iterable<string>;
  /** How long a scrape waits for the store before it reports the depth as unknown (NaN). */
  storeTimeoutMs?: number;
  /** Steps computed again because another instance wrote first (the pipeline's own count). */
  conflicts?: () => number;
}

/** The metrics of one app instance, and the calls that count. */
export interface Metrics {
  readonly registry: Registry;
  /** An inbound message from a person (not a staff action) and how it ended. */
  inbound(channel: string, type: string, outcome: InboundOutcome): void;
  /** The events of a handled step: finished checks (level, signs) and job ads read in the chat. */
  events(events: readonly EngineEvent[]): void;
  /** A job ad checked through the API. */
  apiCheck(level: string, signs: readonly string[]): void;
  /** One outbox delivery; `code`: the provider's code or a failure's kind (labels.ts), `none` when sent. */
  send(kind: 'message' | 'event', channel: string, result: SendResult, code: string): void;
  /** Seconds from the step that wrote an outbox entry to its delivery. */
  outboxLag(kind: 'message' | 'event', seconds: number): void;
  caseOpened(reason: string, priority: string): void;
  caseClaimed(priority: string, secondsToClaim: number): void;
  caseClosed(outcome: string): void;
  /** The store's connection went down (once per outage) or came back. */
  storeConnection(up: boolean): void;
  /** A store command failed because Redis could not answer (`timeout`, `unavailable`). */
  storeError(reason: 'timeout' | 'unavailable'): void;
  /** One HTTP request: the route's pattern (never the URL), the status, the time in seconds. */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
}

const SECOND_BUCKETS_HTTP = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SECOND_BUCKETS_LAG = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
/** Time to claim a case: from a minute to a day (HOTLINE_CLAIM_MINUTES is 10 by default). */
const SECOND_BUCKETS_CLAIM = [60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];

/**
 * A labelled counter counted in a plain map (a lookup and an addition, tens of nanoseconds), and
 * handed to prom-client only when Prometheus scrapes: prom-client's own `inc` hashes and checks
 * the labels on every call (about 0.8 µs).
 */
function fastCounter(config: { name: string; help: string; labelNames: readonly string[]; registers: Registry[] }): (...values: string[]) => void {
  const counts = new Map<string, { labels: Record<string, string>; n: number }>();
  const names = config.labelNames;
  new Counter({
    ...config,
    collect() {
      this.reset();
      for (const c of counts.values()) this.inc(c.labels, c.n);
    },
  });
  return (...values) => {
    const key = values.join('\u0000');
    const count = counts.get(key);
    if (count) count.n += 1;
    else counts.set(key, { labels: Object.fromEntries(names.map((name, i) => [name, values[i] ?? ''])), n: 1 });
  };
}

/** A histogram's labelled children, kept by their label values (prom-client's `labels()` hashes the labels on each call). */
function children<T>(make: (...values: string[]) => T): (...values: string[]) => T {
  const cache = new Map<string, T>();
  return (...values) => {
    const key = values.join('\u0000');
    let child = cache.get(key);
    if (child === undefined) {
      child = make(...values);
      cache.set(key, child);
    }
    return child;
  };
}

/** What `read` answers, or NaN after `ms` or on an error (the gauge then reads NaN). */
async function withinOrNaN(read: () => Promise<number>, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([read(), new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Number.NaN), ms)))]);
  } catch {
    return Number.NaN;
  } finally {
    clearTimeout(timer);
  }
}

/** Creates the registry with its metrics, and Node's default process metrics. */
export function createMetrics(o: MetricsOptions): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const signs = new Set(o.signs);
  const timeoutMs = o.storeTimeoutMs ?? 1000;
  const registers = [registry];

  const inboundOf = fastCounter({
    name: 'waspada_inbound_messages_total',
    help: 'Messages from people, by channel, kind of input (text, choice, start, media) and outcome (handled, duplicate: a redelivery, failed: answered 503 so the provider retries).',
    labelNames: ['channel', 'type', 'outcome'],
    registers,
  });
  const checksOf = fastCounter({
    name: 'waspada_checks_total',
    help: 'Finished job-offer checks by risk level; source chat (a conversation) or api (POST /api/v1/assess).',
    labelNames: ['source', 'level'],
    registers,
  });
  const signsOf = fastCounter({
    name: 'waspada_signs_found_total',
    help: 'Warning signs found in finished checks, by sign id (flows/signs.yaml).',
    labelNames: ['source', 'sign'],
    registers,
  });
  const adsOf = fastCounter({
    name: 'waspada_ads_analysed_total',
    help: 'Job ads read by the ad analyser: pasted or forwarded in a conversation (chat), or sent to the API (api).',
    labelNames: ['source'],
    registers,
  });
  const sendsOf = fastCounter({
    name: 'waspada_sends_total',
    help:
      'Outbox deliveries by kind (message to a person, event for staff), channel and result: sent; refused by the provider for good (code: its error code); ' +
      'skipped (the person blocked the bot or erased the chat); failed (retried from the outbox; code: the provider code, network, timeout, store or error).',
    labelNames: ['kind', 'channel', 'result', 'code'],
    registers,
  });
  const lag = new Histogram({
    name: 'waspada_outbox_lag_seconds',
    help: 'Time from the step that wrote an outbox entry to its delivery.',
    labelNames: ['kind'],
    buckets: SECOND_BUCKETS_LAG,
    registers,
  });
  new Gauge({
    name: 'waspada_outbox_depth',
    help: 'Outbox entries stored and not yet delivered (all instances; read at scrape time, NaN when the store did not answer within a second).',
    registers,
    async collect() {
      this.set(await withinOrNaN(() => o.store().outboxDepth(), timeoutMs));
    },
  });
  const now = o.now ?? Date.now;
  new Gauge({
    name: 'waspada_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox entry not yet delivered, 0 when the outbox is empty (all instances; read at scrape time, NaN when the store did not answer within a second). Growing steadily: no sender is delivering.',
    registers,
    async collect() {
      this.set(await withinOrNaN(async () => {
        const oldest = await o.store().outboxOldestAt();
        return oldest === undefined ? 0 : Math.max(0, (now() - oldest) / 1000);
      }, timeoutMs));
    },
  });
  new Gauge({
    name: 'waspada_outbox_dead_letters',
    help: 'Outbox entries given up on after repeated failures, kept for staff (all instances; read at scrape time).',
    registers,
    async collect() {
      this.set(await withinOrNaN(() => o.store().deadLetterDepth(), timeoutMs));
    },
  });
  const openedOf = fastCounter({ name: 'waspada_handoffs_opened_total', help: 'Hotline cases opened, by reason and priority.', labelNames: ['reason', 'priority'], registers });
  const claimedOf = fastCounter({ name: 'waspada_handoffs_claimed_total', help: 'Hotline cases claimed by staff, by priority.', labelNames: ['priority'], registers });
  const closedOf = fastCounter({ name: 'waspada_handoffs_closed_total', help: 'Hotline cases closed, by outcome (erased: the person erased their data).', labelNames: ['outcome'], registers });
  const timeToClaim = new Histogram({
    name: 'waspada_handoff_time_to_claim_seconds',
    help: 'Time from a case opening to a staff member claiming it, by priority.',
    labelNames: ['priority'],
    buckets: SECOND_BUCKETS_CLAIM,
    registers,
  });
  const storeUp = new Gauge({ name: 'waspada_store_up', help: '1 while the store (Redis) is connected, 0 during an outage; always 1 with the in-memory store.', registers });
  storeUp.set(o.storeUp === false ? 0 : 1);
  const storeLost = new Counter({ name: 'waspada_store_connection_lost_total', help: 'Times the connection to Redis was lost.', registers });
  const storeErrorsOf = fastCounter({
    name: 'waspada_store_errors_total',
    help: 'Store commands that failed because Redis could not answer (timeout, unavailable); the request got 503 or the sender retried.',
    labelNames: ['reason'],
    registers,
  });
  if (o.conflicts) {
    const conflicts = o.conflicts;
    new Counter({
      name: 'waspada_pipeline_conflicts_total',
      help: 'Conversation steps computed again because another instance wrote the same person first.',
      registers,
      collect() {
        this.reset();
        this.inc(conflicts());
      },
    });
  }
  const http = new Histogram({
    name: 'waspada_http_request_duration_seconds',
    help: 'HTTP request time by method, route pattern (unmatched: no route) and status class.',
    labelNames: ['method', 'route', 'status_class'],
    buckets: SECOND_BUCKETS_HTTP,
    registers,
  });

  const lagOf = children((kind) => lag.labels(kind));
  const timeToClaimOf = children((priority) => timeToClaim.labels(priority));
  const httpOf = children((method, route, status) => http.labels(method, route, status));

  const countCheck = (source: CheckSource, level: string, found: readonly string[]): void => {
    checksOf(source, bounded(level, LEVELS));
    for (const sign of found) signsOf(source, signs.has(sign) ? sign : OTHER);
  };

  return {
    registry,
    inbound(channel, type, outcome) {
      inboundOf(bounded(channel, CHANNELS), bounded(type, INPUT_TYPES), outcome);
    },
    events(events) {
      for (const event of events) {
        if (event.type === 'assessment_completed') countCheck('chat', event.level, event.signs);
        else if (event.type === 'ad_analysed') adsOf('chat');
      }
    },
    apiCheck(level, found) {
      adsOf('api');
      countCheck('api', level, found);
    },
    send(kind, channel, result, code) {
      sendsOf(kind, bounded(channel, CHANNELS), result, code);
    },
    outboxLag(kind, seconds) {
      if (seconds >= 0) lagOf(kind).observe(seconds);
    },
    caseOpened(reason, priority) {
      openedOf(bounded(reason, CASE_REASONS), bounded(priority, PRIORITIES));
    },
    caseClaimed(priority, secondsToClaim) {
      const p = bounded(priority, PRIORITIES);
      claimedOf(p);
      if (secondsToClaim >= 0) timeToClaimOf(p).observe(secondsToClaim);
    },
    caseClosed(outcome) {
      closedOf(bounded(outcome, CASE_OUTCOMES));
    },
    storeConnection(up) {
      storeUp.set(up ? 1 : 0);
      if (!up) storeLost.inc();
    },
    storeError(reason) {
      storeErrorsOf(reason);
    },
    httpRequest(method, route, status, seconds) {
      httpOf(httpMethod(method), route, statusClass(status)).observe(seconds);
    },
  };
}
