/**
 * The web chat's request and answer: `POST /api/v1/chat/messages`. The client chooses its own
 * session id (the page keeps it in sessionStorage), sends text, a button's option id, or a
 * start (deep link), and gets the bot's messages back in the same answer.
 */
import { z } from 'zod';
import type { OutgoingMessage } from '../../engine/types.js';
import type { InboundMessage } from '../types.js';

/** Longest text a person can send in one message (the same as WhatsApp and Telegram). */
export const MAX_TEXT_CHARS = 4096;

/** The web person's session id: chosen by the page, and the only secret between it and us. */
const SessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, _ or -');

export const ChatRequestSchema = z
  .object({
    session: SessionId,
    /** The client's id for this message, so that a retried request is not handled twice. */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or -').optional(),
    text: z
      .string()
      .max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`)
      .refine((t) => t.trim() !== '', 'must not be empty')
      .optional(),
    choice: z.string().regex(/^[a-z0-9_]{1,64}$/, 'must be an option id').optional(),
    /** A deep-link payload (`check`, `report`, `abroad`, `sos`); empty or null for the welcome. */
    start: z.string().max(64).nullable().optional(),
  })
  .refine((b) => [b.text, b.choice, b.start].filter((x) => x !== undefined).length === 1, {
    message: 'send exactly one of text, choice or start',
  });

export type ChatRequest = z.infer<typeof ChatRequestSchema>;

/** Translates a validated chat request into the pipeline's terms. */
export function toInbound(body: ChatRequest): InboundMessage {
  const base = { channel: 'web' as const, userId: body.session, ...(body.id ? { messageId: `${body.session}:${body.id}` } : {}) };
  if (body.text !== undefined) return { ...base, input: { kind: 'text', text: body.text } };
  if (body.choice !== undefined) return { ...base, input: { kind: 'choice', id: body.choice } };
  return { ...base, input: body.start ? { kind: 'start', payload: body.start } : { kind: 'start' } };
}

/**
 * The answer's shape: the messages as the engine made them (the web page has no size limits to
 * fit), and `staff: true` while the person is connected to hotline staff: the page then asks for
 * their replies with `POST /api/v1/chat/updates`.
 */
export function toChatAnswer(messages: OutgoingMessage[], staff = false): { messages: OutgoingMessage[]; staff?: true } {
  return { messages: messages.map((m) => (m.choices ? { text: m.text, choices: m.choices } : { text: m.text })), ...(staff ? { staff: true as const } : {}) };
}

/**
 * `POST /api/v1/chat/updates`: the messages that reached the person outside an answer (hotline
 * staff's replies), after the last one the page showed. The session id goes in the body, never
 * in the URL, where logs and proxies would keep it.
 */
export const UpdatesRequestSchema = z.object({
  session: SessionId,
  /** The id of the last message the page showed; absent the first time. */
  after: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a message id from an earlier answer').optional(),
});

export type UpdatesRequest = z.infer<typeof UpdatesRequestSchema>;
