/**
 * Telegram updates → what the bot does with them. People ask for help in private chats only:
 * other groups and channels are ignored. The hotline staff group (HOTLINE_TELEGRAM_CHAT_ID) is
 * read apart, as staff input (src/handoff/telegramStaffInput.ts), never as a person. `/start <payload>`
 * deep links become starts, other `/commands` become the same words typed, buttons become
 * choices tagged with their question, and what the bot cannot read gets a kind reply.
 */
import { z } from 'zod';
import type { Input, MediaKind } from '../../engine/types.js';
import { parseButtonId } from '../buttonId.js';
import type { InboundMessage } from '../types.js';

const User = z.object({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
const Chat = z.object({ id: z.number(), type: z.string() });

const Message = z.object({
  message_id: z.number(),
  date: z.number(),
  chat: Chat,
  from: User.optional(),
  /** A forum topic (with `is_topic_message`) or a reply thread. */
  message_thread_id: z.number().optional(),
  is_topic_message: z.boolean().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(z.unknown()).optional(),
  voice: z.unknown().optional(),
  audio: z.unknown().optional(),
  video: z.unknown().optional(),
  video_note: z.unknown().optional(),
  document: z.unknown().optional(),
  sticker: z.unknown().optional(),
  location: z.unknown().optional(),
  contact: z.unknown().optional(),
});

export const UpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: Message.optional(),
  edited_message: Message.optional(),
  callback_query: z
    .object({
      id: z.string(),
      from: User,
      data: z.string().optional(),
      message: z.object({ message_id: z.number(), chat: Chat, message_thread_id: z.number().optional() }).optional(),
    })
    .optional(),
  my_chat_member: z
    .object({
      chat: Chat,
      new_chat_member: z.object({ status: z.string() }),
    })
    .optional(),
});

export type Update = z.infer<typeof UpdateSchema>;

/** What one update asks of us. */
export interface ParsedUpdate {
  /** A message for the conversation pipeline. */
  inbound?: InboundMessage;
  /** The person's own message, recorded so that `hapus` can delete it later. */
  personMessage?: { chatId: number; messageId: number; date: number };
  /** A button press to acknowledge, and the message whose keyboard is now spent. */
  callback?: { id: string; chatId: number; messageId?: number };
  /** The person blocked (true) or unblocked (false) the bot. */
  blocked?: { chatId: number; blocked: boolean };
  /** Something from the hotline staff group, for the staff handler. */
  staff?: StaffUpdate;
  /** Why nothing is done, for the log. */
  ignored?: string;
}

/** A member of the staff group as the case records them (the name, never logged). */
export interface StaffUser {
  id: number;
  isBot: boolean;
  /** First and last name, and the @username when there is one. */
  name: string;
}

/** What came from the staff group: a message or an edit (in a forum topic, if any), or a button press. */
export type StaffUpdate =
  | { kind: 'message'; updateId: number; from?: StaffUser; topic?: number; text?: string; media?: MediaKind }
  | { kind: 'edit'; updateId: number; from?: StaffUser; topic?: number }
  | { kind: 'button'; updateId: number; callbackId: string; from: StaffUser; data?: string; messageId?: number };

/** Where the staff group is, when there is one. */
export interface ParseOptions {
  staffChatId?: number;
}

/** Translates one validated update. */
export function parseUpdate(u: Update, options: ParseOptions = {}): ParsedUpdate {
  const messageId = String(u.update_id);
  const staff = options.staffChatId !== undefined ? staffUpdate(u, options.staffChatId) : undefined;
  if (staff) return staff;
  if (u.message) {
    const m = u.message;
    if (m.chat.type !== 'private') return { ignored: `message in a ${m.chat.type}` };
    return {
      inbound: { channel: 'telegram', userId: String(m.chat.id), messageId, input: messageInput(m), ...lang(m.from) },
      personMessage: { chatId: m.chat.id, messageId: m.message_id, date: m.date },
    };
  }
  if (u.edited_message) {
    const m = u.edited_message;
    if (m.chat.type !== 'private') return { ignored: `edit in a ${m.chat.type}` };
    // An edit is not read again: the bot says so, kindly, and asks the question again.
    return { inbound: { channel: 'telegram', userId: String(m.chat.id), messageId, input: { kind: 'media', media: 'edited' }, ...lang(m.from) } };
  }
  if (u.callback_query) {
    const q = u.callback_query;
    const chat = q.message?.chat;
    const callback = { id: q.id, chatId: chat?.id ?? q.from.id, ...(q.message ? { messageId: q.message.message_id } : {}) };
    if ((chat && chat.type !== 'private') || !q.data) return { callback, ignored: 'button outside a private chat, or without data' };
    return { callback, inbound: { channel: 'telegram', userId: String(chat?.id ?? q.from.id), messageId, input: { kind: 'choice', ...parseButtonId(q.data) }, ...lang(q.from) } };
  }
  if (u.my_chat_member) {
    const c = u.my_chat_member;
    if (c.chat.type !== 'private') return { ignored: `membership in a ${c.chat.type}` };
    return { blocked: { chatId: c.chat.id, blocked: c.new_chat_member.status === 'kicked' } };
  }
  return { ignored: 'update type not handled' };
}

/** An update from the staff group, or undefined when it comes from elsewhere. */
function staffUpdate(u: Update, staffChatId: number): ParsedUpdate | undefined {
  const updateId = u.update_id;
  const m = u.message ?? u.edited_message;
  if (m?.chat.id === staffChatId) {
    // A forum topic is where a case lives; a reply thread outside a forum is no topic.
    const topic = m.is_topic_message && m.message_thread_id !== undefined ? { topic: m.message_thread_id } : {};
    const from = m.from ? { from: staffUser(m.from) } : {};
    if (u.edited_message) return { staff: { kind: 'edit', updateId, ...from, ...topic } };
    if (m.text !== undefined) return { staff: { kind: 'message', updateId, ...from, ...topic, text: m.text } };
    const input = messageInput(m);
    return { staff: { kind: 'message', updateId, ...from, ...topic, ...(input.kind === 'media' ? { media: input.media } : {}) } };
  }
  const q = u.callback_query;
  if (q?.message?.chat.id === staffChatId) {
    return { staff: { kind: 'button', updateId, callbackId: q.id, from: staffUser(q.from), ...(q.data ? { data: q.data } : {}), messageId: q.message.message_id } };
  }
  if (u.my_chat_member?.chat.id === staffChatId) return { ignored: 'the bot’s membership in the staff group changed' };
  return undefined;
}

/** A staff member's name for the audit: first and last name, with the @username that tells two Budis apart. */
function staffUser(from: z.infer<typeof User>): StaffUser {
  const full = [from.first_name, from.last_name].filter((p) => p && p.trim() !== '').join(' ').trim();
  const handle = from.username ? `@${from.username}` : '';
  return { id: from.id, isBot: from.is_bot ?? false, name: (full && handle ? `${full} (${handle})` : full || handle) || 'staff' };
}

function lang(from: z.infer<typeof User> | undefined): { langHint?: string } {
  return from?.language_code ? { langHint: from.language_code } : {};
}

/** A private message as an engine input. */
function messageInput(m: z.infer<typeof Message>): Input {
  if (m.text !== undefined) {
    const start = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/.exec(m.text);
    if (start) return start[1] ? { kind: 'start', payload: start[1] } : { kind: 'start' };
    // "/hapus", "/menu@WaspadaBot": the command menu sends the words the engine already knows.
    const command = /^\/([a-z]+)(?:@\w+)?\s*$/i.exec(m.text);
    return { kind: 'text', text: command?.[1] ?? m.text };
  }
  const caption = m.caption ? { caption: m.caption } : {};
  const media: MediaKind = m.photo
    ? 'image'
    : m.voice || m.audio
      ? 'audio'
      : m.video || m.video_note
        ? 'video'
        : m.document
          ? 'document'
          : m.sticker
            ? 'sticker'
            : m.location
              ? 'location'
              : m.contact
                ? 'contacts'
                : 'unsupported';
  return { kind: 'media', media, ...caption };
}
