/**
 * WhatsApp's 24-hour window for hotline cases. WhatsApp lets a business write freely only within
 * 24 hours of the person's last message; after that a staff reply is refused with 131047. The
 * staff must see that at once (a `delivery_failed` entry on the case, announced to the staff
 * group and the console), and, when WHATSAPP_REOPEN_TEMPLATE names an approved template, the bot
 * sends it to invite the person back: at most once a day per case, so a burst of refused replies
 * does not become a burst of templates.
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

export interface WindowClosedOptions {
  /** The desk, once it exists (it is created after the channels). */
  hotline: () => Hotline | undefined;
  store: Store;
  /** The reopen template, when configured; without a language, the person's. */
  template?: { name: string; lang?: string };
  sendTemplate?: (to: string, template: TemplateRef) => Promise<void>;
  log: Pick<Log, 'info' | 'warn'>;
}

/** The handler for the WhatsApp sender's refusals: a closed window on a case's message is reported on the case. */
export function createWindowClosedHandler(o: WindowClosedOptions) {
  return async (failure: DeliveryFailure, context: { to: string; caseId?: string }): Promise<void> => {
    if (failure.code !== WINDOW_CLOSED || !context.caseId) return;
    const desk = o.hotline();
    // Thrown, so the entry is tried again once the desk exists (it always does after start-up).
    if (!desk) throw new Error('the hotline desk is not ready');
    const caseId = context.caseId;
    await desk.deliveryFailed(caseId, WINDOW_CLOSED_REASON);
    if (!o.template || !o.sendTemplate) return;
    const c = await desk.cases.get(caseId);
    // A closed case invites nobody back; the person can always write again.
    if (!c || c.status === 'closed' || !c.personPresent) return;
    if (!(await o.store.setIfAbsent(o.store.layout.caseReopenInvited(caseId), '1', INVITE_EVERY_MS))) return;
    try {
      await o.sendTemplate(context.to, { name: o.template.name, lang: o.template.lang ?? c.summary.lang });
      o.log.info({ case: caseId }, 'whatsapp window closed: the reopen template was sent');
    } catch (err) {
      // Not sent: the next refused reply may try again.
      await o.store.delete(o.store.layout.caseReopenInvited(caseId));
      const code = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : undefined;
      o.log.warn({ case: caseId, err: err instanceof Error ? err.name : 'error', code }, 'whatsapp window closed: the reopen template could not be sent');
    }
  };
}
