/**
 * The id every log line carries, so that staff can follow one piece of work through the log
 * without the log ever naming a person.
 *
 * - Work for a request (a webhook, a chat message, a console page) carries Fastify's `reqId`,
 *   also on the lines that the modules it calls (pipeline, hotline desk, reports) log through the
 *   app's logger: app.ts enters the request's ids for the whole request.
 * - Background work carries a `job`: `outbox:<shard|entry id>` for one delivery of an outbox
 *   entry (the same id on every retry of it, so its attempts, its dead letter and what the
 *   hotline desk did with it read together), with the `reqId` of the request whose work wrote the
 *   entry (kept in the entry), so that a message can be followed from the webhook that brought
 *   the person's words to the send of the answer; `outbox` for the sender's own loop, `reminders:<id>`
 *   for one round of the unclaimed-case reminders, `store` for the store's connection, and
 *   `startup` / `shutdown`.
 *
 * The ids live in an AsyncLocalStorage, so they follow the work through awaits and timers
 * without every function taking a logger; the logger's mixin (loggerOptions.ts) adds them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** The ids of the work in progress: none of them says anything about a person. */
export interface LogIds {
  /** The HTTP request being handled (Fastify's request id, a random UUID). */
  reqId?: string;
  /** The background work being done (see above). */
  job?: string;
}

const storage = new AsyncLocalStorage<LogIds>();

/** Runs `fn` (and everything it starts) with these ids on every log line. */
export function withLogIds<T>(ids: LogIds, fn: () => T): T {
  return storage.run(ids, fn);
}

/** The ids of the work in progress, if any. */
export function currentLogIds(): LogIds | undefined {
  return storage.getStore();
}

/** A fresh job id of a kind, e.g. `reminders:3f9a1c2e`: short, random, and never about a person. */
export function newJobId(kind: string): string {
  return `${kind}:${randomBytes(4).toString('hex')}`;
}
