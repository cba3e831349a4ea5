/**
 * A hotline case: the state machine `open → claimed → closed`, its summary and its timeline.
 * Pure: every change is a function from a case (and who did what, when) to a new case, or an
 * IllegalTransition error that says why not. Storage, staff surfaces and the person's channel
 * are the caller's business (hotline.ts).
 */
import type { ChannelName, Priority, RiskLevel } from '../engine/types.js';

export type CaseStatus = 'open' | 'claimed' | 'closed';

/** How staff closed a case. `erased`: the person erased their data, and the case with it. */
export const OUTCOMES = ['referred', 'resolved', 'no_response', 'duplicate', 'spam'] as const;
export type Outcome = (typeof OUTCOMES)[number] | 'erased';

/** Why the case was opened. */
export type CaseReason = 'high_risk' | 'asked_for_person' | 'abroad' | 'report' | 'emergency';

/** Who did something on a case: the person, a staff member (by name and surface), or the bot. */
export type Actor = { kind: 'person' } | { kind: 'bot' } | { kind: 'staff'; name: string; via: 'telegram' | 'console' };

/** One line of the timeline; staff actions here are the case's audit trail. */
export interface TimelineEntry {
  /** Position in the timeline, from 1; the console asks for entries after the last one it has. */
  n: number;
  at: number;
  by: Actor;
  /** `message`: text between the person and staff; the rest are actions and notices. */
  type: 'opened' | 'message' | 'claimed' | 'closed' | 'muted' | 'unmuted' | 'escalated' | 'reminder' | 'delivery_failed' | 'person_left' | 'person_returned' | 'erased';
  text?: string;
}

/** What staff see first: why, how serious, what the person answered. */
export interface CaseSummary {
  reason: CaseReason;
  level?: RiskLevel;
  signs: string[];
  /** The flow the person was in (`check`, `abroad`, `report`…): someone abroad needs other help than someone about to leave. */
  flow?: string;
  /** The person's answers in the flow they were in (shared after consent, or in an emergency). */
  answers: Record<string, string | number | boolean>;
  lang: string;
  channel: ChannelName;
}

export interface Case {
  id: string;
  status: CaseStatus;
  priority: Priority;
  summary: CaseSummary;
  openedAt: number;
  claimedAt?: number;
  claimedBy?: string;
  closedAt?: number;
  outcome?: Outcome;
  /** True while the bot stays quiet and the person's messages go to staff (the default). */
  botMuted: boolean;
  /** False once the person said `selesai` or erased: staff replies no longer reach them. */
  personPresent: boolean;
  /** The person's channel address. Kept only while the case needs it; removed on close and erase. */
  person?: { channel: ChannelName; id: string };
  /**
   * The event that opened it (the person's event number and time, no content): a retry of that
   * event finds this case instead of opening a second one when its first try stopped half-way.
   */
  openedBy?: string;
}

/** Refused change of a case, with a reason staff can read. */
export class IllegalTransition extends Error {
  override name = 'IllegalTransition';
}

const RANK: Record<Priority, number> = { normal: 0, high: 1, urgent: 2 };

/** The higher of two priorities. */
export function higherPriority(a: Priority, b: Priority): Priority {
  return RANK[a] >= RANK[b] ? a : b;
}

/** A new open case. */
export function openCase(id: string, at: number, priority: Priority, summary: CaseSummary, person: { channel: ChannelName; id: string }, openedBy?: string): Case {
  return { id, status: 'open', priority, summary, openedAt: at, botMuted: true, personPresent: true, person, ...(openedBy !== undefined ? { openedBy } : {}) };
}

/** A staff member takes the case. Only an open case can be claimed. */
export function claim(c: Case, by: string, at: number): Case {
  if (c.status === 'claimed') throw new IllegalTransition(`Case #${c.id} is already claimed by ${c.claimedBy ?? 'someone'}.`);
  if (c.status === 'closed') throw new IllegalTransition(`Case #${c.id} is closed; it cannot be claimed.`);
  return { ...c, status: 'claimed', claimedBy: by, claimedAt: at };
}

/** Closes an open or claimed case with its outcome; the person's address is dropped. */
export function close(c: Case, outcome: Outcome, at: number): Case {
  if (c.status === 'closed') throw new IllegalTransition(`Case #${c.id} is already closed.`);
  if (outcome !== 'erased' && !(OUTCOMES as readonly string[]).includes(outcome)) throw new IllegalTransition(`"${outcome}" is not a closing outcome.`);
  const closed: Case = { ...c, status: 'closed', outcome, closedAt: at, personPresent: false };
  delete closed.person;
  return closed;
}

/** Mutes (the person talks to staff only) or unmutes (the bot answers again) the bot on a case that is not closed. */
export function setBotMuted(c: Case, muted: boolean): Case {
  if (c.status === 'closed') throw new IllegalTransition(`Case #${c.id} is closed.`);
  if (c.botMuted === muted) throw new IllegalTransition(`The bot is already ${muted ? 'muted' : 'unmuted'} on case #${c.id}.`);
  return { ...c, botMuted: muted };
}

/** A staff reply is possible only while the case is not closed and the person is still there. */
export function assertCanReply(c: Case): void {
  if (c.status === 'closed') throw new IllegalTransition(`Case #${c.id} is closed; the person can no longer be reached through it.`);
  if (!c.personPresent || !c.person) throw new IllegalTransition(`The person left the conversation on case #${c.id}; a reply would not reach them.`);
}

/** The case after an erase: closed, with no content and no address, so that only the statistics remain. */
export function anonymise(c: Case, at: number): Case {
  const base = c.status === 'closed' ? { ...c } : close(c, 'erased', at);
  delete base.person;
  return { ...base, personPresent: false, summary: { ...base.summary, answers: {} } };
}
