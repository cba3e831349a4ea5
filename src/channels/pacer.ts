/**
 * Pacing shared by every instance: each send takes a slot of a per-second window in the store
 * (Redis when there are several instances), and waits for the next window when the limit is
 * reached. WhatsApp: WHATSAPP_MPS per phone number; Telegram: about one a second per chat and
 * TELEGRAM_MPS for the whole bot.
 */

/** The part of the store that pacing uses. */
export interface SlotStore {
  takeSlot(key: string, limit: number, windowMs: number, now: number): Promise<number>;
}

/** Waits until `key` has a free slot among `perSecond` in the current second. */
export async function paceSlot(store: SlotStore, key: string, perSecond: number, now: () => number = Date.now): Promise<void> {
  const limit = Math.max(1, Math.floor(perSecond));
  for (let wait = await store.takeSlot(key, limit, 1000, now()); wait > 0; wait = await store.takeSlot(key, limit, 1000, now())) {
    await new Promise((r) => setTimeout(r, wait));
  }
}
