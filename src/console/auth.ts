/**
 * Signing in to the console, and its sessions.
 *
 * - A password check takes the same time whether or not the account exists (unknown names are
 *   checked against a hash nobody has), and every refusal has the same words.
 * - Five failures within 15 minutes lock the name for 15 minutes; the lock answers like a wrong
 *   password and costs no hashing, so a guessing run cannot keep the server busy with scrypt.
 * - A session is a random 32-byte token in a cookie; the store keeps only its SHA-256, so a
 *   copy of the store does not let anyone in. Sessions last 12 hours from sign-in, and end at
 *   once when the account is removed or its password replaced.
 */
import { createHash, randomBytes } from 'node:crypto';
import { safeEqual } from '../common/safeEqual.js';
import type { Store } from '../storage/store.js';
import { checkAgainstNobody, verifyPassword } from './password.js';
import { getStaff, MAX_PASSWORD_LENGTH, normaliseUsername, staffName, touchStaff, type StaffAccount } from './staffAccounts.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60 * 1000;

/** What the store keeps for a session (under the hash of its token). */
export interface ConsoleSession {
  username: string;
  /** The name shown and recorded in the audit. */
  name: string;
  /** The synchronizer token every form of this session carries. */
  csrf: string;
  expires: number;
  /** A fingerprint of the password hash at sign-in: a new password ends older sessions. */
  account: string;
}

/** A fresh random token (session, CSRF), 32 bytes in base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The console's sign-in and sessions over the store. */
export function createConsoleAuth(deps: { store: Store; now: () => number }) {
  const { store, now } = deps;
  const k = store.layout;

  /** Counts a failure; the fifth within the lock time locks the name. */
  async function fail(username: string): Promise<void> {
    const at = now();
    await store.listPush(k.staffFailures(username), [String(at)], LOCK_MS, LOCK_AFTER_FAILURES * 2);
    const recent = (await store.listRead(k.staffFailures(username))).filter((t) => Number(t) > at - LOCK_MS);
    if (recent.length >= LOCK_AFTER_FAILURES) {
      await store.setIfAbsent(k.staffLocked(username), String(at), LOCK_MS);
      await store.delete(k.staffFailures(username));
    }
  }

  return {
    /** The account when the password is right and the name not locked; undefined otherwise (always the same answer to the user). */
    async signIn(usernameText: string, password: string): Promise<StaffAccount | undefined> {
      const username = normaliseUsername(usernameText);
      if (!username || password.length > MAX_PASSWORD_LENGTH * 4) {
        await checkAgainstNobody(password.slice(0, MAX_PASSWORD_LENGTH));
        return undefined;
      }
      if ((await store.get(k.staffLocked(username))) !== undefined) return undefined;
      const account = await getStaff(store, username);
      const ok = account ? await verifyPassword(password, account.hash) : await checkAgainstNobody(password);
      if (!account || !ok) {
        // Unknown names count too: whether a name gets locked must not tell that it exists.
        await fail(username);
        return undefined;
      }
      await store.delete(k.staffFailures(username));
      await touchStaff(store, account);
      return account;
    },

    /** Whether the name is locked now (for the tests and the log; the page never says). */
    async isLocked(username: string): Promise<boolean> {
      return (await store.get(k.staffLocked(username))) !== undefined;
    },

    /** Starts a session; returns the token for the cookie (never stored as it is). */
    async startSession(account: StaffAccount): Promise<{ token: string; session: ConsoleSession }> {
      const token = newToken();
      const session: ConsoleSession = { username: account.username, name: staffName(account), csrf: newToken(), expires: now() + SESSION_TTL_MS, account: sha256(account.hash).slice(0, 16) };
      await store.set(k.consoleSession(sha256(token)), JSON.stringify(session), SESSION_TTL_MS);
      return { token, session };
    },

    /** The session of a cookie token, if it is valid and its account still has the same password. */
    async session(token: string | undefined): Promise<ConsoleSession | undefined> {
      if (!token || !TOKEN.test(token)) return undefined;
      const raw = await store.get(k.consoleSession(sha256(token)));
      if (raw === undefined) return undefined;
      const session = JSON.parse(raw) as ConsoleSession;
      if (session.expires <= now()) return undefined;
      const account = await getStaff(store, session.username);
      if (!account || !safeEqual(sha256(account.hash).slice(0, 16), session.account)) return undefined;
      return session;
    },

    /** Ends the session of a token (sign-out). */
    async endSession(token: string | undefined): Promise<void> {
      if (token && TOKEN.test(token)) await store.delete(k.consoleSession(sha256(token)));
    },
  };
}

export type ConsoleAuth = ReturnType<typeof createConsoleAuth>;
