/**
 * Every storage key, in one place.
 *
 * No key holds a phone number, a Telegram or WhatsApp id or a recruiter's number: `<pid>` is
 * the pseudonym of the identity (an HMAC, see pseudonyms.ts). Values marked *sealed* are
 * encrypted with DATA_KEY (sealer.ts).
 *
 * People are spread over a fixed number of shards (`OUTBOX_SHARDS`). A person's keys and the
 * outbox stream of their shard share one hash tag, `{s<n>}`, so that a Redis Cluster keeps them
 * on one slot: the session, the inbound id and the outgoing entries are then written in one
 * atomic script, which is what makes a provider's retry safe.
 *
 * | key                                   | type   | value                                   | lives                    |
 * |---------------------------------------|--------|-----------------------------------------|--------------------------|
 * | wsp:{s<n>}:p:<channel>:<pid>:session  | string | `<version>:<Session JSON sealed>`       | SESSION_RETENTION_HOURS  |
 * | wsp:{s<n>}:in:<channel>:<message pid> | string | `1`: this inbound message was handled (the web chat: its reply, sealed, for a retry) | IDEMPOTENCY_RETENTION_DAYS (7); with a reply 1 hour |
 * | wsp:{s<n>}:p:<channel>:<pid>:replies   | list   | the inbound-id keys above that hold a reply (an erase makes them `1`) | 1 hour  |
 * | wsp:{s<n>}:outbox                     | stream | entries `e` = OutboxEntry JSON, sealed  | until a sender acks them |
 * | wsp:{s<n>}:dead                       | stream | entries given up on (`e`, and `n` tries)| 7 days, at most 10,000 a shard |
 * | wsp:{s<n>}:p:telegram:<pid>:msgs       | list   | `<message id>:<unix date>` of the chat  | 7 days                   |
 * | wsp:{s<n>}:p:<channel>:<pid>:erased    | string | when the person erased (ms)             | 1 day                    |
 * | wsp:{s<n>}:p:<channel>:<pid>:pace      | string | the message count an erase kept (Pace JSON: counts and times) | the limit's window and pause |
 * | wsp:{s<n>}:p:telegram:<pid>:kb         | string | id of the message with a live keyboard  | 7 days                   |
 * | wsp:{s<n>}:p:<channel>:<pid>:blocked   | string | `1`: the person blocked the bot         | 30 days                  |
 * | wsp:{s<n>}:p:web:<pid>:inbox           | list   | web chat messages from the outbox, sealed | 24 h after the last one  |
 * | wsp:{s<n>}:p:<channel>:<pid>:case      | string | the id of the person's open case        | while the case is open   |
 * | wsp:{c:<case>}:case                   | string | the case (src/handoff/case.ts), sealed  | open: 1 year; closed: CASE_RETENTION_DAYS (180) |
 * | wsp:{c:<case>}:timeline               | list   | timeline entries (messages, audit) sealed | as the case              |
 * | wsp:{c:<case>}:lock                   | string | held while one change is written        | 5 s                      |
 * | wsp:{c:<case>}:reminded               | string | `1`: an unclaimed case was announced    | HOTLINE_CLAIM_MINUTES    |
 * | wsp:{c:<case>}:tg                     | string | the case's staff-group topic and card   | as the case              |
 * | wsp:cases:open / :claimed / :closed   | zset   | case ids by time opened / closed        | no expiry (ids only)     |
 * | wsp:{s<n>}:p:<channel>:<pid>:cases     | list   | ids of every case of the person (erase) | 1 year after their last case opened |
 * | wsp:{s<n>}:p:<channel>:<pid>:reports   | list   | ids of the reports the person filed     | 2 years (as the reports) |
 * | wsp:{s<n>}:p:<channel>:<pid>:ev:<seq>  | string | `1`: the hotline acted on this event    | 1 day                    |
 * | wsp:case-topic:<thread id>            | string | the case id of a staff-group topic      | as the case              |
 * | wsp:{c:<case>}:reopen                 | string | `1`: the WhatsApp reopen template went  | 24 hours                 |
 * | wsp:wa-case:<wamid pid>               | string | the case of a staff message on WhatsApp | 7 days (status webhooks) |
 * | wsp:tg-staff:<chat>:<staff pid>       | string | `1`/`0`: a staff-group member or not    | 5 minutes                |
 * | wsp:tg-staff-update:<update id>       | string | `1`: this staff-group update was handled| 1 day (Telegram retries) |
 * | wsp:rl:telegram:chat:<pid>            | string | next free send time to the chat (ms)    | until then, plus 1 s     |
 * | wsp:rl:telegram:all                   | string | next free send time of the bot (ms)     | until then, plus 1 s     |
 * | wsp:rl:whatsapp:<number id>           | string | next free send time of the number (ms)  | until then, plus 1 s     |
 * | wsp:rl:ip:<limit>:<client pid>        | string | next free request of an address to the ad check, chat messages, chat updates or console sign-in (ms; src/http/ipLimits.ts) | until then, plus 1 s |
 * | wsp:staff:<username>                  | string | a console account, with its scrypt hash | 400 days after sign-in   |
 * | wsp:login:<name+address pid>:fails    | list   | times of recent failed sign-ins of a name from an address | 15 minutes |
 * | wsp:login:<name+address pid>:locked   | string | that name locked for that address after 5 failures | 15 minutes |
 * | wsp:login:<name+address pid>:known    | string | `1`: the name signed in from that address | 30 days after sign-in  |
 * | wsp:rl:login-name:<name pid>          | string | next free failed sign-in of a name from any address (ms) | until then, plus 1 s |
 * | wsp:console:session:<token sha256>    | string | a console session (never the token)     | 12 hours                 |
 * | wsp:report:<id>                       | string | a family report (src/reports/reportStore.ts), with its marks, sealed | deleted by the hourly prune once REPORT_RETENTION_DAYS (730) passed since filing; expires by itself a day later |
 * | wsp:reports:cleanup                   | zset   | per report `[id, reporter pseudonym, recruiter pids]` as JSON, by time filed: what the prune needs when the record is gone | no expiry (it is how the prune finds the rest); each entry removed by the prune, or an erase |
 * | wsp:reports:all / :unmatched          | zset   | report ids by time filed (all; those naming no recruiter) | ids removed by the prune; the key expires REPORT_RETENTION_DAYS + 1 day after its last write |
 * | wsp:reports:recruiters                | zset   | recruiter pids, scored by reporters and reports | a pid removed with its last report; the key as above |
 * | wsp:reports:r:<recruiter pid>         | zset   | ids of the reports naming the recruiter, by time filed | ids removed by the prune; the key as above |
 * | wsp:reports:r:<recruiter pid>:by      | zset   | reporter pseudonyms with a valid report of the recruiter, by the latest | a reporter removed when the prune removes their last valid report of it; the key as above |
 * | wsp:reports:reporter:<pseudonym>      | list   | ids of one reporter's reports           | ids removed by the prune; the key as above |
 * | wsp:reports:lock                      | string | held while one report change (or prune batch) is written | 5 s   |
 * | wsp:reports:exports                   | list   | the export audit (who, when, format, how many) | 2 years after the last export (its last 10,000) |
 * | wsp:keyring:pseudonyms                | string | the pseudonym secret, sealed            | no expiry (never delete) |
 * | wsp:agencies:register                 | string | the licensed-agency register as JSON    | 400 days after import    |
 * | wsp:{ins:<day>}:checks                 | hash   | the day's finished checks as anonymous counts: `level:<level>`, `sign:<id>`, `<level>:<answer>:<option>` (src/insights/) | 400 days |
 * | wsp:{ins:<day>}:seen:<event pid>       | string | `1`: this check's event was counted (a redelivery is not) | 1 day    |
 *
 * The session's `<version>` counts writes; a write that expected another version is refused
 * (compare-and-set), so two instances never overwrite each other's step. Inbound-id keys are
 * left to expire when a person erases their data: they hold no personal data then (the erase
 * turns the web chat's kept replies back into `1`).
 * Consumer group of every outbox stream: `senders`.
 */

import type { Pseudonymise } from './pseudonyms.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long what we keep is kept (PRIVACY.md; set by CASE_RETENTION_DAYS, REPORT_RETENTION_DAYS,
 * IDEMPOTENCY_RETENTION_DAYS). Sessions have theirs in the pipeline (SESSION_RETENTION_HOURS).
 */
export interface Retention {
  /** A closed hotline case, its timeline included. */
  closedCaseMs: number;
  /** A family report, and the counts it adds to. */
  reportMs: number;
  /** An inbound message id (WhatsApp retries for up to 7 days). */
  idempotencyMs: number;
}

/** The retention when nothing is configured: 180 days, 2 years, 7 days. */
export const DEFAULT_RETENTION: Retention = { closedCaseMs: 180 * DAY_MS, reportMs: 730 * DAY_MS, idempotencyMs: 7 * DAY_MS };

/** How long an entry given up on is kept in the dead letters for staff to look into (it is sealed). */
export const DEAD_LETTER_RETENTION_MS = 7 * DAY_MS;

/** The consumer group that senders read the outbox streams with. */
export const OUTBOX_GROUP = 'senders';

/** A person as the store knows them: the channel and the channel's id for them. */
export interface PersonRef {
  channel: string;
  id: string;
}

/** FNV-1a: a small, stable hash to spread people over the shards. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The key layout for a given number of shards. `pseudonymise` turns identities into the
 * pseudonyms the keys carry (pseudonyms.ts): no key holds a phone number or an account id.
 */
export function keyLayout(shards: number, pseudonymise: Pseudonymise) {
  /**
   * A person in keys (the channel and the pseudonym of their id on it), their shard and the prefix
   * of their keys, worked out once per PersonRef: one step builds a dozen keys from the same one.
   */
  const seen = new WeakMap<PersonRef, { channel: string; id: string; who: string; shard: number; prefix: string }>();
  const personOf = (p: PersonRef) => {
    let known = seen.get(p);
    if (known === undefined || known.channel !== p.channel || known.id !== p.id) {
      const who = `${p.channel}:${pseudonymise('person', `${p.channel}:${p.id}`)}`;
      const shard = fnv1a(who) % shards;
      known = { channel: p.channel, id: p.id, who, shard, prefix: `wsp:{s${shard}}:p:${who}` };
      seen.set(p, known);
    }
    return known;
  };
  const shardOf = (p: PersonRef): number => personOf(p).shard;
  const tag = (shard: number): string => `{s${shard}}`;
  /** The prefix of every key of one person. */
  const personKey = (p: PersonRef): string => personOf(p).prefix;
  const layout = {
    shards,
    shardOf,
    /** The pseudonyms themselves, for keys built elsewhere (the reports' reporters and recruiters). */
    pseudonymise,
    session: (p: PersonRef): string => `${personKey(p)}:session`,
    // Provider message ids are pseudonymised too: a WhatsApp `wamid` carries the sender's number in base64.
    inbound: (p: PersonRef, messageId: string): string => `wsp:${tag(shardOf(p))}:in:${p.channel}:${pseudonymise('message', messageId)}`,
    /** The person's inbound-id keys that hold a reply (the web chat keeps its answers an hour for a retry): an erase turns them back into bare markers. */
    keptReplies: (p: PersonRef): string => `${personKey(p)}:replies`,
    outbox: (shard: number): string => `wsp:${tag(shard)}:outbox`,
    deadLetters: (shard: number): string => `wsp:${tag(shard)}:dead`,
    /** A staff account of the web console, its recent failed sign-ins, and its lock after too many. */
    staffAccount: (username: string): string => `wsp:staff:${username}`,
    /**
     * Console sign-in attempts (src/console/auth.ts): per name and address (a pseudonym of a hash
     * of both, never either), the recent failures, the lock after too many, and a past sign-in;
     * per name (the same), the pace of failures from anywhere. A bare hash of an IPv4 address or
     * a username could be reversed by trying them all; the keyed pseudonym cannot.
     */
    loginFailures: (nameAndClient: string): string => `wsp:login:${pseudonymise('login', nameAndClient)}:fails`,
    loginLocked: (nameAndClient: string): string => `wsp:login:${pseudonymise('login', nameAndClient)}:locked`,
    loginKnown: (nameAndClient: string): string => `wsp:login:${pseudonymise('login', nameAndClient)}:known`,
    loginNamePace: (nameHash: string): string => `wsp:rl:login-name:${pseudonymise('login-name', nameHash)}`,
    /** A console session, under the SHA-256 of its token: the store never holds a token that would let someone in. */
    consoleSession: (tokenHash: string): string => `wsp:console:session:${tokenHash}`,
    /** The licensed-agency register, one value replaced whole by each import (src/reports/registerStore.ts). */
    agencyRegister: 'wsp:agencies:register',
    /** Telegram: ids and dates of the chat's messages, so that an erase can delete them. */
    telegramMessages: (p: PersonRef): string => `${personKey(p)}:msgs`,
    /** Telegram: the message whose keyboard is still live, removed when the next message goes out. */
    telegramKeyboard: (p: PersonRef): string => `${personKey(p)}:kb`,
    /** When the person last erased (ms): messages queued before it are not sent. */
    erasedAt: (p: PersonRef): string => `${personKey(p)}:erased`,
    /** The per-person message count across an erase, so that erasing does not reset the limit. */
    erasePace: (p: PersonRef): string => `${personKey(p)}:pace`,
    /** The person blocked the bot: nothing more is sent. */
    blocked: (p: PersonRef): string => `${personKey(p)}:blocked`,
    /** Web chat: messages that came through the outbox (hotline staff), until the page fetches them. */
    webInbox: (p: PersonRef): string => `${personKey(p)}:inbox`,
    /** The person's hotline case (its id), while it is open; removed when it closes or the person erases. */
    personCase: (p: PersonRef): string => `${personKey(p)}:case`,
    /** A case: its record, timeline, lock, reminder marker and Telegram topic share the case's own tag. */
    caseRecord: (id: string): string => `wsp:{c:${id}}:case`,
    caseTimeline: (id: string): string => `wsp:{c:${id}}:timeline`,
    caseLock: (id: string): string => `wsp:{c:${id}}:lock`,
    caseReminded: (id: string): string => `wsp:{c:${id}}:reminded`,
    caseTelegram: (id: string): string => `wsp:{c:${id}}:tg`,
    /** Cases by status: open and claimed ones by when they opened (the queue reads oldest first), closed ones by when they closed. */
    casesOpen: 'wsp:cases:open',
    casesClaimed: 'wsp:cases:claimed',
    casesClosed: 'wsp:cases:closed',
    /**
     * Family reports: each record, the ids by time, and per recruiter key (`phone:+62…`) the ids
     * and the distinct reporters who count. Report changes are few, so one lock serialises them
     * (and each batch of the hourly prune).
     */
    report: (id: string): string => `wsp:report:${id}`,
    reportsAll: 'wsp:reports:all',
    reportsUnmatched: 'wsp:reports:unmatched',
    reportRecruiters: 'wsp:reports:recruiters',
    /** What prune needs to take each report out of every index, kept apart from the sealed record (src/reports/reportStore.ts). */
    reportCleanup: 'wsp:reports:cleanup',
    /** The pseudonym a recruiter key (`phone:+62…`) is stored under: in key names and in the grouped index. */
    recruiter: (recruiterKey: string): string => pseudonymise('recruiter', recruiterKey),
    recruiterReports: (recruiterPid: string): string => `wsp:reports:r:${recruiterPid}`,
    recruiterReporters: (recruiterPid: string): string => `wsp:reports:r:${recruiterPid}:by`,
    reporterReports: (pseudonym: string): string => `wsp:reports:reporter:${pseudonym}`,
    reportsLock: 'wsp:reports:lock',
    reportExports: 'wsp:reports:exports',
    /** The reports the person filed, so that an erase deletes them (the count keeps only a pseudonym). */
    personReports: (p: PersonRef): string => `${personKey(p)}:reports`,
    /** Every case of the person, so that an erase reaches the closed ones too. */
    personCases: (p: PersonRef): string => `${personKey(p)}:cases`,
    /** A person's event the hotline has acted on (`seq` and time), so that a redelivery is not acted on twice. */
    personEvent: (p: PersonRef, seq: string): string => `${personKey(p)}:ev:${seq}`,
    /** A staff-group forum topic → its case. */
    caseByTopic: (threadId: number): string => `wsp:case-topic:${threadId}`,
    /** The outbox shard a case's events go to (so one case's events stay in order). */
    caseShard: (id: string): number => fnv1a(`case:${id}`) % shards,
    /** The WhatsApp reopen template was sent for the case: at most one a day. */
    caseReopenInvited: (id: string): string => `wsp:{c:${id}}:reopen`,
    /** A WhatsApp message sent for a case (its `wamid`) → the case, for a failed status that comes later. */
    whatsappMessageCase: (messageId: string): string => `wsp:wa-case:${pseudonymise('message', messageId)}`,
    /**
     * The insight dashboard's daily counts of finished checks (src/insights/checkCounter.ts): one
     * hash per day (`YYYY-MM-DD` in the hotline's time zone) that holds counts and no ids, and a
     * marker per counted event, under the pseudonym of the event, so that a redelivery counts
     * once. The day is the hash tag: marker and counts are written in one script on one slot.
     */
    insightCounts: (day: string): string => `wsp:{ins:${day}}:checks`,
    insightCounted: (day: string, eventPid: string): string => `wsp:{ins:${day}}:seen:${eventPid}`,
    /** The pace of one client address on a public endpoint (src/http/ipLimits.ts): a pseudonym of a hash of the address, never the address. */
    clientRate: (limit: string, clientHash: string): string => `wsp:rl:ip:${limit}:${pseudonymise('client', clientHash)}`,
    /** Whether a Telegram user is a member of the staff group (checked with getChatMember, cached briefly). */
    telegramStaffMember: (chatId: string, userId: number): string => `wsp:tg-staff:${chatId}:${pseudonymise('staff', `telegram:${userId}`)}`,
    /** The pace of sends to one Telegram chat (a person's, or the staff group's). */
    telegramChatPace: (chatId: string): string => `wsp:rl:telegram:chat:${pseudonymise('person', `telegram:${chatId}`)}`,
    /** A staff-group update that was handled, so a redelivered one is not relayed twice. */
    telegramStaffUpdate: (updateId: number): string => `wsp:tg-staff-update:${updateId}`,
    /**
     * Every key that holds data about the person, erased with the session. The Telegram message
     * ids are not among them: the erase needs them to delete the chat, and removes them after.
     */
    allOf: (p: PersonRef): string[] => [layout.session(p), layout.blocked(p), layout.telegramKeyboard(p), layout.webInbox(p)],
  };
  return layout;
}

export type KeyLayout = ReturnType<typeof keyLayout>;

/** Refuses a shard outside the layout: entries written there would wait in a stream no sender reads. */
export function checkShard(layout: KeyLayout, shard: number): void {
  if (!Number.isInteger(shard) || shard < 0 || shard >= layout.shards) throw new RangeError(`no outbox shard ${shard} (the layout has ${layout.shards})`);
}

/** The default number of shards: enough to spread a Redis Cluster, few enough to poll cheaply. */
export const DEFAULT_SHARDS = 8;
