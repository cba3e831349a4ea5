import { describe, expect, it } from 'vitest';
import { withLock } from '../../src/storage/lock.js';
import { createMemoryStore } from '../../src/storage/memory.js';

const options = { ttlMs: 60_000, tries: 3, waitMs: [1, 2] as [number, number], busy: () => new Error('busy') };

describe('withLock', () => {
  it('runs one holder at a time and releases after an error', async () => {
    const store = createMemoryStore();
    const order: string[] = [];
    const slow = withLock(store, 'l', { ...options, tries: 200 }, async () => {
      order.push('a in');
      await new Promise((r) => setTimeout(r, 30));
      order.push('a out');
    });
    await new Promise((r) => setTimeout(r, 5));
    await withLock(store, 'l', { ...options, tries: 200 }, async () => void order.push('b'));
    await slow;
    expect(order).toEqual(['a in', 'a out', 'b']);
    await expect(withLock(store, 'l', options, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await store.get('l')).toBeUndefined();
  });

  it('gives up with the busy error, and never releases a lock taken over after it expired', async () => {
    let clock = 0;
    const store = createMemoryStore({ now: () => clock });
    await store.set('l', 'someone', 60_000);
    await expect(withLock(store, 'l', options, async () => 1)).rejects.toThrow('busy');
    await store.delete('l');
    await withLock(store, 'l', { ...options, ttlMs: 10 }, async () => {
      clock += 20; // our lock expired meanwhile, and another holder took it
      expect(await store.setIfAbsent('l', 'next holder', 60_000)).toBe(true);
    });
    expect(await store.get('l')).toBe('next holder');
  });
});
