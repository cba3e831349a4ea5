/**
 * Every storage key, in one place. All of one person's keys share the hash tag `{p:…}` so that
 * a Redis Cluster keeps them on one slot and multi-key operations stay possible.
 *
 * | key                         | value                           | lives                          |
 * |-----------------------------|---------------------------------|--------------------------------|
 * | wsp:{p:<person>}:session    | Session JSON (engine/types.ts)  | SESSION_RETENTION_HOURS        |
 * | wsp:in:<channel>:<msg id>   | "1": inbound id already handled | 7 days (covers provider retries)|
 */

/** How long an inbound message id is remembered; WhatsApp retries for up to 7 days. */
export const INBOUND_ID_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** A person as the store knows them: the channel and the channel's id for them. */
export interface PersonRef {
  channel: string;
  id: string;
}

const tag = (p: PersonRef): string => `{p:${p.channel}:${p.id}}`;

export const keys = {
  session: (p: PersonRef): string => `wsp:${tag(p)}:session`,
  inbound: (channel: string, messageId: string): string => `wsp:in:${channel}:${messageId}`,
  /** Every key that holds data about the person, for erasure. */
  allOf: (p: PersonRef): string[] => [keys.session(p)],
};
