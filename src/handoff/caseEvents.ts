/**
 * What happens on a case, as it goes out to the staff surfaces (the Telegram staff group and
 * the signed webhook). Each surface gets its own outbox entry, so a failing webhook is retried
 * without posting twice in the staff group. `delivery` is fixed when the entry is written and
 * stays the same on every retry, so a receiver can deduplicate on it.
 */
import type { Case, TimelineEntry } from './case.js';

export type CaseEventType = 'case.opened' | 'case.message' | 'case.claimed' | 'case.closed' | 'case.updated' | 'case.reminder' | 'case.delivery_failed';

/** The outbox channel names of the staff surfaces. */
export const STAFF_SURFACES = ['hotline-telegram', 'hotline-webhook'] as const;
export type StaffSurface = (typeof STAFF_SURFACES)[number];

/** One case event, as stored in the outbox (`event` of an entry whose `to` is the case id). */
export interface CaseEvent {
  type: CaseEventType;
  /** Unique per event, the same on every retry of it. */
  delivery: string;
  /** When it happened (ms since the epoch). */
  at: number;
  /** The case as it is after the event, without the person's address. */
  case: PublicCase;
  /** The timeline entry the event added (a message, a claim, a reminder…). */
  entry?: TimelineEntry;
}

/** The case as staff surfaces see it: never the person's channel address, nor the desk's own bookkeeping. */
export type PublicCase = Omit<Case, 'person' | 'openedBy'>;

/** The case as staff surfaces may see it (PublicCase). */
export function publicCase(c: Case): PublicCase {
  const rest: Case = { ...c };
  delete rest.person;
  delete rest.openedBy;
  return rest;
}
