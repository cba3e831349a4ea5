/**
 * The queue staff work from: which cases, in which order, and which are overdue. Urgent before
 * high before normal, and within a priority the one waiting longest first; closed cases (which
 * nobody waits on) come after, the most recently closed first.
 */
import type { Case, CaseStatus } from '../handoff/case.js';
import type { CaseStore } from '../handoff/caseStore.js';
import type { Priority } from '../engine/types.js';

/** The status filter of the queue: `active` (waiting and claimed, the default) or one status, or all. */
export const STATUS_FILTERS = ['active', 'open', 'claimed', 'closed', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const PRIORITY_FILTERS = ['any', 'urgent', 'high', 'normal'] as const;
export type PriorityFilter = (typeof PRIORITY_FILTERS)[number];

/** At most this many cases per status are listed (the page says when the limit was reached). */
export const QUEUE_LIMIT = 200;

const RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2 };

/**
 * An urgent or high case nobody claimed within the claim time: the same rule by which the desk
 * announces it again in the staff group (hotline.remindUnclaimed).
 */
export function isOverdue(c: Case, now: number, claimMinutes: number): boolean {
  return c.status === 'open' && c.priority !== 'normal' && now - c.openedAt >= claimMinutes * 60_000;
}

/** Orders cases for the queue (see the module comment). */
export function queueOrder(a: Case, b: Case): number {
  const closedA = a.status === 'closed';
  if (closedA !== (b.status === 'closed')) return closedA ? 1 : -1;
  if (closedA) return (b.closedAt ?? 0) - (a.closedAt ?? 0);
  return RANK[a.priority] - RANK[b.priority] || a.openedAt - b.openedAt;
}

/** The cases for a filter, in queue order; `full` when a limit cut the list. */
export async function loadQueue(cases: CaseStore, status: StatusFilter, priority: PriorityFilter): Promise<{ cases: Case[]; full: boolean }> {
  const statuses: CaseStatus[] = status === 'active' ? ['open', 'claimed'] : status === 'all' ? ['open', 'claimed', 'closed'] : [status];
  const lists = await Promise.all(statuses.map((s) => cases.list({ status: s, ...(priority !== 'any' ? { priority } : {}), limit: QUEUE_LIMIT })));
  return { cases: lists.flat().sort(queueOrder), full: lists.some((l) => l.length >= QUEUE_LIMIT) };
}
