/**
 * The channels the configuration enables, as the outbox delivers to them: a message sender and,
 * where a channel acts on events (the Telegram erase), an event handler. The app and a separate
 * sender process (worker.ts) both build them here.
 */
import { createTelegramChannel, type TelegramChannel } from '../channels/telegram/channel.js';
import { paceSlot } from '../channels/pacer.js';
import { createWebInbox, type WebInbox } from '../channels/web/inbox.js';
import { createWhatsAppSender } from '../channels/whatsapp/sender.js';
import { telegramConfig, whatsappConfig, type Config } from '../config.js';
import type { Engine } from '../engine/engine.js';
import type { Store } from '../storage/store.js';
import type { ChannelEventHandler, ChannelSender } from './deliver.js';
import type { Log } from './log.js';

/** Senders and event handlers by channel name, and the Telegram channel for its webhook route. */
export interface ChannelDelivery {
  senders: Partial<Record<string, ChannelSender>>;
  eventHandlers: Partial<Record<string, ChannelEventHandler>>;
  telegram?: TelegramChannel;
  /** The web chat's inbox: staff replies wait there until the page fetches them (always on, as the web chat is). */
  web: WebInbox;
}

/** Creates the configured channels. */
export function channelDelivery(config: Config, deps: { store: Store; engine: Engine; log: Log; fetch?: typeof fetch }): ChannelDelivery {
  const web = createWebInbox({ store: deps.store });
  const delivery: ChannelDelivery = { senders: { web: web.send }, eventHandlers: { web: web.onEvent }, web };
  const whatsapp = whatsappConfig(config);
  if (whatsapp) {
    const pace = () => paceSlot(deps.store, `wsp:rl:whatsapp:${whatsapp.phoneNumberId}`, whatsapp.messagesPerSecond, whatsapp.messagesPerSecond);
    delivery.senders.whatsapp = createWhatsAppSender({ ...whatsapp, pace, log: deps.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  }
  const telegram = telegramConfig(config);
  if (telegram) {
    const channel = createTelegramChannel({ ...telegram, store: deps.store, layout: deps.store.layout, t: deps.engine.t, log: deps.log });
    delivery.telegram = channel;
    delivery.senders.telegram = channel.send;
    delivery.eventHandlers.telegram = (entry) => channel.onEvent(entry);
  }
  return delivery;
}
