/**
 * OutgoingMessage → WhatsApp message payloads that Meta accepts, always within its limits:
 * 1–3 options become reply buttons (when their labels fit), up to 10 a list, anything else (or labels that cannot be
 * shortened cleanly) a numbered text menu, which the answer matcher understands. Long texts are
 * split at natural breaks; an interactive body over 1024 characters sends its beginning as text.
 */
import type { OutgoingMessage } from '../../engine/types.js';
import { shortenLabel, splitText } from '../splitText.js';
import { buttonId } from '../buttonId.js';

/** Meta's limits for the messages we send. */
export const WA_LIMITS = {
  text: 4096,
  body: 1024,
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  buttonId: 256,
  rowId: 200,
} as const;

/** The message part of a send request (the recipient is added by the sender). */
export type WhatsAppPayload =
  | { type: 'text'; text: { body: string; preview_url: false } }
  | { type: 'interactive'; interactive: Record<string, unknown> };

const text = (body: string): WhatsAppPayload => ({ type: 'text', text: { body, preview_url: false } });

/** Renders one message as the payloads to send, in order. */
export function renderWhatsApp(msg: OutgoingMessage): WhatsAppPayload[] {
  const choices = msg.choices ?? [];
  if (choices.length === 0) return splitText(msg.text, WA_LIMITS.text).map(text);

  const ids = choices.map((c) => buttonId(msg.ask, c.id));
  // Buttons only when every label fits whole: a list row can keep a shortened label's full
  // wording in its description, a button cannot.
  // Meta refuses two buttons or rows with the same title, and ids over their limits.
  const distinct = new Set(choices.map((c) => c.label)).size === choices.length;
  const buttonsFit =
    distinct && choices.length <= WA_LIMITS.buttons && choices.every((c, i) => c.label.length <= WA_LIMITS.buttonTitle && (ids[i]?.length ?? 0) <= WA_LIMITS.buttonId);
  const rowTitles = choices.length <= WA_LIMITS.rows ? choices.map((c) => shortenLabel(c.label, WA_LIMITS.rowTitle)) : [];
  const listButton = shortenLabel(msg.button ?? '', WA_LIMITS.listButton);

  let interactive: Record<string, unknown> | undefined;
  if (buttonsFit) {
    interactive = {
      type: 'button',
      action: { buttons: choices.map((c, i) => ({ type: 'reply', reply: { id: ids[i], title: c.label } })) },
    };
  } else if (distinct && rowTitles.length > 0 && rowTitles.every((t) => t) && new Set(rowTitles).size === rowTitles.length && ids.every((id) => id.length <= WA_LIMITS.rowId) && listButton) {
    const rows = choices.map((c, i) => ({
      id: ids[i],
      title: rowTitles[i],
      // A shortened title keeps its full wording in the description.
      ...(rowTitles[i] !== c.label && shortenLabel(c.label, WA_LIMITS.rowDescription) ? { description: shortenLabel(c.label, WA_LIMITS.rowDescription) } : {}),
    }));
    interactive = { type: 'list', action: { button: listButton, sections: [{ rows }] } };
  }
  if (!interactive) {
    const menu = choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
    return splitText(`${msg.text}\n\n${menu}`, WA_LIMITS.text).map(text);
  }
  // The question goes in the interactive body; anything before it that does not fit goes first as text.
  // Meta requires a body; the engine always asks something, but an empty text must not break the send.
  const body = splitText(msg.text, WA_LIMITS.body).pop() || '…';
  const head = msg.text.slice(0, msg.text.lastIndexOf(body)).trim();
  return [...(head ? splitText(head, WA_LIMITS.text).map(text) : []), { type: 'interactive', interactive: { ...interactive, body: { text: body } } }];
}
