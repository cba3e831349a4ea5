/**
 * What hotline staff do in their Telegram group: a text in a case's topic is a reply to the
 * person; the card's buttons claim, close (with an outcome), mute and unmute. Only members of the
 * group can act (getChatMember, cached for a few minutes); bots, other topics and the General
 * topic are ignored, with a log line that names no one.
 *
 * The webhook waits for the action itself (so two quick replies keep their order) but never for
 * Telegram: button answers and notices in the topic go out in the background. A reply the desk
 * refuses (the case is closed, the person left) is explained in the topic.
 */
import { GrammyError, type Api } from 'grammy';
import type { StaffUpdate } from '../channels/telegram/update.js';
import type { Log } from '../conversation/log.js';
import { KeyedQueue } from '../conversation/keyedQueue.js';
import { K } from '../engine/keys.js';
import type { Translator } from '../i18n/translator.js';
import type { Store } from '../storage/store.js';
import { IllegalTransition } from './case.js';
import { CaseNotFound } from './caseStore.js';
import type { Hotline, Staff } from './hotline.js';
import { cardKeyboard, outcomeKeyboard, parseCallbackData } from './staffCard.js';
import type { TelegramStaffGroup } from './telegramStaffGroup.js';

/** A member stays a member (or not) for this long before getChatMember is asked again. */
const MEMBER_TTL_MS = 5 * 60_000;
/** Telegram redelivers an update it did not see answered; one update is handled once. */
const UPDATE_TTL_MS = 24 * 60 * 60_000;
/** answerCallbackQuery takes at most 200 characters. */
const ANSWER_MAX = 200;

export interface TelegramStaffInputOptions {
  group: TelegramStaffGroup;
  api: Api;
  hotline: Hotline;
  store: Store;
  t: Translator;
  lang: string;
  log: Pick<Log, 'info' | 'warn' | 'error'>;
}

/** The staff input: what the webhook route calls for each update from the staff group. */
export interface TelegramStaffInput {
  /** The staff group's chat id, so the update parser can tell its updates apart. */
  chatId: number;
  /** Acts on one update from the staff group; never throws. */
  handle(update: StaffUpdate): Promise<void>;
}

/** Creates the staff input. */
export function createTelegramStaffInput(o: TelegramStaffInputOptions): TelegramStaffInput {
  const k = o.store.layout;
  const KS = K.staffGroup;
  const chatId = o.group.chatId;
  const queue = new KeyedQueue();
  const t = (key: string, args?: Record<string, string | number>) => o.t.t(o.lang, key, args);
  const ignore = (why: string) => o.log.info({ staffGroup: why }, 'staff group: update ignored');

  /** Posts in the topic without holding up the webhook. */
  const notice = (caseId: string, text: string): void => {
    void o.group.notice(caseId, text).catch((err: unknown) => o.log.warn({ case: caseId, err: errName(err) }, 'staff group: could not post a notice'));
  };

  /** Creator, administrator, member, or restricted but still in the group. */
  async function isMember(userId: number): Promise<boolean> {
    const key = k.telegramStaffMember(chatId, userId);
    const cached = await o.store.get(key);
    if (cached !== undefined) return cached === '1';
    let member = false;
    try {
      const m = await o.api.getChatMember(chatId, userId);
      member = m.status === 'creator' || m.status === 'administrator' || m.status === 'member' || (m.status === 'restricted' && m.is_member);
    } catch (err) {
      // "User not found" and the like: not a member. Anything else (network) is not an answer.
      if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
    }
    await o.store.set(key, member ? '1' : '0', MEMBER_TTL_MS);
    return member;
  }

  async function message(u: Extract<StaffUpdate, { kind: 'message' | 'edit' }>): Promise<void> {
    if (!u.from || u.from.isBot) return ignore('message from a bot or an anonymous sender');
    if (u.topic === undefined) return ignore('message outside a case topic');
    const caseId = await o.group.caseOfTopic(u.topic);
    if (!caseId) return ignore('message in a topic that is not a case');
    if (!(await isMember(u.from.id))) return ignore('message from someone who is not a member');
    if (u.kind === 'edit') return notice(caseId, t(KS.editNotSent));
    if (u.text === undefined || u.text.trim() === '') {
      // A photo or a voice note cannot be relayed; a service message (topic closed…) needs no answer.
      if (u.media && u.media !== 'unsupported') notice(caseId, t(KS.textOnly));
      return;
    }
    try {
      await o.hotline.reply(caseId, u.text, { name: u.from.name, via: 'telegram' });
    } catch (err) {
      if (err instanceof IllegalTransition || err instanceof CaseNotFound) return notice(caseId, t(KS.notSent, { reason: err.message }));
      o.log.error({ case: caseId, err: errName(err) }, 'staff group: a reply could not be relayed');
      notice(caseId, t(KS.sendFailed));
    }
  }

  async function button(u: Extract<StaffUpdate, { kind: 'button' }>): Promise<void> {
    const answer = (text?: string): void => {
      const options = text ? { text: text.slice(0, ANSWER_MAX), show_alert: true } : {};
      void o.api.answerCallbackQuery(u.callbackId, options).catch((err: unknown) => o.log.warn({ err: errName(err) }, 'staff group: could not answer a button press'));
    };
    const pressed = u.data ? parseCallbackData(u.data) : undefined;
    if (!pressed || u.from.isBot) {
      answer();
      return ignore('button that is not a case action');
    }
    if (!(await isMember(u.from.id))) {
      answer();
      return ignore('button pressed by someone who is not a member');
    }
    const { caseId, action } = pressed;
    const staff: Staff = { name: u.from.name, via: 'telegram' };
    try {
      switch (action.type) {
        case 'claim':
          await o.hotline.claim(caseId, staff);
          return answer(t(KS.answerClaimed, { id: caseId }));
        case 'close':
          if (u.messageId !== undefined) await o.group.setCardButtons(u.messageId, outcomeKeyboard(o.t, o.lang, caseId));
          return answer();
        case 'back': {
          const c = await o.hotline.cases.get(caseId);
          if (c && u.messageId !== undefined) await o.group.setCardButtons(u.messageId, cardKeyboard(o.t, o.lang, c));
          return answer();
        }
        case 'outcome':
          await o.hotline.close(caseId, action.outcome, staff);
          return answer(t(KS.answerClosed, { id: caseId }));
        case 'mute':
        case 'unmute':
          await o.hotline.setBotMuted(caseId, action.type === 'mute', staff);
          return answer(t(action.type === 'mute' ? KS.answerMuted : KS.answerUnmuted));
      }
    } catch (err) {
      // "Already claimed by Sari": the presser reads why, in the desk's own words.
      if (err instanceof IllegalTransition || err instanceof CaseNotFound) return answer(err.message);
      o.log.error({ case: caseId, action: action.type, err: errName(err) }, 'staff group: a button action failed');
      answer(t(KS.actionFailed));
    }
  }

  return {
    chatId: Number(chatId),
    async handle(u) {
      try {
        if (!(await o.store.setIfAbsent(k.telegramStaffUpdate(u.updateId), '1', UPDATE_TTL_MS))) return;
        // One staff update after another: two quick replies reach the person in the order written.
        await queue.run('staff', () => (u.kind === 'button' ? button(u) : message(u)));
      } catch (err) {
        o.log.error({ err: errName(err) }, 'staff group: an update could not be handled');
      }
    },
  };
}

/** An error's class name: enough for the log, and never a message that could carry a name or a text. */
function errName(err: unknown): string {
  return err instanceof GrammyError ? `GrammyError ${err.error_code}` : err instanceof Error ? err.name : 'error';
}
