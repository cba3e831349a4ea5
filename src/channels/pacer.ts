/**
 * Pacing shared by every instance: each send reserves the next free slot of a pace kept in the
 * store (Redis when there are several instances), slots `1000 / perSecond` ms apart, and waits
 * for it. WhatsApp: WHATSAPP_MPS per phone number; Telegram: about one a second per chat and
 * TELEGRAM_MPS for the whole bot.
 */

/** The part of the store that pacing uses. */
export interface SlotStore {
  takeSlot(key: string, intervalMs: number, now: number, burst?: number): Promise<number>;
}

/** Waits for the next slot of `key`: `perSecond` a second on average, `burst` at once. */
export async function paceSlot(store: SlotStore, key: string, perSecond: number, burst = 1, now: () => number = Date.now): Promise<void> {
  const wait = await store.takeSlot(key, 1000 / perSecond, now(), burst);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
