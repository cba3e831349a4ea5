/**
 * Sends outbox messages through the WhatsApp Cloud API (`@kapso/whatsapp-cloud-api`, with a
 * configurable Graph URL and version so tests talk to a local fake).
 *
 * - Throttling (130429, 131056), server errors and network errors are retried with exponential
 *   backoff and jitter; when the attempts run out the entry stays in the outbox for later.
 * - 131047 (outside the 24-hour window: the bot may not write first) and 131049 (Meta's
 *   ecosystem limit) are never retried: they are delivery failures for the staff to see.
 * - Sends are paced under WHATSAPP_MPS per phone number, across every instance (the store's rate slot).
 * - An approved template (the only thing WhatsApp lets a business send outside the window) goes
 *   through the same client and pace (`createWhatsAppTemplateSender`).
 */
import { GraphApiError, WhatsAppClient, isBusinessScopedUserId } from '@kapso/whatsapp-cloud-api';
import type { ChannelSender } from '../../conversation/deliver.js';
import { renderWhatsApp } from './render.js';

/** Error codes worth retrying: throttling of the number, and of the pair number ↔ person. */
const RETRY_CODES = new Set([130429, 131056]);
/**
 * Refusals about this one person or message, which no retry changes: the 24-hour window is
 * closed (131047), Meta's ecosystem limit (131049), not a WhatsApp user (131026), the person
 * stopped marketing messages (131050), an invalid message (100, 131009, 131051). Anything else
 * that is not retried (an expired token, a missing permission, an unregistered number) is our
 * side's fault: the entry stays in the outbox, so nothing is lost while an operator fixes it.
 */
const PERSON_REFUSALS = new Set([131047, 131049, 131026, 131050, 100, 131009, 131051]);
/** The longest wait a Retry-After hint may impose before the entry goes back to the outbox. */
const MAX_HINTED_DELAY_MS = 30_000;
/** After a wait this long (a backoff, the pace), whether the message is still wanted is asked again. */
const RECHECK_AFTER_MS = 1_000;
/** A Graph request that takes longer than this is abandoned (and retried), so a sender never hangs. */
const REQUEST_TIMEOUT_MS = 15_000;

/** A message WhatsApp refused for good, reported for staff and metrics. Carries no personal data. */
export interface DeliveryFailure {
  channel: 'whatsapp';
  code: number;
  reason: string;
}

export interface WhatsAppSenderOptions {
  accessToken: string;
  phoneNumberId: string;
  graphUrl: string;
  graphVersion: string;
  /** Resolves when one more message may go out from this number (shared by every instance). */
  pace: () => Promise<void>;
  log: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  /**
   * Told about every refused message (outside the 24-hour window, blocked, invalid…), with the
   * address and, for a message from hotline staff, the case. Awaited: if it throws, the entry
   * goes back to the outbox, so the report is not lost.
   */
  onFailure?: (failure: DeliveryFailure, context: { to: string; caseId?: string }) => void | Promise<void>;
  /**
   * Told about each accepted message of a case (its `wamid`): WhatsApp often refuses later, in a
   * `failed` status webhook, and that status must find its case. Errors are logged, not thrown.
   */
  onCaseMessageSent?: (messageId: string, caseId: string) => Promise<void>;
  maxAttempts?: number;
  baseDelayMs?: number;
  fetch?: typeof fetch;
}

/** Creates the WhatsApp sender used by the outbox worker. */
export function createWhatsAppSender(o: WhatsAppSenderOptions): ChannelSender {
  const client = whatsappClient(o);
  const maxAttempts = o.maxAttempts ?? 5;
  const baseDelayMs = o.baseDelayMs ?? 500;

  return async (to, message, meta) => {
    // A business-scoped user id goes in `recipient`; a phone number in `to`.
    const address = isBusinessScopedUserId(to) ? { recipient: to } : { to };
    // The caller checked just before; an erase may land during a backoff or a long wait for the
    // pace, and a WhatsApp message cannot be taken back from the phone. Asked again after such a
    // wait only, so the parts of a long message that go out at once cost no extra round trip.
    let checkedAt = Date.now();
    for (const part of renderWhatsApp(message)) {
      for (let attempt = 1; ; attempt++) {
        await o.pace();
        if (meta?.stillWanted && (attempt > 1 || Date.now() - checkedAt > RECHECK_AFTER_MS)) {
          if (!(await meta.stillWanted())) return { result: 'skipped' };
          checkedAt = Date.now();
        }
        try {
          const sent = await client.messages.sendRaw({
            phoneNumberId: o.phoneNumberId,
            payload: { messaging_product: 'whatsapp', recipient_type: 'individual', ...address, ...part },
          });
          const messageId = sent.messages[0]?.id;
          // Sent is sent: failing to remember the case must not send the message again.
          if (meta?.caseId && messageId && o.onCaseMessageSent) {
            await o.onCaseMessageSent(messageId, meta.caseId).catch(() => o.log.warn({ channel: 'whatsapp' }, 'could not record the case of a sent message'));
          }
          break;
        } catch (err) {
          const graph = err instanceof GraphApiError ? err : undefined;
          const retriable = graph ? RETRY_CODES.has(graph.code) || graph.httpStatus >= 500 : isNetworkError(err);
          if (!retriable) {
            const failure: DeliveryFailure = { channel: 'whatsapp', code: graph?.code ?? 0, reason: graph?.category ?? 'request' };
            if (!graph || !PERSON_REFUSALS.has(graph.code)) {
              o.log.error(failure, 'whatsapp refused the message for a reason on our side; it stays in the outbox');
              throw err;
            }
            o.log.warn(failure, 'whatsapp refused the message; not retried');
            await o.onFailure?.(failure, { to, ...(meta?.caseId ? { caseId: meta.caseId } : {}) });
            // The rest of this message would be refused the same way.
            return { result: 'refused', code: failure.code };
          }
          if (attempt >= maxAttempts) throw err;
          const hinted = Math.min(graph?.retry.retryAfterMs ?? 0, MAX_HINTED_DELAY_MS);
          const backoff = baseDelayMs * 2 ** (attempt - 1);
          await new Promise((r) => setTimeout(r, Math.max(hinted, backoff) + Math.random() * baseDelayMs));
        }
      }
    }
  };
}

/** An approved template by name and language code (`id`, `en`, `en_US`…). */
export interface TemplateRef {
  name: string;
  lang: string;
}

/**
 * Creates a sender of approved templates without parameters (the reopen invitation). It throws
 * when WhatsApp refuses (an unknown template, a person who cannot be reached): the caller decides.
 */
export function createWhatsAppTemplateSender(o: Pick<WhatsAppSenderOptions, 'accessToken' | 'phoneNumberId' | 'graphUrl' | 'graphVersion' | 'pace' | 'fetch'>) {
  const client = whatsappClient(o);
  return async (to: string, template: TemplateRef): Promise<void> => {
    const address = isBusinessScopedUserId(to) ? { recipient: to } : { to };
    await o.pace();
    await client.messages.sendRaw({
      phoneNumberId: o.phoneNumberId,
      payload: { messaging_product: 'whatsapp', recipient_type: 'individual', ...address, type: 'template', template: { name: template.name, language: { code: template.lang } } },
    });
  };
}

function whatsappClient(o: Pick<WhatsAppSenderOptions, 'accessToken' | 'graphUrl' | 'graphVersion' | 'fetch'>): WhatsAppClient {
  const baseFetch = o.fetch ?? fetch;
  return new WhatsAppClient({
    accessToken: o.accessToken,
    baseUrl: o.graphUrl,
    graphVersion: o.graphVersion,
    fetch: (input, init) => baseFetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
  });
}

/** Network trouble (connection refused or reset, DNS, timeouts) as fetch reports it. */
function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof Error && 'cause' in err && err.cause instanceof Error);
}
