/**
 * Where outbox entries go. Messages go to their channel's sender, registered by the channel
 * module; events (a handoff request, an emergency, a finished check) are logged for staff and
 * statistics until the handoff module takes them. An entry whose channel has no sender here is
 * not dropped: delivery fails, it stays in the outbox, and a sender that has the channel takes it.
 */
import type { Deliver } from './outboxWorker.js';
import type { Log } from './log.js';
import type { OutboxEntry } from '../storage/store.js';

/**
 * How a send ended when the message did not go out and must not be tried again (for the metrics):
 * the provider refused it for good (WhatsApp's code, Telegram's status), or it was not sent on
 * purpose (the person blocked the bot, or erased the chat after it was written). Nothing: sent.
 */
export type SendOutcome = { result: 'refused'; code: number } | { result: 'skipped' };

/** Sends one message on one channel. */
export type ChannelSender = (
  to: string,
  message: Extract<OutboxEntry, { kind: 'message' }>['message'],
  /**
   * When the message was written (ms; absent for entries written before this field existed), the
   * case of a staff message, and whether staff wrote it. `stillWanted`, when given, is asked
   * again before each retry and each further part of a long message: false once the person
   * erased their data meanwhile (the rest is then dropped, as `skipped`).
   */
  meta?: { at?: number; caseId?: string; from?: 'staff'; stillWanted?: () => Promise<boolean> },
) => Promise<SendOutcome | void>;

/** Acts on an event of one channel's person (the Telegram erase deletes the chat's messages). */
export type ChannelEventHandler = (entry: Extract<OutboxEntry, { kind: 'event' }>) => Promise<void>;

/**
 * Builds the dispatcher from the channel senders (and event handlers) that are configured.
 * A person's event goes first to the hotline (`onPersonEvent`: cases), then to the person's
 * channel; a staff surface's event (`hotline-telegram`, `hotline-webhook`) to that surface.
 */
export function createDeliver(deps: {
  senders: Partial<Record<string, ChannelSender>>;
  eventHandlers?: Partial<Record<string, ChannelEventHandler>>;
  onPersonEvent?: ChannelEventHandler;
  /** Counts a person's event into the anonymous statistics (the console's insights: src/insights/checkCounter.ts). */
  countEvent?: ChannelEventHandler;
  log: Pick<Log, 'info'>;
}): Deliver {
  return async (entry) => {
    if (entry.kind === 'event') {
      deps.log.info({ channel: entry.channel, event: entry.event.type }, 'case event');
      const handler = deps.eventHandlers?.[entry.channel];
      if (entry.channel.startsWith('hotline-')) {
        // A staff surface with no handler here is not acknowledged: a sender that has it takes it.
        if (!handler) throw new Error(`no handler for ${entry.channel}`);
        return handler(entry);
      }
      await deps.onPersonEvent?.(entry);
      // After the hotline: a count that fails is retried with the entry, and counts once (its marker).
      await deps.countEvent?.(entry);
      await handler?.(entry);
      return;
    }
    const send = deps.senders[entry.channel];
    if (!send) throw new Error(`no sender for channel ${entry.channel}`);
    return send(entry.to, entry.message, { ...(entry.at !== undefined ? { at: entry.at } : {}), ...(entry.caseId ? { caseId: entry.caseId } : {}), ...(entry.from ? { from: entry.from } : {}) });
  };
}
