/**
 * The hotline staff group on Telegram, as a staff surface: the outbox's `hotline-telegram` case
 * events become a forum topic per case in HOTLINE_TELEGRAM_CHAT_ID, with the summary card and
 * its buttons, the person's messages, replies written on the console, claims, closes, reminders
 * and failed deliveries. What staff do in the group comes back through telegramStaffInput.ts.
 *
 * Retries are safe: the topic is stored with the case (`caseTelegram`, `caseByTopic`) as soon as
 * it exists, so a retried `case.opened` posts the card in the same topic instead of opening a
 * second one. Posts go through the Telegram channel's client and its pace for a group (about 20 a
 * minute). A 400 from Telegram is logged and not retried; anything else goes back to the outbox.
 */
import { GrammyError, type Api } from 'grammy';
import { splitText } from '../channels/splitText.js';
import type { Log } from '../conversation/log.js';
import { K } from '../engine/keys.js';
import type { Translator } from '../i18n/translator.js';
import { safeReason } from '../logging/loggerOptions.js';
import type { OutboxEntry, Store } from '../storage/store.js';
import type { CaseEvent } from './caseEvents.js';
import { createCaseStore } from './caseStore.js';
import { cardKeyboard, cardText, outcomeLabel, topicColor, topicName, type Keyboard, type StaffCase } from './staffCard.js';

/** The case's topic in the staff group, and the message id of its summary card once posted. */
export interface TopicRecord {
  topic: number;
  card?: number;
}

export interface TelegramStaffGroupOptions {
  /** The Telegram channel's client (with its auto-retry). */
  api: Api;
  /** The channel's pace for a group chat. */
  pace: (chatId: string) => Promise<void>;
  /** HOTLINE_TELEGRAM_CHAT_ID. */
  chatId: string;
  store: Store;
  t: Translator;
  /** The staff's language (DEFAULT_LANG). */
  lang: string;
  /** For the card's opening time: the hotline hours' zone (the console's default, Asia/Jakarta, without them). */
  timeZone?: string;
  /** WHATSAPP_REOPEN_TEMPLATE is set: the 24-hour notice says that the person is invited back. */
  reopenTemplate: boolean;
  log: Pick<Log, 'info' | 'warn'>;
}

/** The staff group: the outbox handler, and what the staff input needs to answer in it. */
export interface TelegramStaffGroup {
  chatId: string;
  /** Handles one `hotline-telegram` outbox entry. */
  onEvent(entry: Extract<OutboxEntry, { kind: 'event' }>): Promise<void>;
  /** The case of a forum topic, if the topic is a case's. */
  caseOfTopic(topic: number): Promise<string | undefined>;
  /** Posts a line in the case's topic (a refused reply, a button's result). */
  notice(caseId: string, text: string): Promise<void>;
  /** Replaces the card's buttons: the outcomes of Close, or the case's own buttons again. */
  setCardButtons(messageId: number, keyboard: Keyboard): Promise<void>;
}

/** How long a second instance waits for another's topic creation before the entry is retried. */
const CREATE_LOCK_MS = 15_000;
const CREATE_WAIT_TRIES = 50;

/** Creates the staff group surface. */
export function createTelegramStaffGroup(o: TelegramStaffGroupOptions): TelegramStaffGroup {
  const cases = createCaseStore(o.store);
  const k = o.store.layout;
  const KS = K.staffGroup;
  const t = (key: string, args?: Record<string, string | number>) => o.t.t(o.lang, key, args);
  const { api, chatId } = o;

  /** Sends `text` in the topic (split at 4096), the keyboard on the last part; returns the last message id. */
  async function send(topic: number, text: string, keyboard?: Keyboard): Promise<number> {
    const parts = splitText(text, 4096);
    let id = 0;
    for (const [i, part] of parts.entries()) {
      await o.pace(chatId);
      const last = i === parts.length - 1;
      const sent = await api.sendMessage(chatId, part, {
        message_thread_id: topic,
        link_preview_options: { is_disabled: true },
        ...(last && keyboard && keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      });
      id = sent.message_id;
    }
    return id;
  }

  async function record(caseId: string): Promise<TopicRecord | undefined> {
    return cases.getExtra<TopicRecord>(k.caseTelegram(caseId));
  }

  /** The case's topic with its card, created (once) when it does not exist yet. */
  async function ensureTopic(c: StaffCase): Promise<TopicRecord> {
    const existing = await record(c.id);
    if (existing?.card !== undefined) return existing;
    // One instance creates the topic; another that meets the same case at once waits for it.
    const lockKey = `${k.caseTelegram(c.id)}:creating`;
    for (let i = 0; !(await o.store.setIfAbsent(lockKey, '1', CREATE_LOCK_MS)); i++) {
      if (i >= CREATE_WAIT_TRIES) throw new Error(`the topic of case ${c.id} is being created elsewhere`);
      await new Promise((r) => setTimeout(r, 100));
    }
    try {
      let rec = await record(c.id);
      if (!rec) {
        await o.pace(chatId);
        const topic = await api.createForumTopic(chatId, topicName(c), { icon_color: topicColor(c) });
        rec = { topic: topic.message_thread_id };
        // Stored before anything else is posted: a retry finds the topic instead of opening another.
        await cases.setExtra(k.caseTelegram(c.id), rec);
        await cases.setExtra(k.caseByTopic(rec.topic), c.id);
        o.log.info({ case: c.id }, 'staff group: case topic created');
      }
      if (rec.card === undefined) {
        rec = { ...rec, card: await send(rec.topic, cardText(o.t, o.lang, c, o.timeZone), cardKeyboard(o.t, o.lang, c)) };
        await cases.setExtra(k.caseTelegram(c.id), rec);
      }
      return rec;
    } finally {
      await o.store.delete(lockKey);
    }
  }

  /** Posts in the case's topic; a topic staff deleted is opened again, once, with a new card. */
  async function post(c: StaffCase, text: string): Promise<void> {
    const rec = await ensureTopic(c);
    try {
      await send(rec.topic, text);
    } catch (err) {
      if (!isTopicGone(err)) throw err;
      o.log.warn({ case: c.id }, 'staff group: the case topic is gone; opening a new one');
      await forget(c.id, rec.topic);
      await send((await ensureTopic(c)).topic, text);
    }
  }

  async function forget(caseId: string, topic: number): Promise<void> {
    await o.store.delete(k.caseTelegram(caseId), k.caseByTopic(topic));
  }

  /** Draws the card again for the case as it is now ("Claimed by …", the mute button, closed). */
  async function updateCard(c: StaffCase, rec: TopicRecord): Promise<void> {
    if (rec.card === undefined) return;
    await o.pace(chatId);
    const keyboard = cardKeyboard(o.t, o.lang, c);
    // Without reply_markup the edit removes the buttons (a closed case has none).
    await quiet(api.editMessageText(chatId, rec.card, cardText(o.t, o.lang, c, o.timeZone), keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {}));
  }

  async function onEvent(entry: Extract<OutboxEntry, { kind: 'event' }>): Promise<void> {
    const event = entry.event as unknown as CaseEvent;
    const c = event.case;
    const e = event.entry;
    try {
      switch (event.type) {
        case 'case.opened':
          await ensureTopic(c);
          return;
        case 'case.message':
          if (!e?.text) return;
          if (e.by.kind === 'person') return await post(c, t(KS.person, { text: e.text }));
          // What staff wrote in the topic is there already; the console's replies are not.
          if (e.by.kind === 'staff' && e.by.via === 'console') return await post(c, t(KS.console, { name: e.by.name, text: e.text }));
          return;
        case 'case.claimed': {
          const rec = await ensureTopic(c);
          await updateCard(c, rec);
          return await post(c, t(KS.claimed, { name: c.claimedBy ?? (e?.by.kind === 'staff' ? e.by.name : '?') }));
        }
        case 'case.closed':
          return await closed(c, event);
        case 'case.reminder': {
          const minutes = Math.max(0, Math.floor((event.at - c.openedAt) / 60_000));
          return await post(c, t(c.priority === 'urgent' ? KS.reminderUrgent : KS.reminder, { minutes }));
        }
        case 'case.delivery_failed':
          if (e?.text === 'whatsapp_window_closed') return await post(c, [t(KS.windowClosed), ...(o.reopenTemplate ? [t(KS.windowInvite)] : [])].join('\n'));
          return await post(c, t(KS.notDelivered, { reason: e?.text ?? '?' }));
        case 'case.updated':
          return await updated(c, event);
        default:
          return;
      }
    } catch (err) {
      // A refusal (400) is not worth a retry: it would be refused again and hold the case's other events.
      if (err instanceof GrammyError && err.error_code === 400) {
        o.log.warn({ case: c.id, event: event.type, reason: safeReason(err.description) }, 'staff group: telegram refused; not retried');
        return;
      }
      throw err;
    }
  }

  async function closed(c: StaffCase, event: CaseEvent): Promise<void> {
    const rec = await record(c.id);
    // No topic (the group was set up later): nothing to close, and no topic is opened just for that.
    if (!rec) return;
    if (event.entry?.type === 'erased' || c.outcome === 'erased') return erased(c, rec);
    await updateCard(c, rec);
    const by = event.entry?.by.kind === 'staff' ? event.entry.by.name : '?';
    await post(c, t(KS.closed, { name: by, outcome: outcomeLabel(o.t, o.lang, c.outcome ?? 'resolved') }));
    await o.pace(chatId);
    await quiet(api.closeForumTopic(chatId, rec.topic));
  }

  /** The person erased their data: the topic goes with everything they wrote in it. */
  async function erased(c: StaffCase, rec: TopicRecord): Promise<void> {
    await o.pace(chatId);
    try {
      await api.deleteForumTopic(chatId, rec.topic);
      await forget(c.id, rec.topic);
      await o.pace(chatId);
      await api.sendMessage(chatId, t(KS.erased, { id: c.id }));
    } catch (err) {
      if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
      // Without the right to delete messages the topic stays: it is closed, and says why.
      o.log.warn({ case: c.id, reason: safeReason(err.description) }, 'staff group: could not delete the topic of an erased case; give the bot the Delete Messages right');
      await updateCard(c, rec);
      await send(rec.topic, t(KS.erased, { id: c.id }));
      await o.pace(chatId);
      await quiet(api.closeForumTopic(chatId, rec.topic));
    }
  }

  async function updated(c: StaffCase, event: CaseEvent): Promise<void> {
    const rec = await ensureTopic(c);
    await updateCard(c, rec);
    const e = event.entry;
    const name = e?.by.kind === 'staff' ? e.by.name : '?';
    switch (e?.type) {
      case 'escalated':
        if (!e.text) return post(c, t(KS.askedAgain));
        // The topic's name carries the priority: it changes with it.
        await o.pace(chatId);
        await quiet(api.editForumTopic(chatId, rec.topic, { name: topicName(c) }));
        return post(c, t(KS.escalated, { priority: t(KS.priority, { priority: c.priority }) }));
      case 'person_returned':
        return post(c, t(KS.personReturned));
      case 'person_left':
        return post(c, t(KS.personLeft));
      case 'muted':
        return post(c, t(KS.muted, { name }));
      case 'unmuted':
        return post(c, t(KS.unmuted, { name }));
      default:
        return;
    }
  }

  return {
    chatId,
    onEvent,
    async caseOfTopic(topic) {
      return cases.getExtra<string>(k.caseByTopic(topic));
    },
    async notice(caseId, text) {
      const c = await cases.get(caseId);
      if (c) await post(c, text);
    },
    async setCardButtons(messageId, keyboard) {
      await quiet(api.editMessageReplyMarkup(chatId, messageId, { reply_markup: { inline_keyboard: keyboard } }));
    },
  };
}

/** Telegram's "nothing changed" answers (the card is as it was, the topic already closed) are success. */
async function quiet(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (err instanceof GrammyError && /not modified|TOPIC_NOT_MODIFIED/i.test(err.description)) return;
    throw err;
  }
}

/** The topic was deleted in the group (or never existed there). */
function isTopicGone(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /thread not found|TOPIC_ID_INVALID|TOPIC_DELETED/i.test(err.description);
}
