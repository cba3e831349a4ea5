/**
 * The signed case webhook: POSTs each case event to HOTLINE_WEBHOOK_URL, for a case-management
 * system. Registered as the outbox event handler of the `hotline-webhook` surface, so a failure
 * (any non-2xx answer, a redirect, a timeout, a network error) throws and the outbox retries the
 * entry with backoff. Each retry carries the same delivery id, on which the receiver deduplicates.
 *
 * The body is the case with times as ISO 8601 strings, written field by field from an allow-list:
 * never the person's channel address, whatever the event carries. Logs carry the status code,
 * never a body (the summary holds the person's answers).
 */
import { createHmac } from 'node:crypto';
import type { ChannelEventHandler } from '../conversation/deliver.js';
import type { Log } from '../conversation/log.js';
import type { Actor, CaseReason, CaseStatus, Outcome, TimelineEntry } from './case.js';
import type { CaseEvent, CaseEventType } from './caseEvents.js';
import type { ChannelName, Priority, RiskLevel } from '../engine/types.js';

/** How long one POST may take (connection, answer and all) before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookSenderOptions {
  url: string;
  /** Keys the HMAC-SHA256 signature of every body. */
  secret: string;
  fetch?: typeof fetch;
  /** Default WEBHOOK_TIMEOUT_MS. */
  timeoutMs?: number;
  log: Pick<Log, 'warn' | 'info'>;
}

/** The JSON body of one webhook request. */
export interface WebhookPayload {
  /** The delivery id: the same on every retry of this event. */
  id: string;
  type: CaseEventType;
  occurredAt: string;
  case: {
    id: string;
    status: CaseStatus;
    priority: Priority;
    openedAt: string;
    claimedAt?: string;
    claimedBy?: string;
    closedAt?: string;
    outcome?: Outcome;
    botMuted: boolean;
    personPresent: boolean;
    summary: {
      reason: CaseReason;
      level?: RiskLevel;
      signs: string[];
      flow?: string;
      answers: Record<string, string | number | boolean>;
      lang: string;
      channel: ChannelName;
    };
  };
  entry?: { n: number; at: string; by: Actor; type: TimelineEntry['type']; text?: string };
}

/** A webhook request that did not go through; the message carries no personal data. */
export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
  /** The receiver's HTTP status, or why there was none (for the metrics' error codes). */
  constructor(message: string, readonly code?: number | 'timeout' | 'network') {
    super(message);
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The JSON body for a case event (exported: the README documents it and tests check it). */
export function webhookPayload(e: CaseEvent): WebhookPayload {
  const c = e.case;
  const s = c.summary;
  return {
    id: e.delivery,
    type: e.type,
    occurredAt: iso(e.at),
    case: {
      id: c.id,
      status: c.status,
      priority: c.priority,
      openedAt: iso(c.openedAt),
      ...(c.claimedAt !== undefined ? { claimedAt: iso(c.claimedAt) } : {}),
      ...(c.claimedBy !== undefined ? { claimedBy: c.claimedBy } : {}),
      ...(c.closedAt !== undefined ? { closedAt: iso(c.closedAt) } : {}),
      ...(c.outcome !== undefined ? { outcome: c.outcome } : {}),
      botMuted: c.botMuted,
      personPresent: c.personPresent,
      summary: {
        reason: s.reason,
        ...(s.level !== undefined ? { level: s.level } : {}),
        signs: s.signs,
        ...(s.flow !== undefined ? { flow: s.flow } : {}),
        answers: s.answers,
        lang: s.lang,
        channel: s.channel,
      },
    },
    ...(e.entry ? { entry: timelineEntry(e.entry) } : {}),
  };
}

function timelineEntry(t: TimelineEntry): NonNullable<WebhookPayload['entry']> {
  const by: Actor = t.by.kind === 'staff' ? { kind: 'staff', name: t.by.name, via: t.by.via } : { kind: t.by.kind };
  return { n: t.n, at: iso(t.at), by, type: t.type, ...(t.text !== undefined ? { text: t.text } : {}) };
}

/** `sha256=<hex HMAC-SHA256 of body keyed with secret>` */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The outbox stores events loosely typed; a case event always has these (anything else is a bug upstream). */
function asCaseEvent(event: { type: string; [field: string]: unknown }): CaseEvent {
  const e = event as Partial<CaseEvent>;
  if (typeof e.delivery !== 'string' || typeof e.at !== 'number' || typeof e.case !== 'object' || e.case === null) {
    throw new WebhookDeliveryError(`not a case event (${event.type}): no delivery id, time or case`);
  }
  return e as CaseEvent;
}

/** Creates the event handler that POSTs case events to HOTLINE_WEBHOOK_URL. */
export function createWebhookSender(o: WebhookSenderOptions): ChannelEventHandler {
  if (!o.secret) throw new Error('the case webhook needs a secret to sign its requests');
  const doFetch = o.fetch ?? fetch;
  const timeoutMs = o.timeoutMs ?? WEBHOOK_TIMEOUT_MS;

  return async (entry) => {
    const event = asCaseEvent(entry.event);
    const body = JSON.stringify(webhookPayload(event));
    const about = { event: event.type, delivery: event.delivery };
    let res: Response;
    try {
      res = await doFetch(o.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Waspada-Signature': signBody(body, o.secret),
          'X-Waspada-Delivery': event.delivery,
          'X-Waspada-Event': event.type,
          'User-Agent': 'Waspada-Webhook',
        },
        body,
        // A redirect could carry the signed body elsewhere; the receiver's address is configured, not discovered.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network';
      o.log.warn({ ...about, reason }, 'case webhook not delivered; will retry');
      throw new WebhookDeliveryError(`case webhook not delivered (${reason})`, reason);
    }
    // The answer's body is not read (nor logged): only the status matters.
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) {
      o.log.warn({ ...about, status: res.status }, 'case webhook refused; will retry');
      throw new WebhookDeliveryError(`case webhook answered ${res.status}`, res.status);
    }
    o.log.info({ ...about, status: res.status }, 'case webhook delivered');
  };
}
