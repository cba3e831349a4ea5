/** Staff passwords and accounts: the scrypt format, its checks, and what an account may be. */
import { describe, expect, it } from 'vitest';
import { checkAgainstNobody, hashPassword, verifyPassword } from '../../src/console/password.js';
import { addStaff, getStaff, normaliseUsername, passwordProblem, removeStaff, StaffAccountError } from '../../src/console/staffAccounts.js';
import { createMemoryStore } from '../../src/storage/memory.js';

describe('passwords', () => {
  it('hashes with scrypt, its parameters and a random salt in the stored form', async () => {
    const a = await hashPassword('kopi tubruk di pagi hari');
    const b = await hashPassword('kopi tubruk di pagi hari');
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('kopi tubruk di pagi hari', a)).toBe(true);
    expect(await verifyPassword('kopi tubruk di pagi har', a)).toBe(false);
  });

  it('keeps working for hashes made with other parameters', async () => {
    const stored = await hashPassword('x');
    const [, , , , salt] = stored.split('$');
    // A cheaper hash of the same kind, as an older version could have stored it.
    const { scryptSync } = await import('node:crypto');
    const key = scryptSync('sandi lama yang panjang', Buffer.from(salt ?? '', 'base64url'), 32, { N: 2 ** 12, r: 8, p: 1 });
    expect(await verifyPassword('sandi lama yang panjang', `scrypt$12$8$1$${salt}$${key.toString('base64url')}`)).toBe(true);
  });

  it('treats the same text typed in another Unicode form as the same password', async () => {
    const stored = await hashPassword('kata sandi café panjang');
    expect(await verifyPassword('kata sandi cafe\u0301 panjang', stored)).toBe(true);
  });

  it('refuses malformed or absurdly expensive stored hashes without computing them', async () => {
    for (const bad of ['', 'plain', 'scrypt$15$8$1$abc', 'argon2$15$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      expect(await verifyPassword('anything', bad)).toBe(false);
    }
    expect(await checkAgainstNobody('anything')).toBe(false);
  });
});

describe('staff accounts', () => {
  it('creates an account with a hash, never the password, and refuses a second with the same name', async () => {
    const store = createMemoryStore();
    const account = await addStaff(store, { username: ' Sari ', displayName: '  Sari   Wulandari ', password: 'kopi tubruk di pagi hari' }, { now: 1 });
    expect(account).toMatchObject({ username: 'sari', displayName: 'Sari Wulandari', createdAt: 1 });
    const raw = await store.get(store.layout.staffAccount('sari'));
    expect(raw).not.toContain('kopi');
    expect(await getStaff(store, 'sari')).toEqual(account);
    await expect(addStaff(store, { username: 'sari', password: 'another long password' }, { now: 2 })).rejects.toThrow(/already an account "sari".*--replace/);
    const replaced = await addStaff(store, { username: 'sari', password: 'another long password' }, { now: 2, replace: true });
    expect(replaced.hash).not.toBe(account.hash);
    expect(await removeStaff(store, 'sari')).toBe(true);
    expect(await removeStaff(store, 'sari')).toBe(false);
    await store.close();
  });

  it('refuses short passwords, bad names and display names', async () => {
    const store = createMemoryStore();
    expect(passwordProblem('elevenchars')).toMatch(/at least 12 characters/);
    expect(passwordProblem('twelve chars')).toBeUndefined();
    expect(passwordProblem(' leading space here')).toMatch(/space/);
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
    // Characters, not bytes: twelve emoji are twelve characters.
    expect(passwordProblem('🔒'.repeat(11))).toMatch(/at least 12/);
    expect(normaliseUsername('a')).toBeUndefined();
    expect(normaliseUsername('sari:admin')).toBeUndefined();
    expect(normaliseUsername('Sari.W-2')).toBe('sari.w-2');
    await expect(addStaff(store, { username: 'sari', password: 'short' }, { now: 1 })).rejects.toBeInstanceOf(StaffAccountError);
    await expect(addStaff(store, { username: 'no spaces', password: 'kopi tubruk di pagi hari' }, { now: 1 })).rejects.toThrow(/username/);
    await expect(addStaff(store, { username: 'sari', displayName: 'a\u0007b', password: 'kopi tubruk di pagi hari' }, { now: 1 })).rejects.toThrow(/display name/);
    expect(await getStaff(store, 'sari')).toBeUndefined();
    await store.close();
  });
});
