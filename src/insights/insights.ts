/**
 * Reads what the insight dashboard shows for a period, from aggregates only:
 * - the daily check counts (checkCounter.ts), which hold no ids;
 * - the times of the cases opened in the period (opened, claimed), anonymised cases included: an
 *   erase keeps only a case's times, level and signs, never who or what (src/handoff/case.ts);
 * - the recruiters' report counts from the report store, where an erase has deleted the erased
 *   reporter's reports and recounted (reportStore.removeReports).
 * Nothing here reads a session, a case's answers or timeline, or a report's content.
 */
import type { Engine } from '../engine/engine.js';
import type { CaseStore } from '../handoff/caseStore.js';
import type { RecruiterGroup, ReportStore } from '../reports/reportStore.js';
import type { Sign } from '../risk/signs.js';
import type { Store } from '../storage/store.js';
import { claimTimes, dayIn, periodDays, summariseChecks, topRecruiters, type CheckSummary, type ClaimTimes, type PeriodDays } from './aggregate.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Recruiters asked of the report store; those whose reports all stopped counting are left out, so more than ten. */
const RECRUITER_CANDIDATES = 30;

/** Names as staff read them: signs by their title, answers by their options' labels, in the console's language. */
export interface InsightLabels {
  sign(id: string): string;
  option(answer: string, id: string): string;
  /** The answers the checks tally (`destination`, `job`), in the flows' order. */
  tallied: readonly string[];
}

/** An id from the flows (`documents_held`) as words, for a label the content does not have. */
const words = (id: string) => id.replaceAll('_', ' ');

/**
 * The labels from the content: each sign's title, and each tallied answer's option labels, in
 * `lang` (the console is in English; a missing key falls back like everywhere else).
 */
export function insightLabels(engine: Pick<Engine, 'flows' | 't'>, signs: readonly Sign[], lang: string): InsightLabels {
  const signTitle = new Map(signs.map((s) => [s.id, engine.t.t(lang, s.title)]));
  const options = new Map<string, Map<string, string>>();
  for (const flow of engine.flows.values()) {
    for (const node of Object.values(flow.nodes)) {
      if (node.type !== 'assess') continue;
      for (const answer of node.tally ?? []) {
        const question = Object.entries(flow.nodes).find(([id, q]) => q.type === 'choice' && (q.save ?? id) === answer)?.[1];
        const labels = options.get(answer) ?? new Map<string, string>();
        if (question?.type === 'choice') for (const o of question.options) labels.set(o.id, engine.t.t(lang, o.label));
        options.set(answer, labels);
      }
    }
  }
  return {
    sign: (id) => signTitle.get(id) ?? words(id),
    option: (answer, id) => options.get(answer)?.get(id) ?? words(id),
    tallied: [...options.keys()],
  };
}

/** What the dashboard shows for one period. */
export interface InsightData {
  period: PeriodDays;
  /** The period's days (`YYYY-MM-DD`, hotline time zone), oldest first; the last is today. */
  days: string[];
  checks: CheckSummary;
  claims: ClaimTimes;
  /** The ten most reported recruiters (over every kept report, not only the period's). */
  recruiters: RecruiterGroup[];
}

/** The dashboard's reader. */
export function createInsights(deps: {
  store: Store;
  cases: Pick<CaseStore, 'openedSince'>;
  reports: Pick<ReportStore, 'groups'>;
  timeZone: string;
  now: () => number;
}) {
  const { store } = deps;
  const dayOf = dayIn(deps.timeZone);
  return {
    /** The figures of the last `period` days, today included. */
    async load(period: PeriodDays): Promise<InsightData> {
      const now = deps.now();
      const days = periodDays(dayOf(now), period);
      const first = days[0] ?? '';
      // A day more than the period, so that the first local day is whole in any time zone; claimTimes cuts at its start.
      const [counts, cases, groups] = await Promise.all([
        store.countersRead(days.map((d) => store.layout.insightCounts(d))),
        deps.cases.openedSince(now - (period + 1) * DAY_MS),
        deps.reports.groups({ limit: RECRUITER_CANDIDATES }),
      ]);
      return {
        period,
        days,
        checks: summariseChecks(days, counts),
        claims: claimTimes(cases, first, dayOf),
        recruiters: topRecruiters(groups),
      };
    },
  };
}

export type Insights = ReturnType<typeof createInsights>;
