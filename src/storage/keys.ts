/**
 * Every storage key, in one place.
 *
 * People are spread over a fixed number of shards (`OUTBOX_SHARDS`). A person's keys and the
 * outbox stream of their shard share one hash tag, `{s<n>}`, so that a Redis Cluster keeps them
 * on one slot: the session, the inbound id and the outgoing entries are then written in one
 * atomic script, which is what makes a provider's retry safe.
 *
 * | key                                   | type   | value                                   | lives                    |
 * |---------------------------------------|--------|-----------------------------------------|--------------------------|
 * | wsp:{s<n>}:p:<channel>:<id>:session   | string | `<version>:<Session JSON>`              | SESSION_RETENTION_HOURS  |
 * | wsp:{s<n>}:in:<channel>:<message id>  | string | `1`: this inbound message was handled   | 7 days (provider retries)|
 * | wsp:{s<n>}:outbox                     | stream | entries `e` = OutboxEntry JSON          | until a sender acks them |
 * | wsp:{s<n>}:dead                       | stream | entries given up on (`e`, and `n` tries)| capped at 10,000 a shard |
 * | wsp:{s<n>}:p:telegram:<id>:msgs       | list   | `<message id>:<unix date>` of the chat  | 7 days                   |
 * | wsp:{s<n>}:p:<channel>:<id>:erased    | string | when the person erased (ms)             | 1 day                    |
 * | wsp:{s<n>}:p:telegram:<id>:kb         | string | id of the message with a live keyboard  | 7 days                   |
 * | wsp:{s<n>}:p:<channel>:<id>:blocked   | string | `1`: the person blocked the bot         | 30 days                  |
 * | wsp:{s<n>}:p:web:<id>:inbox           | list   | web chat messages sent from the outbox  | 24 h after the last one  |
 * | wsp:{s<n>}:p:<channel>:<id>:case      | string | the id of the person's open case        | while the case is open   |
 * | wsp:{c:<case>}:case                   | string | the case (src/handoff/case.ts) as JSON  | open: 1 year; closed: 180 days |
 * | wsp:{c:<case>}:timeline               | list   | timeline entries (messages, audit) JSON | as the case              |
 * | wsp:{c:<case>}:lock                   | string | held while one change is written        | 5 s                      |
 * | wsp:{c:<case>}:reminded               | string | `1`: an unclaimed case was announced    | HOTLINE_CLAIM_MINUTES    |
 * | wsp:{c:<case>}:tg                     | string | the case's staff-group topic and card   | as the case              |
 * | wsp:cases:open / :claimed / :closed   | zset   | case ids by time opened / closed        | no expiry (ids only)     |
 * | wsp:{s<n>}:p:<channel>:<id>:cases     | list   | ids of every case of the person (erase) | as a closed case         |
 * | wsp:{s<n>}:p:<channel>:<id>:reports   | list   | ids of the reports the person filed     | 2 years (as the reports) |
 * | wsp:{s<n>}:p:<channel>:<id>:ev:<seq>  | string | `1`: the hotline acted on this event    | 1 day                    |
 * | wsp:case-topic:<thread id>            | string | the case id of a staff-group topic      | as the case              |
 * | wsp:{c:<case>}:reopen                 | string | `1`: the WhatsApp reopen template went  | 24 hours                 |
 * | wsp:wa-case:<wamid>                   | string | the case of a staff message on WhatsApp | 7 days (status webhooks) |
 * | wsp:tg-staff:<chat>:<user id>         | string | `1`/`0`: a staff-group member or not    | 5 minutes                |
 * | wsp:tg-staff-update:<update id>       | string | `1`: this staff-group update was handled| 1 day (Telegram retries) |
 * | wsp:rl:telegram:chat:<id>             | string | next free send time to the chat (ms)    | until then, plus 1 s     |
 * | wsp:rl:telegram:all                   | string | next free send time of the bot (ms)     | until then, plus 1 s     |
 * | wsp:rl:whatsapp:<number id>           | string | next free send time of the number (ms)  | until then, plus 1 s     |
 * | wsp:rl:assess:<client hash>           | string | next free ad check of an address (ms)   | until then, plus 1 s     |
 * | wsp:staff:<username>                  | string | a console account, with its scrypt hash | 400 days after sign-in   |
 * | wsp:staff:<username>:fails            | list   | times of recent failed sign-ins         | 15 minutes               |
 * | wsp:staff:<username>:locked           | string | locked after 5 failed sign-ins          | 15 minutes               |
 * | wsp:console:session:<token sha256>    | string | a console session (never the token)     | 12 hours                 |
 * | wsp:report:<id>                       | string | a family report (src/reports/reportStore.ts), with its marks | 2 years, plus 30 days to prune it |
 * | wsp:reports:all / :unmatched          | zset   | report ids by time filed (all; those naming no recruiter) | no expiry (ids only; pruned after 2 years) |
 * | wsp:reports:recruiters                | zset   | recruiter keys, scored by reporters and reports | as the reports of the key |
 * | wsp:reports:r:<recruiter key>         | zset   | ids of the reports naming the recruiter, by time filed | as the reports |
 * | wsp:reports:r:<recruiter key>:by      | zset   | reporter pseudonyms with a valid report of the recruiter, by the latest | as the reports |
 * | wsp:reports:reporter:<pseudonym>      | list   | ids of one reporter's reports           | 2 years after the last   |
 * | wsp:reports:lock                      | string | held while one report change is written | 5 s                      |
 * | wsp:reports:exports                   | list   | the export audit (who, when, format, how many) | 2 years           |
 * | wsp:agencies:register                 | string | the licensed-agency register as JSON    | 400 days after import    |
 *
 * The session's `<version>` counts writes; a write that expected another version is refused
 * (compare-and-set), so two instances never overwrite each other's step. Inbound-id keys hold
 * no personal data and are left to expire when a person erases their data.
 * Consumer group of every outbox stream: `senders`.
 */

/** How long an inbound message id is remembered; WhatsApp retries for up to 7 days. */
export const INBOUND_ID_TTL_MS = 7 * 24 * 60 * 60 * 1000;

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

/** The key layout for a given number of shards. */
export function keyLayout(shards: number) {
  const shardOf = (p: PersonRef): number => fnv1a(`${p.channel}:${p.id}`) % shards;
  const tag = (shard: number): string => `{s${shard}}`;
  const layout = {
    shards,
    shardOf,
    session: (p: PersonRef): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:session`,
    inbound: (p: PersonRef, messageId: string): string => `wsp:${tag(shardOf(p))}:in:${p.channel}:${messageId}`,
    outbox: (shard: number): string => `wsp:${tag(shard)}:outbox`,
    deadLetters: (shard: number): string => `wsp:${tag(shard)}:dead`,
    /** A staff account of the web console, its recent failed sign-ins, and its lock after too many. */
    staffAccount: (username: string): string => `wsp:staff:${username}`,
    staffFailures: (username: string): string => `wsp:staff:${username}:fails`,
    staffLocked: (username: string): string => `wsp:staff:${username}:locked`,
    /** A console session, under the SHA-256 of its token: the store never holds a token that would let someone in. */
    consoleSession: (tokenHash: string): string => `wsp:console:session:${tokenHash}`,
    /** The licensed-agency register, one value replaced whole by each import (src/reports/registerStore.ts). */
    agencyRegister: 'wsp:agencies:register',
    /** Telegram: ids and dates of the chat's messages, so that an erase can delete them. */
    telegramMessages: (p: PersonRef): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:msgs`,
    /** Telegram: the message whose keyboard is still live, removed when the next message goes out. */
    telegramKeyboard: (p: PersonRef): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:kb`,
    /** When the person last erased (ms): messages queued before it are not sent. */
    erasedAt: (p: PersonRef): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:erased`,
    /** The person blocked the bot: nothing more is sent. */
    blocked: (p: PersonRef): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:blocked`,
    /** Web chat: messages that came through the outbox (hotline staff), until the page fetches them. */
    webInbox: (p: PersonRef): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:inbox`,
    /** The person's hotline case (its id), while it is open; removed when it closes or the person erases. */
    personCase: (p: PersonRef): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:case`,
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
     * and the distinct reporters who count. Report changes are few, so one lock serialises them.
     */
    report: (id: string): string => `wsp:report:${id}`,
    reportsAll: 'wsp:reports:all',
    reportsUnmatched: 'wsp:reports:unmatched',
    reportRecruiters: 'wsp:reports:recruiters',
    recruiterReports: (recruiterKey: string): string => `wsp:reports:r:${recruiterKey}`,
    recruiterReporters: (recruiterKey: string): string => `wsp:reports:r:${recruiterKey}:by`,
    reporterReports: (pseudonym: string): string => `wsp:reports:reporter:${pseudonym}`,
    reportsLock: 'wsp:reports:lock',
    reportExports: 'wsp:reports:exports',
    /** The reports the person filed, so that an erase deletes them (the count keeps only a pseudonym). */
    personReports: (p: PersonRef): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:reports`,
    /** Every case of the person, so that an erase reaches the closed ones too. */
    personCases: (p: PersonRef): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:cases`,
    /** A person's event the hotline has acted on (`seq` and time), so that a redelivery is not acted on twice. */
    personEvent: (p: PersonRef, seq: string): string => `wsp:${tag(shardOf(p))}:p:${p.channel}:${p.id}:ev:${seq}`,
    /** A staff-group forum topic → its case. */
    caseByTopic: (threadId: number): string => `wsp:case-topic:${threadId}`,
    /** The outbox shard a case's events go to (so one case's events stay in order). */
    caseShard: (id: string): number => fnv1a(`case:${id}`) % shards,
    /** The WhatsApp reopen template was sent for the case: at most one a day. */
    caseReopenInvited: (id: string): string => `wsp:{c:${id}}:reopen`,
    /** A WhatsApp message sent for a case (its `wamid`) → the case, for a failed status that comes later. */
    whatsappMessageCase: (messageId: string): string => `wsp:wa-case:${messageId}`,
    /** The pace of one client of the public ad check: a hash of its address (src/http/clientRate.ts), never the address. */
    assessRate: (clientHash: string): string => `wsp:rl:assess:${clientHash}`,
    /** Whether a Telegram user is a member of the staff group (checked with getChatMember, cached briefly). */
    telegramStaffMember: (chatId: string, userId: number): string => `wsp:tg-staff:${chatId}:${userId}`,
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
