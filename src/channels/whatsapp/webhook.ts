/**
 * WhatsApp Cloud API webhooks → InboundMessages. The envelope is checked with zod
 * (`entry[].changes[].value`); inside it every message type is translated, and what the bot
 * cannot read (photos, voice notes, stickers…) becomes a media input that gets a kind reply.
 *
 * People are keyed on their business-scoped user id (`from_user_id`, e.g. `US.1349…`) when the
 * webhook carries one, and on the phone number otherwise. Meta sends the user id on every
 * webhook since 2026 and drops the phone number for people who use a username, so the user id
 * is the identity that stays the same.
 */
import { z } from 'zod';
import type { Input, MediaKind } from '../../engine/types.js';
import type { InboundMessage } from '../types.js';
import { parseButtonId } from '../buttonId.js';

const Media = z.object({ caption: z.string().optional() }).optional();

const Message = z.object({
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  group_id: z.string().optional(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  image: Media,
  video: Media,
  document: Media,
});

const Status = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: z.string().optional(),
  errors: z.array(z.object({ code: z.number(), title: z.string().optional() })).optional(),
});

const Contact = z.object({ wa_id: z.string().optional(), user_id: z.string().optional() });

// Contacts, messages and statuses are read one by one: one odd item must not cost its neighbours
// (Meta would not redeliver them, since the delivery as a whole is answered 200). A contact only
// helps to find a sender's user id, so an unreadable one is skipped like an unreadable message.
const Value = z.object({
  messaging_product: z.literal('whatsapp'),
  metadata: z.object({ phone_number_id: z.string() }).optional(),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const WebhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

/** A delivery failure reported by a status webhook, for staff and metrics (no personal data). */
export interface StatusFailure {
  code: number;
  title?: string;
  /** The refused message's `wamid`, so a staff message's failure reaches its case. */
  messageId: string;
}

/** What one webhook delivery contained. */
export interface ParsedWebhook {
  messages: InboundMessage[];
  failures: StatusFailure[];
  /** What was received but deliberately not handled, by reason, for the log. */
  ignored: Record<string, number>;
}

/** Kinds the bot answers with "please type" (and a caption, where one comes, may still be an answer). */
const MEDIA_TYPES = new Set<MediaKind>(['image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'reaction', 'unsupported']);

/**
 * Translates a validated envelope. `now` and `staleAfterMs` decide which messages arrived late
 * (after an outage Meta redelivers for days; an old answer must not be taken as a new one).
 */
export function parseWebhook(body: z.infer<typeof WebhookSchema>, now: number, staleAfterMs: number, phoneNumberId?: string): ParsedWebhook {
  const result: ParsedWebhook = { messages: [], failures: [], ignored: {} };
  const ignore = (reason: string): void => {
    result.ignored[reason] = (result.ignored[reason] ?? 0) + 1;
  };
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        ignore(`field:${change.field}`);
        continue;
      }
      const value = Value.safeParse(change.value);
      if (!value.success) {
        ignore('unreadable value');
        continue;
      }
      // Another number of the same business account (a staffed line, say) is not the bot's to answer.
      const number = value.data.metadata?.phone_number_id;
      if (phoneNumberId && number && number !== phoneNumberId) {
        ignore('other number');
        continue;
      }
      const contacts = readable(value.data.contacts, Contact, () => ignore('unreadable contact'));
      for (const status of readable(value.data.statuses, Status, () => ignore('unreadable status'))) {
        if (status.status !== 'failed') continue;
        for (const err of status.errors ?? [{ code: 0 }]) result.failures.push({ code: err.code, ...(err.title ? { title: err.title } : {}), messageId: status.id });
      }
      for (const m of readable(value.data.messages, Message, () => ignore('unreadable message'))) {
        if (m.group_id) {
          ignore('group message');
          continue;
        }
        const contact = contacts.find((c) => (m.from && c.wa_id === m.from) || (m.from_user_id && c.user_id === m.from_user_id));
        const userId = m.from_user_id ?? contact?.user_id ?? m.from;
        if (!userId) {
          ignore('no sender');
          continue;
        }
        const input = toInput(m);
        if (!input) {
          ignore(`type:${m.type}`);
          continue;
        }
        const late = now - Number(m.timestamp) * 1000 > staleAfterMs;
        result.messages.push({ channel: 'whatsapp', userId, messageId: m.id, input, ...(late ? { late: true } : {}) });
      }
    }
  }
  return result;
}

/** The items that match `schema`; each one that does not is reported and skipped. */
function readable<S extends z.ZodType>(items: unknown[] | undefined, schema: S, onUnreadable: () => void): Array<z.infer<S>> {
  const ok: Array<z.infer<S>> = [];
  for (const item of items ?? []) {
    const parsed = schema.safeParse(item);
    if (parsed.success) ok.push(parsed.data);
    else onUnreadable();
  }
  return ok;
}

function toInput(m: z.infer<typeof Message>): Input | undefined {
  switch (m.type) {
    case 'text':
      return m.text ? { kind: 'text', text: m.text.body } : undefined;
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return reply ? { kind: 'choice', ...parseButtonId(reply.id) } : undefined;
    }
    case 'button':
      // A quick reply of a template: its payload is one of our button ids, or else its text is read.
      if (m.button?.payload?.includes('|')) return { kind: 'choice', ...parseButtonId(m.button.payload) };
      return m.button?.text ? { kind: 'text', text: m.button.text } : undefined;
    default: {
      if (!MEDIA_TYPES.has(m.type as MediaKind)) return undefined;
      const caption = m.type === 'image' ? m.image?.caption : m.type === 'video' ? m.video?.caption : m.type === 'document' ? m.document?.caption : undefined;
      return { kind: 'media', media: m.type as MediaKind, ...(caption ? { caption } : {}) };
    }
  }
}
