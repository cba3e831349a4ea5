/**
 * How a session is stored: `<version>:<session JSON>`. The version counts the writes, so that a
 * write computed from an older session can be refused (compare-and-set). The Redis script reads
 * the same prefix (see redisScripts.ts).
 */

/** A stored session with its version; version 0 means "no session yet". */
export interface SessionRecord {
  session: string | undefined;
  version: number;
}

/** Encodes a session with its version. */
export function sessionRecord(version: number, session: string): string {
  return `${version}:${session}`;
}

/** Decodes a stored value; a missing or malformed value is "no session", version 0. */
export function parseSessionRecord(raw: string | undefined): SessionRecord {
  if (raw === undefined) return { session: undefined, version: 0 };
  const colon = raw.indexOf(':');
  const version = Number(raw.slice(0, colon));
  if (colon < 1 || !Number.isSafeInteger(version)) return { session: undefined, version: 0 };
  // An empty body is the tombstone an erase leaves: no data, but the version goes on.
  const session = raw.slice(colon + 1);
  return { session: session === '' ? undefined : session, version };
}
