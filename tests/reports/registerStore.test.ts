/**
 * The register in the store: one value replaced whole, and the cache the check reads it through
 * (read at most once per period, rebuilt only when the value changed, the last good register kept
 * while the store is down — a real redis-server that is killed and started again).
 */
import { describe, expect, it } from 'vitest';
import { checkAgency, type AgencyEntry } from '../../src/reports/agencyRegister.js';
import { createRegisterCache, localDate, readRegister, REGISTER_TTL_MS, saveRegister, StoredRegisterError, type StoredRegister } from '../../src/reports/registerStore.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import type { Store } from '../../src/storage/store.js';
import { useRedisStore } from '../support/redisServer.js';

const TODAY = '2026-03-02';

function entry(name: string, licence: string, validUntil = '2030-12-31'): AgencyEntry {
  return { name, licence, validUntil, province: 'Jawa Timur' };
}

const FIRST: StoredRegister = { importedAt: '2026-03-01', source: 'p3mi-2026-03.csv', entries: [entry('PT Contoh Sejahtera', 'CONTOH-0001'), entry('PT Contoh Lama', 'CONTOH-0002', '2024-01-31')] };
const SECOND: StoredRegister = { importedAt: '2026-04-01', source: 'p3mi-2026-04.csv', entries: [entry('PT Contoh Baru Mandiri', 'CONTOH-0003')] };

/** A store whose reads are counted (and can be made to fail), for what the cache asks of it. */
function countingStore(inner: Store): Store & { reads: number; failing: boolean } {
  const counted = Object.create(inner) as Store & { reads: number; failing: boolean };
  counted.reads = 0;
  counted.failing = false;
  counted.get = async (key) => {
    counted.reads++;
    if (counted.failing) throw new Error('store down');
    return inner.get(key);
  };
  return counted;
}

function clock(start = Date.UTC(2026, 2, 2, 3)) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('saveRegister / readRegister', () => {
  it('stores the register as one value under its key, and reads it back', async () => {
    const store = createMemoryStore();
    expect(await readRegister(store)).toBeUndefined();
    await saveRegister(store, FIRST);
    expect(await readRegister(store)).toEqual(FIRST);
    expect(JSON.parse((await store.get('wsp:agencies:register')) ?? '')).toEqual(FIRST);
    await saveRegister(store, SECOND);
    expect(await readRegister(store)).toEqual(SECOND);
  });

  it('refuses a register the app could not read, and leaves the stored one as it was', async () => {
    const store = createMemoryStore();
    await saveRegister(store, FIRST);
    await expect(saveRegister(store, { ...SECOND, entries: [entry('PT Contoh', 'X-1', '31/12/2030')] })).rejects.toThrow(/validUntil/);
    await expect(saveRegister(store, { ...SECOND, importedAt: 'yesterday' })).rejects.toThrow(/importedAt/);
    expect(await readRegister(store)).toEqual(FIRST);
  });

  it('reports a stored value it cannot read as such', async () => {
    const store = createMemoryStore();
    await store.set(store.layout.agencyRegister, '{"entries":', 60_000);
    await expect(readRegister(store)).rejects.toThrow(StoredRegisterError);
    await store.set(store.layout.agencyRegister, JSON.stringify({ ...FIRST, version: 2 }), 60_000);
    await expect(readRegister(store)).rejects.toThrow(/does not match its schema/);
  });
});

describe('createRegisterCache', () => {
  it('answers no register until one is imported, and claims nothing then', async () => {
    const c = clock();
    const cache = createRegisterCache(createMemoryStore({ now: c.now }), { now: c.now });
    expect(await cache.current()).toBeUndefined();
    expect(checkAgency(await cache.current(), 'PT Contoh Sejahtera', TODAY)).toEqual({ kind: 'no_register' });
  });

  it('reads the store at most once per refreshMs, and builds the index only when the register changed', async () => {
    const c = clock();
    const store = countingStore(createMemoryStore({ now: c.now }));
    await saveRegister(store, FIRST);
    const cache = createRegisterCache(store, { now: c.now, refreshMs: 60_000 });

    const first = await cache.current();
    expect(first?.importedAt).toBe('2026-03-01');
    expect(checkAgency(first, 'pt contoh sejahtra', TODAY)).toMatchObject({ kind: 'found', licence: 'CONTOH-0001', importedAt: '2026-03-01', fuzzy: true });
    expect(checkAgency(first, 'PT Contoh Lama', TODAY)).toMatchObject({ kind: 'expired', validUntil: '2024-01-31' });
    for (let i = 0; i < 100; i++) await cache.current();
    expect(store.reads).toBe(1);

    // A new import is seen once the period is over, not before.
    await saveRegister(store, SECOND);
    c.t += 59_999;
    expect(await cache.current()).toBe(first);
    c.t += 1;
    const second = await cache.current();
    expect(store.reads).toBe(2);
    expect(second?.importedAt).toBe('2026-04-01');
    expect(checkAgency(second, 'PT Contoh Sejahtera', TODAY)).toEqual({ kind: 'not_found', importedAt: '2026-04-01' });

    // The same value read again is not indexed again: the same register object is served.
    c.t += 60_000;
    expect(await cache.current()).toBe(second);
    expect(store.reads).toBe(3);
  });

  it('shares one read among the messages that arrive while it is under way', async () => {
    const c = clock();
    const store = countingStore(createMemoryStore({ now: c.now }));
    await saveRegister(store, FIRST);
    const cache = createRegisterCache(store, { now: c.now });
    const registers = await Promise.all(Array.from({ length: 20 }, () => cache.current()));
    expect(store.reads).toBe(1);
    expect(new Set(registers).size).toBe(1);
    expect(registers[0]).toBeDefined();
  });

  it('keeps the last good register when a read fails or the stored value is unreadable, and asks again only after refreshMs', async () => {
    const c = clock();
    const store = countingStore(createMemoryStore({ now: c.now }));
    await saveRegister(store, FIRST);
    const errors: unknown[] = [];
    const cache = createRegisterCache(store, { now: c.now, refreshMs: 1000, onError: (err) => errors.push(err) });
    const good = await cache.current();
    expect(good).toBeDefined();

    store.failing = true;
    c.t += 1000;
    expect(await cache.current()).toBe(good);
    expect(await cache.current()).toBe(good);
    expect(store.reads).toBe(2);
    expect(errors).toHaveLength(1);

    store.failing = false;
    await store.set(store.layout.agencyRegister, 'not json', 60_000);
    c.t += 1000;
    expect(await cache.current()).toBe(good);
    expect(errors[1]).toBeInstanceOf(StoredRegisterError);

    await saveRegister(store, SECOND);
    c.t += 1000;
    expect((await cache.current())?.importedAt).toBe('2026-04-01');
  });

  it('answers no register again once the register is removed', async () => {
    const c = clock();
    const store = createMemoryStore({ now: c.now });
    await saveRegister(store, FIRST);
    const cache = createRegisterCache(store, { now: c.now, refreshMs: 1000 });
    expect(await cache.current()).toBeDefined();
    await store.delete(store.layout.agencyRegister);
    c.t += 1000;
    expect(await cache.current()).toBeUndefined();
  });
});

describe('on Redis', () => {
  const redis = useRedisStore();

  it('replaces the register with one SET that keeps it for REGISTER_TTL_MS', async () => {
    const store = redis.store();
    await saveRegister(store, FIRST);
    await saveRegister(store, SECOND);
    expect(await readRegister(store)).toEqual(SECOND);
    const ttl = Number(redis.server().cli('PTTL', 'wsp:agencies:register'));
    expect(ttl).toBeGreaterThan(REGISTER_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(REGISTER_TTL_MS);
  });

  it('serves the last good register while redis-server is down, and the new one once it is back', { timeout: 30_000 }, async () => {
    const store = redis.store();
    const server = redis.server();
    await saveRegister(store, FIRST);
    const c = clock();
    const errors: unknown[] = [];
    const cache = createRegisterCache(store, { now: c.now, refreshMs: 60_000, onError: (err) => errors.push(err) });
    const good = await cache.current();
    expect(good?.importedAt).toBe('2026-03-01');

    await server.kill();
    c.t += 60_000;
    expect(await cache.current()).toBe(good);
    expect(errors.length).toBe(1);
    expect(checkAgency(await cache.current(), 'PT Contoh Sejahtera', TODAY)).toMatchObject({ kind: 'found', licence: 'CONTOH-0001' });

    await server.restart();
    for (let i = 0; ; i++) {
      try {
        await store.ping();
        break;
      } catch (err) {
        if (i > 200) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await saveRegister(store, SECOND);
    c.t += 60_000;
    expect((await cache.current())?.importedAt).toBe('2026-04-01');
  });
});

describe('localDate', () => {
  it('is the calendar date in the given time zone', () => {
    const at = Date.UTC(2026, 2, 1, 17, 30);
    expect(localDate(at, 'Asia/Jakarta')).toBe('2026-03-02');
    expect(localDate(at, 'UTC')).toBe('2026-03-01');
    expect(localDate(Date.UTC(2026, 11, 31, 16, 59), 'Asia/Jakarta')).toBe('2026-12-31');
  });
});
