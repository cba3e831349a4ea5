/**
 * The Telegram side of delivery: sending outbox messages through grammY's `Api` (with
 * auto-retry for 429 and server errors), pacing to about one message a second per chat and
 * TELEGRAM_MPS in all (shared by every instance through the store), marking people who block the
 * bot, acknowledging button presses, and the Telegram erase: delete the conversation's messages
 * as far as Telegram allows (48 hours), then say honestly what could not be deleted.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Api, GrammyError } from 'grammy';
import type { ChannelSender } from '../../conversation/deliver.js';
import type { Log } from '../../conversation/log.js';
import { errorFields, safeReason } from '../../logging/loggerOptions.js';
import type { Translator } from '../../i18n/translator.js';
import type { KeyLayout } from '../../storage/keys.js';
import type { OutboxEntry, Store } from '../../storage/store.js';
import { paceSlot } from '../pacer.js';
import { renderTelegram } from './render.js';

/** Telegram lets a bot delete messages in a private chat for 48 hours. */
const DELETABLE_MS = 48 * 60 * 60 * 1000;
/**
 * Message ids are kept a week: those under 48 hours old are deleted on an erase, the older ones
 * are counted honestly as "could not be deleted". (Ids and dates only, never the text.)
 */
const MESSAGE_IDS_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** How long the erase marker stops messages that were still queued for the person. */
const ERASED_MARKER_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_MESSAGE_IDS = 500;
const BLOCKED_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Messages that may go to one chat at once before the one-a-second pace applies. */
const CHAT_BURST = 3;
/** A group takes a third of a private chat's pace: Telegram allows about 20 messages a minute in one group. */
const GROUP_SHARE = 3;

export interface TelegramChannelOptions {
  token: string;
  apiRoot: string;
  store: Store;
  layout: KeyLayout;
  /** For the one message the channel writes itself: what the erase could not delete. */
  t: Translator;
  log: Log;
  messagesPerSecond: number;
  /** Messages per second to one chat (Telegram: about one). */
  chatMessagesPerSecond?: number;
  now?: () => number;
  /** Longest wait auto-retry accepts for a 429 before giving the entry back to the outbox. */
  maxRetryDelaySeconds?: number;
}

export interface TelegramChannel {
  /** The bot's grammY client (auto-retry included), shared with the hotline staff group. */
  api: Api;
  send: ChannelSender;
  /** Waits for a slot to post in a group chat (the staff group): about 20 a minute, and the bot's TELEGRAM_MPS. */
  paceGroup(chatId: string): Promise<void>;
  /** Handles events for Telegram people (the erase). */
  onEvent(entry: Extract<OutboxEntry, { kind: 'event' }>): Promise<void>;
  /** Records a person's own message, so that an erase can delete it too. */
  recordPersonMessage(chatId: number, messageId: number, date: number): Promise<void>;
  /** Answers a button press and removes the keyboard it came from (never awaited by the webhook). */
  acknowledgeButton(callback: { id: string; chatId: number; messageId?: number }): Promise<void>;
  setBlocked(chatId: number, blocked: boolean): Promise<void>;
}

/** Creates the Telegram channel. */
export function createTelegramChannel(o: TelegramChannelOptions): TelegramChannel {
  // A stalled request is abandoned after 10 s (grammY's default is 500 s) and retried from the outbox.
  const api = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: 10 });
  // Network errors are not retried here (auto-retry would retry them without end): the outbox
  // retries later. Waits stay well under the outbox's reclaim time, so no entry is sent twice.
  api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: o.maxRetryDelaySeconds ?? 10, rethrowHttpErrors: true }));
  const now = o.now ?? Date.now;
  const person = (chatId: string | number) => ({ channel: 'telegram', id: String(chatId) });

  /** Waits for this chat's slot (about 1 a second) and the bot's (TELEGRAM_MPS), shared by all instances. */
  async function pace(chatId: string): Promise<void> {
    // A reply of a few messages may go at once (Telegram tolerates short bursts in a private chat),
    // then about one a second.
    await paceSlot(o.store, o.layout.telegramChatPace(String(chatId)), o.chatMessagesPerSecond ?? 1, CHAT_BURST, now);
    await paceSlot(o.store, 'wsp:rl:telegram:all', o.messagesPerSecond, 1, now);
  }

  async function paceGroup(chatId: string): Promise<void> {
    await paceSlot(o.store, o.layout.telegramChatPace(String(chatId)), (o.chatMessagesPerSecond ?? 1) / GROUP_SHARE, CHAT_BURST, now);
    await paceSlot(o.store, 'wsp:rl:telegram:all', o.messagesPerSecond, 1, now);
  }

  /** Removes a message's keyboard; "not modified" (already gone) is as good as done. */
  async function removeKeyboard(chatId: number | string, messageId: number): Promise<void> {
    await api.editMessageReplyMarkup(chatId, messageId, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
  }

  async function setBlocked(chatId: number | string, blocked: boolean): Promise<void> {
    const key = o.layout.blocked(person(chatId));
    if (blocked) await o.store.set(key, '1', BLOCKED_TTL_MS);
    else await o.store.delete(key);
  }

  const send: ChannelSender = async (to, message, meta) => {
    const who = person(to);
    const keyboardKey = o.layout.telegramKeyboard(who);
    // The three reads go out together (one round trip to Redis instead of three in a row).
    const [blocked, erased, live] = await Promise.all([o.store.get(o.layout.blocked(who)), o.store.get(o.layout.erasedAt(who)), o.store.get(keyboardKey)]);
    if (blocked) return { result: 'skipped' }; // They blocked the bot: nothing more is sent.
    // A message that was still queued when the person erased the chat must not reappear in it.
    const erasedAt = Number(erased ?? 0);
    if (erasedAt > 0 && (meta?.at ?? 0) <= erasedAt) return { result: 'skipped' };
    // The previous question's buttons go when the conversation moves on, also after a typed answer.
    if (live) {
      await o.store.delete(keyboardKey);
      void removeKeyboard(to, Number(live));
    }
    for (const part of renderTelegram(message)) {
      await pace(to);
      try {
        const sent = await api.sendMessage(to, part.text, {
          link_preview_options: { is_disabled: true },
          ...(part.keyboard ? { reply_markup: { inline_keyboard: part.keyboard } } : {}),
        });
        // Sent is sent: failing to record the id must not send the message again.
        await Promise.all([
          o.store.listPush(o.layout.telegramMessages(who), [`${sent.message_id}:${sent.date}`], MESSAGE_IDS_TTL_MS, MAX_MESSAGE_IDS),
          part.keyboard ? o.store.set(keyboardKey, String(sent.message_id), MESSAGE_IDS_TTL_MS) : undefined,
        ]).catch(() => o.log.warn({ channel: 'telegram' }, 'could not record a sent message id'));
      } catch (err) {
        if (err instanceof GrammyError && err.error_code === 403) {
          o.log.info({ channel: 'telegram' }, 'person blocked the bot; nothing more is sent');
          await setBlocked(to, true);
          return { result: 'refused', code: 403 };
        }
        if (err instanceof GrammyError && err.error_code === 400) {
          o.log.warn({ channel: 'telegram', code: 400, reason: safeReason(err.description) }, 'telegram refused the message; not retried');
          return { result: 'refused', code: 400 };
        }
        throw err; // Network trouble or retries used up: the outbox tries again later.
      }
    }
  };

  /** `erasedAt`: when the step that confirmed the erase ran; what was written before it is dropped, what came after is sent. */
  async function erase(chatId: string, lang: string, erasedAt: number): Promise<void> {
    await o.store.set(o.layout.erasedAt(person(chatId)), String(erasedAt), ERASED_MARKER_TTL_MS);
    const key = o.layout.telegramMessages(person(chatId));
    let deleted = 0;
    let kept = 0;
    for (const item of new Set(await o.store.listRead(key))) {
      const [id, date] = item.split(':').map(Number);
      if (!id || !date || now() - date * 1000 > DELETABLE_MS) {
        kept += 1;
        continue;
      }
      try {
        await api.deleteMessage(chatId, id);
        deleted += 1;
      } catch (err) {
        // "Not found": the person already deleted it, which is just as good.
        if (err instanceof GrammyError && /not found/i.test(err.description)) deleted += 1;
        else kept += 1;
      }
    }
    await o.store.delete(key);
    await pace(chatId);
    await api.sendMessage(chatId, o.t.t(lang, 'erase-telegram-summary', { deleted, kept }));
  }

  return {
    api,
    send,
    paceGroup,
    setBlocked,
    async onEvent(entry) {
      if (entry.event.type === 'erase_requested') await erase(entry.to, String(entry.event.lang ?? o.t.defaultLang), entry.at ?? now());
    },
    async recordPersonMessage(chatId, messageId, date) {
      await o.store.listPush(o.layout.telegramMessages(person(chatId)), [`${messageId}:${date}`], MESSAGE_IDS_TTL_MS, MAX_MESSAGE_IDS);
    },
    async acknowledgeButton(cb) {
      await api.answerCallbackQuery(cb.id).catch((err: unknown) => o.log.warn({ channel: 'telegram', ...errorFields(err) }, 'could not answer a button press'));
      // The question is answered: its buttons go, so they cannot be pressed again as if current.
      if (cb.messageId !== undefined) {
        const key = o.layout.telegramKeyboard(person(cb.chatId));
        if ((await o.store.get(key).catch(() => undefined)) === String(cb.messageId)) await o.store.delete(key).catch(() => undefined);
        await removeKeyboard(cb.chatId, cb.messageId);
      }
    },
  };
}
