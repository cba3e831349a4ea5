/**
 * What every channel produces from a provider's payload: one message from one person, in the
 * engine's terms. Channels know nothing of flows; the conversation pipeline takes it from here.
 */
import type { ChannelName, Input } from '../engine/types.js';

export interface InboundMessage {
  channel: ChannelName;
  /** The channel's id for the person (web chat: the client's session id). */
  userId: string;
  /** The provider's message id, for deduplication; absent when the client gave none. */
  messageId?: string;
  input: Input;
  /** A language hint from the channel (Telegram's `language_code`). */
  langHint?: string;
  /** The provider delivered it long after it was sent; it is no answer to the current question. */
  late?: boolean;
  /** For a staff action: the case it belongs to, carried to the outbox so a failed delivery reaches the case. */
  caseId?: string;
}
