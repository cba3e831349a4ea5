/**
 * Pseudonyms for the identities that would otherwise appear in storage keys: a person's phone
 * number, Telegram id or WhatsApp user id, a staff member's Telegram id, a reported recruiter's
 * number. A pseudonym is an HMAC-SHA256 (first 128 bits, base64url) under a secret that is
 * itself stored sealed with `DATA_KEY` (see keyring.ts): someone who copies the Redis data
 * without the key can neither read the identities nor test a guessed phone number against them.
 *
 * The secret is not `DATA_KEY` itself, so that rotating `DATA_KEY` re-seals the secret and
 * leaves every pseudonym, and so every person's data, where it is.
 */
import { createHmac } from 'node:crypto';
import { StoreUnavailableError } from './store.js';

/** The pseudonym of `identity` within `domain` (`person`, `recruiter`, `staff`, …): the same input always gives the same pseudonym. */
export type Pseudonymise = (domain: string, identity: string) => string;

/** Pseudonyms computed once per identity while it is active; cleared whole when it grows (no personal data leaves the process). */
const MEMO_MAX = 50_000;

/** Pseudonyms under `secret` (32 bytes). */
export function pseudonymsFrom(secret: Buffer): Pseudonymise {
  const memo = new Map<string, string>();
  return (domain, identity) => {
    // The domain is part of the MAC, so a phone number gives different pseudonyms as a person and as a recruiter.
    const input = `${domain}\0${identity}`;
    let p = memo.get(input);
    if (p === undefined) {
      p = createHmac('sha256', secret).update(input).digest().subarray(0, 16).toString('base64url');
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(input, p);
    }
    return p;
  };
}

/**
 * Pseudonyms whose secret arrives later (the Redis store reads it once connected). Until then
 * every use fails as "store unavailable", which the webhooks answer with 503 so providers retry.
 */
export function latePseudonyms(): { pseudonymise: Pseudonymise; set(secret: Buffer): void; ready(): boolean } {
  let inner: Pseudonymise | undefined;
  return {
    pseudonymise: (domain, identity) => {
      if (!inner) throw new StoreUnavailableError('the pseudonym secret is not loaded yet');
      return inner(domain, identity);
    },
    set(secret) {
      inner = pseudonymsFrom(secret);
    },
    ready: () => inner !== undefined,
  };
}
