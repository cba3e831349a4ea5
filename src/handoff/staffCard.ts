/**
 * The case as staff see it in their Telegram group: the topic's name, the summary card and its
 * buttons, and the short button data that comes back when one is pressed. Pure: text from the
 * locales, the case from its event; the staff group module posts and edits it.
 *
 * The card is plain text (no parse mode), so nothing a person wrote can break its formatting,
 * and never carries the person's address: the case it is drawn from has none.
 */
import { K } from '../engine/keys.js';
import type { Translator } from '../i18n/translator.js';
import { OUTCOMES, type Case, type Outcome } from './case.js';

/** The case as the staff surfaces receive it (no address). */
export type StaffCase = Omit<Case, 'person'>;

/** An inline keyboard: rows of buttons whose data fits Telegram's 64 bytes. */
export type Keyboard = Array<Array<{ text: string; callback_data: string }>>;

/** What a card button asks for: claim, show the outcomes (`close`) or go back, close with an outcome, mute or unmute. */
export type CardAction = { type: 'claim' | 'close' | 'back' | 'mute' | 'unmute' } | { type: 'outcome'; outcome: Exclude<Outcome, 'erased'> };

/** Telegram's limits that the card must fit: topic names 1–128 characters, text 4096. */
const TOPIC_NAME_MAX = 128;
const TEXT_MAX = 4096;
const KS = K.staffGroup;

const CHANNEL_NAMES: Record<string, string> = { whatsapp: 'WhatsApp', telegram: 'Telegram', web: 'Web chat' };

/** The topic's name: `#<id> <priority> <level>` (no level when the case has none). */
export function topicName(c: StaffCase): string {
  return [`#${c.id}`, c.priority, c.summary.level].filter(Boolean).join(' ').slice(0, TOPIC_NAME_MAX);
}

/** The topic icon's colour by priority (one of the six colours Telegram allows). */
export function topicColor(c: StaffCase): 0xfb6f5f | 0xffd67e | 0x6fb9f0 {
  return c.priority === 'urgent' ? 0xfb6f5f : c.priority === 'high' ? 0xffd67e : 0x6fb9f0;
}

/** The summary card: why, how serious, the signs and answers, language, channel, when, and the status. */
export function cardText(t: Translator, lang: string, c: StaffCase, timeZone = 'Asia/Jakarta'): string {
  const s = c.summary;
  const lines = [
    t.t(lang, KS.cardTitle, { id: c.id }),
    t.t(lang, KS.cardReason, { reason: t.t(lang, KS.reason, { reason: s.reason }) }),
    t.t(lang, KS.cardPriority, { priority: t.t(lang, KS.priority, { priority: c.priority }) }),
    ...(s.level ? [t.t(lang, KS.cardLevel, { level: t.t(lang, KS.level, { level: s.level }) })] : []),
    s.signs.length > 0 ? t.t(lang, KS.cardSigns, { signs: s.signs.join(', ') }) : t.t(lang, KS.cardNoSigns),
    t.t(lang, KS.cardLanguage, { lang: `${t.t(s.lang, 'language-name')} (${s.lang})` }),
    t.t(lang, KS.cardChannel, { channel: CHANNEL_NAMES[s.channel] ?? s.channel }),
    t.t(lang, KS.cardOpened, { time: formatTime(c.openedAt, timeZone) }),
  ];
  const answers = Object.entries(s.answers);
  if (answers.length > 0) lines.push('', t.t(lang, KS.cardAnswers), ...answers.map(([q, a]) => `• ${q}: ${String(a)}`));
  lines.push('', statusLine(t, lang, c));
  if (c.status !== 'closed') {
    if (!c.personPresent) lines.push(t.t(lang, KS.cardLeft));
    lines.push(t.t(lang, c.botMuted ? KS.cardMuted : KS.cardUnmuted), t.t(lang, KS.cardHelp));
  }
  const text = lines.join('\n');
  return text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX - 1)}…` : text;
}

function statusLine(t: Translator, lang: string, c: StaffCase): string {
  if (c.status === 'closed') return t.t(lang, KS.cardClosed, { outcome: outcomeLabel(t, lang, c.outcome ?? 'resolved') });
  if (c.status === 'claimed') return t.t(lang, KS.cardClaimed, { name: c.claimedBy ?? '?' });
  return t.t(lang, KS.cardOpen);
}

/** The outcome as staff read it. */
export function outcomeLabel(t: Translator, lang: string, outcome: Outcome): string {
  return t.t(lang, KS.outcome, { outcome });
}

/** The card's buttons for the case as it is: Claim (while open), Close…, Mute or Unmute; none once closed. */
export function cardKeyboard(t: Translator, lang: string, c: StaffCase): Keyboard {
  if (c.status === 'closed') return [];
  const first = [
    ...(c.status === 'open' ? [{ text: t.t(lang, KS.buttonClaim), callback_data: callbackData(c.id, { type: 'claim' }) }] : []),
    { text: t.t(lang, KS.buttonClose), callback_data: callbackData(c.id, { type: 'close' }) },
  ];
  const mute = c.botMuted
    ? { text: t.t(lang, KS.buttonUnmute), callback_data: callbackData(c.id, { type: 'unmute' }) }
    : { text: t.t(lang, KS.buttonMute), callback_data: callbackData(c.id, { type: 'mute' }) };
  return [first, [mute]];
}

/** The second keyboard of Close: one button per outcome, and Back. */
export function outcomeKeyboard(t: Translator, lang: string, caseId: string): Keyboard {
  const outcomes = OUTCOMES.map((outcome) => ({ text: outcomeLabel(t, lang, outcome), callback_data: callbackData(caseId, { type: 'outcome', outcome }) }));
  return [outcomes.slice(0, 2), outcomes.slice(2), [{ text: t.t(lang, KS.buttonBack), callback_data: callbackData(caseId, { type: 'back' }) }]];
}

/** `c|<case id>|<action>`, e.g. `c|K7M4QX|claim` or `c|K7M4QX|x:no_response` (at most 22 bytes). */
export function callbackData(caseId: string, action: CardAction): string {
  return `c|${caseId}|${action.type === 'outcome' ? `x:${action.outcome}` : action.type}`;
}

/** Reads a card button's data; undefined for anything else. */
export function parseCallbackData(data: string): { caseId: string; action: CardAction } | undefined {
  const m = /^c\|([A-Z0-9]{1,16})\|(claim|close|back|mute|unmute|x:([a-z_]+))$/.exec(data);
  if (!m?.[1] || !m[2]) return undefined;
  if (m[3] === undefined) return { caseId: m[1], action: { type: m[2] as 'claim' | 'close' | 'back' | 'mute' | 'unmute' } };
  const outcome = OUTCOMES.find((o) => o === m[3]);
  return outcome ? { caseId: m[1], action: { type: 'outcome', outcome } } : undefined;
}

/** `2026-03-02 10:00 (Asia/Jakarta)`: the staff's own time when the hotline hours give a zone. */
function formatTime(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} (${timeZone})`;
}
