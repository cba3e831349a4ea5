/**
 * The web chat's inbox: how a message reaches a person on the web chat when it was not an answer
 * to something they sent. The web chat answers synchronously, so the bot's own replies never pass
 * through here; what does is what comes out of the outbox for a web person: the hotline staff's
 * replies and the bot's messages about the person's case (its number, a claim, the close).
 *
 * The sender keeps them in a short list per person (`wsp:{s<n>}:p:web:<id>:inbox`, the person's
 * shard tag, removed with the rest of their data on an erase), and the page fetches what is new
 * with `POST /api/v1/chat/updates` while the person is connected to staff. Each item carries a
 * random id, so the page can ask for what came after the last one it showed.
 */
import type { ChannelEventHandler, ChannelSender } from '../../conversation/deliver.js';
import type { PersonRef } from '../../storage/keys.js';
import type { Store } from '../../storage/store.js';

/** How many messages the inbox keeps; a page that was away longer gets the newest ones. */
export const INBOX_MAX_ITEMS = 100;
/** How long the inbox is kept after its last message: a page that polls every few seconds needs minutes, a reload next day finds nothing stale. */
export const INBOX_TTL_MS = 24 * 60 * 60 * 1000;
/** How long the erase marker stops messages that were still queued for the person (as on Telegram). */
const ERASED_MARKER_TTL_MS = 24 * 60 * 60 * 1000;

/** One message in the inbox, as the updates route answers it. */
export interface WebInboxItem {
  /** A random UUID: the page asks for the items after the last one it showed. */
  id: string;
  /** When the step that wrote the message ran (ms). */
  at: number;
  /** `staff`: a hotline staff member's own words; `bot`: the bot's messages (about the case, or the menu after it). */
  from: 'staff' | 'bot';
  text: string;
  choices?: Array<{ id: string; label: string }>;
}

export interface WebInbox {
  /** The outbox sender for channel `web`. */
  send: ChannelSender;
  /** Events of web people: the erase stops messages that were queued before it. */
  onEvent: ChannelEventHandler;
  /** The person's messages after the item `after`; all of them when `after` is absent or no longer there. */
  read(session: string, after?: string): Promise<WebInboxItem[]>;
}

export interface WebInboxOptions {
  store: Store;
  /** Used only for entries without their step's time. */
  now?: () => number;
  maxItems?: number;
  ttlMs?: number;
}

/** Creates the web chat's inbox over the store. */
export function createWebInbox(o: WebInboxOptions): WebInbox {
  const now = o.now ?? Date.now;
  const maxItems = o.maxItems ?? INBOX_MAX_ITEMS;
  const ttlMs = o.ttlMs ?? INBOX_TTL_MS;
  const layout = o.store.layout;
  const person = (session: string): PersonRef => ({ channel: 'web', id: session });

  return {
    async send(to, message, meta) {
      // A message that was still queued when the person erased must not bring their data back.
      const erasedAt = Number((await o.store.get(layout.erasedAt(person(to)))) ?? 0);
      if (erasedAt > 0 && (meta?.at ?? 0) <= erasedAt) return;
      const item: WebInboxItem = {
        id: crypto.randomUUID(),
        at: meta?.at ?? now(),
        from: meta?.from === 'staff' ? 'staff' : 'bot',
        text: message.text,
        ...(message.choices && message.choices.length > 0 ? { choices: message.choices.map((c) => ({ id: c.id, label: c.label })) } : {}),
      };
      // What staff wrote to the person is sealed with DATA_KEY like every other message kept for them.
      await o.store.listPush(layout.webInbox(person(to)), [o.store.sealer.seal(JSON.stringify(item))], ttlMs, maxItems);
    },

    async onEvent(entry) {
      if (entry.event.type !== 'erase_requested') return;
      // The erase's commit removed the inbox already; a message delivered since is removed too.
      await o.store.set(layout.erasedAt(person(entry.to)), String(entry.at ?? now()), ERASED_MARKER_TTL_MS);
      await o.store.delete(layout.webInbox(person(entry.to)));
    },

    async read(session, after) {
      const items: WebInboxItem[] = [];
      for (const raw of await o.store.listRead(layout.webInbox(person(session)))) {
        const item = parseItem(raw, o.store.sealer);
        if (item) items.push(item);
      }
      const seen = after === undefined ? -1 : items.findIndex((i) => i.id === after);
      return items.slice(seen + 1);
    },
  };
}

/** An item as stored; anything unreadable is skipped rather than breaking the page. */
function parseItem(raw: string, sealer: { open(value: string): string }): WebInboxItem | undefined {
  try {
    const v = JSON.parse(sealer.open(raw)) as Partial<WebInboxItem> | null;
    if (!v || typeof v.id !== 'string' || typeof v.text !== 'string' || typeof v.at !== 'number') return undefined;
    return {
      id: v.id,
      at: v.at,
      from: v.from === 'staff' ? 'staff' : 'bot',
      text: v.text,
      ...(Array.isArray(v.choices) && v.choices.length > 0 ? { choices: v.choices } : {}),
    };
  } catch {
    return undefined;
  }
}
