/**
 * Signing in to the console, and its sessions.
 *
 * - A password check takes the same time whether or not the account exists (unknown names are
 *   checked against a hash nobody has), and every refusal has the same words.
 * - Five failures of a name from one address within 15 minutes lock that name *for that address*
 *   for 15 minutes: a stranger who knows a username cannot lock its owner out from elsewhere.
 * - A guess spread over many addresses is slowed, not locked: the attempts on a name from
 *   anywhere share a pace (20 at once, then one every 30 s, so at most 120 an hour). An attempt
 *   takes its slot before the password is checked, atomically in the store (a refusal leaves the
 *   pace as it was, however many arrive at once), so that many
 *   attempts at once (from many addresses, on several instances) cannot all slip through while
 *   the first ones are being hashed. While the pace is spent, attempts on the name are refused
 *   unchecked — except from an address the name signed in from before (30 days), which takes no
 *   slot, so staff in their office still get in during such a run. A success from a new address
 *   keeps the slot it took (the store cannot give one back atomically): one slot per address
 *   the name first signs in from, which then counts as known.
 * - A refusal for a lock or the pace answers exactly like a wrong password, for a name that
 *   exists or not, and takes as long (it hashes the password against nobody's hash): neither the
 *   words nor the time tell a lock, a wrong password or an unknown name apart. Unknown names are
 *   counted and locked like real ones. The per-address limit on the sign-in route
 *   (src/http/ipLimits.ts) bounds how much hashing one address can cause.
 * - No key holds a name or an address: the store sees hashes of them (loginKey).
 * - A session is a random 32-byte token in a cookie; the store keeps only its SHA-256, so a
 *   copy of the store does not let anyone in. Sessions last 12 hours from sign-in, and end at
 *   once when the account is removed or its password replaced.
 */
import { createHash, randomBytes } from 'node:crypto';
import { safeEqual } from '../common/safeEqual.js';
import { clientKey, takePace } from '../http/clientRate.js';
import type { Store } from '../storage/store.js';
import { checkAgainstNobody, verifyPassword } from './password.js';
import { getStaff, MAX_PASSWORD_LENGTH, normaliseUsername, staffName, touchStaff, type StaffAccount } from './staffAccounts.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60 * 1000;
/** Failures of one name from any address: this many at once, then one every NAME_FAILURE_INTERVAL_MS. */
export const NAME_FAILURE_BURST = 20;
export const NAME_FAILURE_INTERVAL_MS = 30 * 1000;
/** How long an address a name signed in from is spared the name's pace. */
export const KNOWN_CLIENT_MS = 30 * 24 * 60 * 60 * 1000;

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

/** The store's names for a sign-in name and a client address (an IP): hashes, never either. */
export function loginKey(username: string, client: string): { name: string; pair: string } {
  const name = createHash('sha256').update(`login-name\0${username}`).digest('base64url').slice(0, 22);
  const pair = createHash('sha256').update(`login-pair\0${username}\0${clientKey(client)}`).digest('base64url').slice(0, 22);
  return { name, pair };
}

/** The console's sign-in and sessions over the store. */
export function createConsoleAuth(deps: { store: Store; now: () => number }) {
  const { store, now } = deps;
  const k = store.layout;

  /** Counts a failure of the name from the address; the fifth within the lock time locks the pair. */
  async function fail(pair: string): Promise<void> {
    const at = now();
    await store.listPush(k.loginFailures(pair), [String(at)], LOCK_MS, LOCK_AFTER_FAILURES * 2);
    const recent = (await store.listRead(k.loginFailures(pair))).filter((t) => Number(t) > at - LOCK_MS);
    if (recent.length >= LOCK_AFTER_FAILURES) {
      await store.setIfAbsent(k.loginLocked(pair), String(at), LOCK_MS);
      await store.delete(k.loginFailures(pair));
    }
  }

  /**
   * Whether an attempt may be checked: the pair is not locked, and the address is known for the
   * name or the name's pace has room. With `take`, the attempt takes its slot of the pace then and
   * there, before the password is hashed: taken after (tens of ms later), every attempt of a
   * simultaneous run would still find the pace open. Without it, it only reads (isLocked).
   */
  async function mayTry(keys: { name: string; pair: string }, take: boolean): Promise<boolean> {
    if ((await store.get(k.loginLocked(keys.pair))) !== undefined) return false;
    if ((await store.get(k.loginKnown(keys.pair))) !== undefined) return true;
    const pace = { intervalMs: NAME_FAILURE_INTERVAL_MS, burst: NAME_FAILURE_BURST, at: now() };
    if (take) return (await takePace(store, k.loginNamePace(keys.name), pace)).ok;
    const next = Number((await store.get(k.loginNamePace(keys.name))) ?? 0);
    return next - pace.at <= (pace.burst - 1) * pace.intervalMs;
  }

  return {
    /**
     * The account when the password is right and the name may be tried from `client` (the
     * request's address); undefined otherwise, always after the same work and with the same answer.
     */
    async signIn(usernameText: string, password: string, client: string): Promise<StaffAccount | undefined> {
      const username = normaliseUsername(usernameText);
      if (!username || password.length > MAX_PASSWORD_LENGTH * 4) {
        await checkAgainstNobody(password.slice(0, MAX_PASSWORD_LENGTH));
        return undefined;
      }
      const keys = loginKey(username, client);
      if (!(await mayTry(keys, true))) {
        // As long as a wrong password takes, and not counted again (the lock and the pace do not grow while refused).
        await checkAgainstNobody(password);
        return undefined;
      }
      const account = await getStaff(store, username);
      const ok = account ? await verifyPassword(password, account.hash) : await checkAgainstNobody(password);
      if (!account || !ok) {
        // Unknown names count too: whether a name gets locked must not tell that it exists.
        await fail(keys.pair);
        return undefined;
      }
      await store.delete(k.loginFailures(keys.pair));
      await store.set(k.loginKnown(keys.pair), '1', KNOWN_CLIENT_MS);
      await touchStaff(store, account);
      return account;
    },

    /** Whether the name is refused unchecked from `client` now (for the tests; the page never says). */
    async isLocked(username: string, client: string): Promise<boolean> {
      return !(await mayTry(loginKey(username, client), false));
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
