/**
 * The channels the configuration enables, as the outbox delivers to them: a message sender and,
 * where a channel acts on events (the Telegram erase), an event handler. The app and a separate
 * sender process (worker.ts) both build them here. With HOTLINE_TELEGRAM_CHAT_ID the hotline staff
 * group is one more event handler (`hotline-telegram`), on the Telegram channel's client; a staff
 * reply WhatsApp refuses because its 24-hour window closed is reported on the case.
 */
import { createTelegramChannel, type TelegramChannel } from '../channels/telegram/channel.js';
import { paceSlot } from '../channels/pacer.js';
import { createWebInbox, type WebInbox } from '../channels/web/inbox.js';
import { createWhatsAppSender, createWhatsAppTemplateSender } from '../channels/whatsapp/sender.js';
import { createWebhookSender } from '../handoff/webhookSender.js';
import { telegramConfig, whatsappConfig, type Config } from '../config.js';
import type { Engine } from '../engine/engine.js';
import type { Hotline } from '../handoff/hotline.js';
import { createTelegramStaffGroup, type TelegramStaffGroup } from '../handoff/telegramStaffGroup.js';
import { createWhatsAppWindow, parseReopenTemplate, type WhatsAppWindow } from '../handoff/whatsappWindow.js';
import type { Store } from '../storage/store.js';
import type { ChannelEventHandler, ChannelSender } from './deliver.js';
import type { Log } from './log.js';

/** Senders and event handlers by channel name, and the Telegram channel for its webhook route. */
export interface ChannelDelivery {
  senders: Partial<Record<string, ChannelSender>>;
  eventHandlers: Partial<Record<string, ChannelEventHandler>>;
  telegram?: TelegramChannel;
  /** The hotline staff group, when HOTLINE_TELEGRAM_CHAT_ID is set (its input side needs it too). */
  staffGroup?: TelegramStaffGroup;
  /** WhatsApp's 24-hour window for hotline cases; its webhook route reports failed statuses to it. */
  whatsappWindow?: WhatsAppWindow;
  /** The web chat's inbox: staff replies wait there until the page fetches them (always on, as the web chat is). */
  web: WebInbox;
}

/** Creates the configured channels. */
export function channelDelivery(
  config: Config,
  /** `hotline`: the desk, once created (after the channels), for failed deliveries of staff messages. */
  deps: { store: Store; engine: Engine; log: Log; fetch?: typeof fetch; hotline?: () => Hotline | undefined },
): ChannelDelivery {
  const web = createWebInbox({ store: deps.store });
  const delivery: ChannelDelivery = { senders: { web: web.send }, eventHandlers: { web: web.onEvent }, web };
  const whatsapp = whatsappConfig(config);
  if (whatsapp) {
    const pace = () => paceSlot(deps.store, `wsp:rl:whatsapp:${whatsapp.phoneNumberId}`, whatsapp.messagesPerSecond, whatsapp.messagesPerSecond);
    const fetchOption = deps.fetch ? { fetch: deps.fetch } : {};
    const template = parseReopenTemplate(config.WHATSAPP_REOPEN_TEMPLATE);
    const window = createWhatsAppWindow({
      hotline: deps.hotline ?? (() => undefined),
      store: deps.store,
      log: deps.log,
      ...(template ? { template, sendTemplate: createWhatsAppTemplateSender({ ...whatsapp, pace, ...fetchOption }) } : {}),
    });
    delivery.whatsappWindow = window;
    const send = createWhatsAppSender({
      ...whatsapp,
      pace,
      log: deps.log,
      onFailure: (failure, context) => window.onRefused(failure, context),
      onCaseMessageSent: (messageId, caseId) => window.onCaseMessageSent(messageId, caseId),
      ...fetchOption,
    });
    delivery.senders.whatsapp = unlessErased(deps.store, 'whatsapp', send);
  }
  if (config.HOTLINE_WEBHOOK_URL && config.HOTLINE_WEBHOOK_SECRET) {
    delivery.eventHandlers['hotline-webhook'] = createWebhookSender({ url: config.HOTLINE_WEBHOOK_URL, secret: config.HOTLINE_WEBHOOK_SECRET, log: deps.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  }
  const telegram = telegramConfig(config);
  if (telegram) {
    const channel = createTelegramChannel({ ...telegram, store: deps.store, layout: deps.store.layout, t: deps.engine.t, log: deps.log });
    delivery.telegram = channel;
    delivery.senders.telegram = channel.send;
    delivery.eventHandlers.telegram = (entry) => channel.onEvent(entry);
    if (config.HOTLINE_TELEGRAM_CHAT_ID) {
      const group = createTelegramStaffGroup({
        api: channel.api,
        pace: (chatId) => channel.paceGroup(chatId),
        chatId: config.HOTLINE_TELEGRAM_CHAT_ID,
        store: deps.store,
        t: deps.engine.t,
        lang: config.DEFAULT_LANG,
        timeZone: config.HOTLINE_HOURS?.timeZone ?? 'Asia/Jakarta',
        reopenTemplate: Boolean(config.WHATSAPP_REOPEN_TEMPLATE && whatsapp),
        log: deps.log,
      });
      delivery.staffGroup = group;
      delivery.eventHandlers['hotline-telegram'] = (entry) => group.onEvent(entry);
    }
  }
  return delivery;
}

/**
 * Drops a message that was written for the person before they erased their data and was still
 * in the outbox (a staff reply being retried): the bot cannot delete a WhatsApp message from their
 * phone afterwards. The marker is written by the erase (pipeline.ts), at any moment, so the sender
 * asks again before each retry and each further part (`stillWanted`). The Telegram channel and
 * the web inbox check it themselves (a Telegram erase runs in the person's turn, after the send).
 */
function unlessErased(store: Store, channel: string, send: ChannelSender): ChannelSender {
  return async (to, message, meta) => {
    const key = store.layout.erasedAt({ channel, id: to });
    const stillWanted = async (): Promise<boolean> => {
      const erasedAt = Number((await store.get(key)) ?? 0);
      return !(erasedAt > 0 && (meta?.at ?? 0) <= erasedAt);
    };
    if (!(await stillWanted())) return { result: 'skipped' };
    return send(to, message, { ...meta, stillWanted });
  };
}
