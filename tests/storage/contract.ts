/**
 * The storage contract: every store implementation runs these same tests. `make` returns a
 * fresh store and a way to move its clock (or wait, for a real server).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/storage/store.js';

export interface StoreUnderTest {
  store: Store;
  /** Lets `ms` milliseconds pass for the store. */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Registers the contract tests for one implementation. */
export function storeContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} store contract`, () => {
    let current: StoreUnderTest | undefined;
    const open = async () => (current = await make());
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    it('reads what it wrote, and nothing for a missing key', async () => {
      const { store } = await open();
      await store.set('k1', 'v1', 60_000);
      expect(await store.get('k1')).toBe('v1');
      expect(await store.get('missing')).toBeUndefined();
    });

    it('overwrites a value', async () => {
      const { store } = await open();
      await store.set('k', 'a', 60_000);
      await store.set('k', 'b', 60_000);
      expect(await store.get('k')).toBe('b');
    });

    it('forgets a value after its time to live', async () => {
      const { store, elapse } = await open();
      await store.set('short', 'v', 50);
      await store.set('long', 'v', 60_000);
      await elapse(120);
      expect(await store.get('short')).toBeUndefined();
      expect(await store.get('long')).toBe('v');
    });

    it('deletes several keys and ignores missing ones', async () => {
      const { store } = await open();
      await store.set('a', '1', 60_000);
      await store.set('b', '2', 60_000);
      await store.delete('a', 'b', 'never-there');
      expect(await store.get('a')).toBeUndefined();
      expect(await store.get('b')).toBeUndefined();
    });

    it('writes if absent only once, and again after expiry', async () => {
      const { store, elapse } = await open();
      expect(await store.setIfAbsent('id', '1', 50)).toBe(true);
      expect(await store.setIfAbsent('id', '2', 50)).toBe(false);
      expect(await store.get('id')).toBe('1');
      await elapse(120);
      expect(await store.setIfAbsent('id', '3', 50)).toBe(true);
    });

    it('lets exactly one of many concurrent writers win', async () => {
      const { store } = await open();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('race', String(i), 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('keeps unicode text intact', async () => {
      const { store } = await open();
      const text = 'Paspor ditahan 🛂 — “agen” ñ 中文 \u0000 end';
      await store.set('u', text, 60_000);
      expect(await store.get('u')).toBe(text);
    });

    it('answers ping when it is ready', async () => {
      const { store } = await open();
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
