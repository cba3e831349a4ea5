/**
 * OutgoingMessage → Telegram `sendMessage` calls: plain text (no parse mode, so nothing a person
 * or a translator writes can break the formatting), split at 4096 characters, and the options as
 * an inline keyboard on the last part, one button a row. `callback_data` carries the question
 * (`check.visa|work_visa`) when it fits Telegram's 64 bytes.
 */
import type { OutgoingMessage } from '../../engine/types.js';
import { buttonId } from '../buttonId.js';
import { splitText } from '../splitText.js';

export const TG_LIMITS = { text: 4096, callbackData: 64 } as const;

/** One `sendMessage` call: the text and, on the last part, the keyboard. */
export interface TelegramPart {
  text: string;
  keyboard?: Array<Array<{ text: string; callback_data: string }>>;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Renders one message as the calls to make, in order. */
export function renderTelegram(msg: OutgoingMessage): TelegramPart[] {
  const choices = msg.choices ?? [];
  const data = choices.map((c) => {
    const tagged = buttonId(msg.ask, c.id);
    return bytes(tagged) <= TG_LIMITS.callbackData ? tagged : c.id;
  });
  if (choices.length > 0 && data.every((d) => bytes(d) <= TG_LIMITS.callbackData)) {
    const parts = splitText(msg.text, TG_LIMITS.text).map((text): TelegramPart => ({ text }));
    const last = parts.at(-1);
    if (last) last.keyboard = choices.map((c, i) => [{ text: c.label, callback_data: data[i] ?? c.id }]);
    return parts;
  }
  // No keyboard possible: a numbered menu, which the answer matcher understands.
  const menu = choices.length > 0 ? `\n\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}` : '';
  return splitText(`${msg.text}${menu}`, TG_LIMITS.text).map((text) => ({ text }));
}
