/**
 * WhatsApp's 24-hour window for hotline cases. WhatsApp lets a business write freely only within
 * 24 hours of the person's last message; after that a staff reply is refused with 131047. The
 * staff must see that at once (a `delivery_failed` entry on the case, announced to the staff
 * group and the console), and, when WHATSAPP_REOPEN_TEMPLATE names an approved template, the bot
 * sends it to invite the person back: at most once a day per case, so a burst of refused replies
 * does not become a burst of templates.
 *
 * WhatsApp says so in one of two ways: at once, refusing the send (the sender's `onFailure`), or
 * later, in a `failed` status webhook for the message's `wamid`; the sender remembers which case
 * each accepted staff message belongs to, so that the late refusal finds its case too.
 */
import type { DeliveryFailure, TemplateRef } from '../channels/whatsapp/sender.js';
import type { Log } from '../conversation/log.js';
import type { Store } from '../storage/store.js';
import type { Hotline } from './hotline.js';

/** WhatsApp: "Re-engagement message", more than 24 hours since the person last wrote. */
export const WINDOW_CLOSED = 131047;
/** The reason recorded on the case (the staff surfaces know it). */
export const WINDOW_CLOSED_REASON = 'whatsapp_window_closed';
/** At most one invitation per case in this time. */
const INVITE_EVERY_MS = 24 * 60 * 60_000;

/** WHATSAPP_REOPEN_TEMPLATE (`name` or `name:language`) as a name and an optional language. */
export function parseReopenTemplate(setting: string | undefined): { name: string; lang?: string } | undefined {
  if (!setting) return undefined;
  const [name = '', lang] = setting.split(':');
  return { name, ...(lang ? { lang } : {}) };
}

export interface WhatsAppWindowOptions {
  /** The desk, once it exists (it is created after the channels). */
  hotline: () => Hotline | undefined;
  store: Store;
  /** The reopen template, when configured; without a language, the person's. */
  template?: { name: string; lang?: string };
  sendTemplate?: (to: string, template: TemplateRef) => Promise<void>;
  log: Pick<Log, 'info' | 'warn'>;
}

/** What the WhatsApp channel reports about a case's messages, and what it does about a closed window. */
export interface WhatsAppWindow {
  /** The sender's refusal of a message (131047 when WhatsApp answers at once). */
  onRefused(failure: DeliveryFailure, context: { to: string; caseId?: string }): Promise<void>;
  /** The sender's accepted message of a case, remembered for a `failed` status that may come later. */
  onCaseMessageSent(messageId: string, caseId: string): Promise<void>;
  /** A `failed` status webhook (how WhatsApp usually reports 131047). */
  onStatusFailure(failure: { code: number; messageId: string }): Promise<void>;
}

/** How long a sent message's case is remembered: Meta retries status webhooks for up to 7 days. */
const SENT_TTL_MS = 7 * 24 * 60 * 60_000;

/** Creates the 24-hour window handling for hotline cases. */
export function createWhatsAppWindow(o: WhatsAppWindowOptions): WhatsAppWindow {
  const k = o.store.layout;

  /** A case's message did not reach the person because the window closed: staff hear it, the person may be invited. */
  async function windowClosed(caseId: string, to?: string): Promise<void> {
    const desk = o.hotline();
    // Thrown, so the entry is tried again once the desk exists (it always does after start-up).
    if (!desk) throw new Error('the hotline desk is not ready');
    await desk.deliveryFailed(caseId, WINDOW_CLOSED_REASON);
    if (!o.template || !o.sendTemplate) return;
    const c = await desk.cases.get(caseId);
    // A closed case invites nobody back; the person can always write again.
    if (!c || c.status === 'closed' || !c.personPresent || c.person?.channel !== 'whatsapp') return;
    if (!(await o.store.setIfAbsent(k.caseReopenInvited(caseId), '1', INVITE_EVERY_MS))) return;
    try {
      await o.sendTemplate(to ?? c.person.id, { name: o.template.name, lang: o.template.lang ?? c.summary.lang });
      o.log.info({ case: caseId }, 'whatsapp window closed: the reopen template was sent');
    } catch (err) {
      // Not sent: the next refused reply may try again.
      await o.store.delete(k.caseReopenInvited(caseId));
      const code = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : undefined;
      o.log.warn({ case: caseId, err: err instanceof Error ? err.name : 'error', code }, 'whatsapp window closed: the reopen template could not be sent');
    }
  }

  return {
    async onRefused(failure, context) {
      if (failure.code === WINDOW_CLOSED && context.caseId) await windowClosed(context.caseId, context.to);
    },
    async onCaseMessageSent(messageId, caseId) {
      await o.store.set(k.whatsappMessageCase(messageId), caseId, SENT_TTL_MS);
    },
    async onStatusFailure(failure) {
      if (failure.code !== WINDOW_CLOSED) return;
      const caseId = await o.store.get(k.whatsappMessageCase(failure.messageId));
      if (!caseId) return;
      await windowClosed(caseId);
      // One report per message, however often Meta sends its status.
      await o.store.delete(k.whatsappMessageCase(failure.messageId));
    },
  };
}
