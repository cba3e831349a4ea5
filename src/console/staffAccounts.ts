/**
 * Staff accounts of the web console: `{username, displayName?, hash}` in the store. There is no
 * default account and no default password: the only way in is `npm run staff:add`, which calls
 * `addStaff` here (and the tests call the same function).
 */
import type { Store } from '../storage/store.js';
import { hashPassword } from './password.js';

export const MIN_PASSWORD_LENGTH = 12;
/** Longer input is refused before hashing: nobody types this much, and scrypt's cost grows with it. */
export const MAX_PASSWORD_LENGTH = 256;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
const DISPLAY_NAME_MAX = 60;

/** An account that nobody signs in with for this long expires (refreshed at every sign-in): a forgotten account is not a way in forever. */
export const ACCOUNT_IDLE_TTL_MS = 400 * 24 * 60 * 60 * 1000;

export interface StaffAccount {
  username: string;
  displayName?: string;
  /** scrypt hash with its parameters (password.ts). */
  hash: string;
  createdAt: number;
}

/** A refused account change, with a message for the person at the terminal. */
export class StaffAccountError extends Error {
  override name = 'StaffAccountError';
}

/** The username as stored (trimmed, lower case), or undefined when it is not a valid one. */
export function normaliseUsername(text: string): string | undefined {
  const name = text.trim().toLowerCase();
  return USERNAME.test(name) ? name : undefined;
}

/** Why a password is refused, or undefined when it is acceptable. Length counts characters, not bytes. */
export function passwordProblem(password: string): string | undefined {
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD_LENGTH) return `The password must have at least ${MIN_PASSWORD_LENGTH} characters (a few words make a good one).`;
  if (length > MAX_PASSWORD_LENGTH) return `The password can have at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (password.trim() !== password) return 'The password must not start or end with a space (they are easily lost when typing).';
  return undefined;
}

/** The name that the case audit, the staff group and the webhook show for this staff member. */
export function staffName(account: Pick<StaffAccount, 'username' | 'displayName'>): string {
  return account.displayName ? `${account.displayName} (${account.username})` : account.username;
}

/** The account, or undefined. */
export async function getStaff(store: Store, username: string): Promise<StaffAccount | undefined> {
  const raw = await store.get(store.layout.staffAccount(username));
  return raw === undefined ? undefined : (JSON.parse(raw) as StaffAccount);
}

/** Keeps an account for another idle period (called at each sign-in). */
export async function touchStaff(store: Store, account: StaffAccount): Promise<void> {
  await store.set(store.layout.staffAccount(account.username), JSON.stringify(account), ACCOUNT_IDLE_TTL_MS);
}

/**
 * Creates an account (or, with `replace`, sets a new password and name for an existing one,
 * which signs out its sessions). Throws StaffAccountError for a bad name or password.
 */
export async function addStaff(
  store: Store,
  input: { username: string; password: string; displayName?: string },
  options: { now: number; replace?: boolean },
): Promise<StaffAccount> {
  const username = normaliseUsername(input.username);
  if (!username) throw new StaffAccountError('The username must be 2–32 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit.');
  const problem = passwordProblem(input.password);
  if (problem) throw new StaffAccountError(problem);
  const displayName = input.displayName?.trim().replace(/\s+/g, ' ');
  if (displayName !== undefined && (displayName === '' || displayName.length > DISPLAY_NAME_MAX || /[\p{Cc}]/u.test(displayName))) {
    throw new StaffAccountError(`The display name must be 1–${DISPLAY_NAME_MAX} characters of plain text.`);
  }
  const account: StaffAccount = { username, ...(displayName ? { displayName } : {}), hash: await hashPassword(input.password), createdAt: options.now };
  const key = store.layout.staffAccount(username);
  if (options.replace) await store.set(key, JSON.stringify(account), ACCOUNT_IDLE_TTL_MS);
  else if (!(await store.setIfAbsent(key, JSON.stringify(account), ACCOUNT_IDLE_TTL_MS))) {
    throw new StaffAccountError(`There is already an account "${username}". Use --replace to set a new password.`);
  }
  return account;
}

/** Removes an account; its sessions end at their next request. True when it existed. */
export async function removeStaff(store: Store, username: string): Promise<boolean> {
  const name = normaliseUsername(username);
  if (!name || !(await getStaff(store, name))) return false;
  await store.delete(store.layout.staffAccount(name));
  return true;
}
