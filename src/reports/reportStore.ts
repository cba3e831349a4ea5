/**
 * Family reports in the store (issue 7): each report as filed, indexed under the normalised keys
 * of its recruiter (`phone:+62…`, `company:…`), so that the next person who names the same
 * recruiter can be warned by how many people reported them, and staff can see them grouped.
 *
 * What counts is the number of distinct reporters with a valid report: one family sending the
 * same report three times counts once, and a report staff marked false or malicious stops
 * counting. Per recruiter key the store keeps the set of reporters who count, scored by the time
 * of their latest valid report; a check reads one set per key and nothing else (`reportersFor`).
 * The set is recomputed for the reporter whenever one of their reports is filed or marked.
 *
 * Reports are few (a family writes one after something went wrong), so every change is written
 * under one lock: counting and marking then never race. Reads never take it.
 *
 * A report lives 2 years from filing (issue 10). Its record is kept 30 days longer so that
 * `prune` can still read its keys and take it out of every index; reads treat it as gone at once.
 */
import type { ReportContent } from '../engine/types.js';
import type { Staff } from '../handoff/hotline.js';
import { StoreUnavailableError, type Store } from '../storage/store.js';
import type { RecruiterKey } from './recruiter.js';
import { withLock } from '../storage/lock.js';
import { openJson, SealError, sealJson, UnknownDataKeyError } from '../storage/sealer.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a report counts and is shown: 2 years from filing. */
export const REPORT_RETENTION_MS = 730 * DAY_MS;
/** The record outlives its retention by this much, so that `prune` can still find its keys. */
const PRUNE_GRACE_MS = 30 * DAY_MS;
/** Reports one reporter is remembered with (their reports beyond this still count where they were indexed). */
const REPORTER_MAX = 1000;
/** Export audit entries kept. */
const EXPORT_LOG_MAX = 10_000;
/** More members than any index will hold: "read all of it". */
const ALL = 1_000_000;
const LOCK_TTL_MS = 5000;
const LOCK_TRIES = 150;

/** What staff say about a report: it counts (`valid`, the default) or it does not. */
export const REPORT_STATUSES = ['valid', 'false', 'malicious'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** One change of a report's status: the audit trail on the report. */
export interface ReportMark {
  at: number;
  by: Staff;
  from: ReportStatus;
  status: ReportStatus;
  note?: string;
}

/** A report as stored (sealed). `reporter` is a pseudonym, never shown or exported. */
interface StoredReport {
  v: 1;
  id: string;
  at: number;
  reporter: string;
  keys: RecruiterKey[];
  lang: string;
  content: ReportContent;
  status: ReportStatus;
  marks: ReportMark[];
}

/** A report as staff and the export see it: everything but who filed it. */
export type Report = Omit<StoredReport, 'v' | 'reporter'>;

/** A report in a recruiter's list: `reporterNo` tells reports of one reporter apart (1, 2 … in that list), without saying who. */
export type ListedReport = Report & { reporterNo: number };

/** What `fileReport` takes. */
export interface NewReport {
  id: string;
  /** When it was filed (ms). */
  at: number;
  /** A pseudonym of the reporter (src/reports/reportDesk.ts). */
  reporter: string;
  keys: RecruiterKey[];
  content: ReportContent;
  lang: string;
}

/** A recruiter key with its counts, for the console's grouped list. */
export interface RecruiterGroup {
  key: RecruiterKey;
  /** Reports naming it (any status). */
  reports: number;
  /** Distinct reporters with a valid report naming it: what a warning says. */
  reporters: number;
  /** When the latest report naming it was filed. */
  latestAt: number;
  /** How the latest report described the recruiter (names as written, not folded). */
  latest?: ReportContent['recruiter'];
}

/** One export of the reports, as the audit keeps it. */
export interface ExportRecord {
  at: number;
  by: { name: string; username: string };
  format: 'csv' | 'json';
  count: number;
}

/** Thrown for a report id that does not exist (or expired). */
export class ReportNotFound extends Error {
  override name = 'ReportNotFound';
}

/** Thrown when a report id arrives again from another reporter: two reports must never merge. */
export class ReportIdTaken extends Error {
  override name = 'ReportIdTaken';
}

/** Orders by the reporters who count, then by all reports, then the latest first. */
function groupOrder(a: RecruiterGroup, b: RecruiterGroup): number {
  return b.reporters - a.reporters || b.reports - a.reports || b.latestAt - a.latestAt;
}

/** The index score of a recruiter key: reporters first, reports second (both well below 10^6). */
const groupScore = (reporters: number, reports: number) => Math.min(reporters, 999_999) * 1_000_000 + Math.min(reports, 999_999);

/** The report store. */
export function createReportStore(deps: { store: Store; now: () => number }) {
  const { store } = deps;
  const k = store.layout;
  // REPORT_RETENTION_DAYS, through the store (keys.ts, Retention).
  const retentionMs = store.retention.reportMs;
  const cutoff = () => deps.now() - retentionMs;

  /** A stored report: sealed with DATA_KEY (it names people and tells their story). */
  async function read(id: string): Promise<StoredReport | undefined> {
    const raw = await store.get(k.report(id));
    if (raw === undefined) return undefined;
    const r = openJson<StoredReport>(store.sealer, raw);
    return r.at > cutoff() ? r : undefined;
  }

  /**
   * A report for a list: one damaged in storage is left out rather than failing the whole page;
   * one under a key this instance lacks (a rotation half rolled out) makes the page "unavailable".
   */
  async function readListed(id: string): Promise<StoredReport | undefined> {
    try {
      return await read(id);
    } catch (err) {
      if (err instanceof UnknownDataKeyError) throw new StoreUnavailableError('a report is sealed with a data key this instance does not have');
      if (err instanceof SealError || err instanceof SyntaxError) return undefined;
      throw err;
    }
  }

  async function write(r: StoredReport): Promise<void> {
    await store.set(k.report(r.id), sealJson(store.sealer, r), Math.max(1, r.at + retentionMs + PRUNE_GRACE_MS - deps.now()));
  }

  const publicView = (r: StoredReport): Report => {
    const { v: _v, reporter: _reporter, ...rest } = r;
    return rest;
  };

  /** Runs `fn` holding the reports lock (see the module comment). */
  const locked = <T>(fn: () => Promise<T>): Promise<T> =>
    withLock(store, k.reportsLock, { ttlMs: LOCK_TTL_MS, tries: LOCK_TRIES, waitMs: [10, 40], busy: () => new Error('the report store is busy') }, fn);

  /** Members of an index that are still within the retention. */
  async function live(index: string): Promise<Array<{ member: string; score: number }>> {
    const after = cutoff();
    return (await store.indexRange(index, ALL, 'desc')).filter((m) => m.score > after);
  }

  /** Recounts a recruiter key for the grouped list (and drops it from the list when nothing is left). */
  async function recount(key: RecruiterKey): Promise<void> {
    const [reports, reporters] = await Promise.all([live(k.recruiterReports(k.recruiter(key))), live(k.recruiterReporters(k.recruiter(key)))]);
    // The grouped index holds the recruiter's pseudonym, not their number: the key is read back from the reports (sealed).
    if (reports.length === 0) await store.indexRemove(k.reportRecruiters, k.recruiter(key));
    else await store.indexAdd(k.reportRecruiters, k.recruiter(key), groupScore(reporters.length, reports.length));
  }

  /**
   * Whether the reporter counts for each of `keys`: they do while one of their valid reports names
   * the key (scored by the latest). Then the keys' counts. Runs under the lock.
   */
  async function refreshReporter(reporter: string, keys: readonly RecruiterKey[]): Promise<void> {
    if (keys.length === 0) return;
    const ids = [...new Set(await store.listRead(k.reporterReports(reporter)))];
    const theirs = (await Promise.all(ids.map(read))).filter((r): r is StoredReport => r !== undefined && r.reporter === reporter && r.status === 'valid');
    for (const key of keys) {
      const latest = Math.max(-Infinity, ...theirs.filter((r) => r.keys.includes(key)).map((r) => r.at));
      if (Number.isFinite(latest)) await store.indexAdd(k.recruiterReporters(k.recruiter(key)), reporter, latest);
      else await store.indexRemove(k.recruiterReporters(k.recruiter(key)), reporter);
      await recount(key);
    }
  }

  /** Takes up to `max` reports older than the retention out of every index and deletes them. Runs under the lock. */
  async function pruneLocked(max: number): Promise<number> {
    const expired = (await store.indexRange(k.reportsAll, max, 'asc')).filter((m) => m.score <= cutoff());
    for (const { member: id } of expired) await removeLocked(id);
    return expired.length;
  }

  /** Takes one report out of every index and deletes it; the counts follow. Runs under the lock. Returns its reporter. */
  async function removeLocked(id: string): Promise<string | undefined> {
    const raw = await store.get(k.report(id));
    const r = raw === undefined ? undefined : openJson<StoredReport>(store.sealer, raw);
    await store.indexRemove(k.reportsAll, id);
    await store.indexRemove(k.reportsUnmatched, id);
    if (!r) return undefined;
    for (const key of r.keys) await store.indexRemove(k.recruiterReports(k.recruiter(key)), id);
    await store.delete(k.report(id));
    await refreshReporter(r.reporter, r.keys);
    return r.reporter;
  }

  /**
   * Takes deleted reports out of their reporter's list, and the list itself once it is empty:
   * its key holds the reporter's pseudonym. (Every web report shares one reporter, whose list
   * keeps the other web reports.) Runs under the lock.
   */
  async function forgetInReporterList(reporter: string, removed: ReadonlySet<string>): Promise<void> {
    const key = k.reporterReports(reporter);
    const kept = (await store.listRead(key)).filter((id) => !removed.has(id));
    await store.delete(key);
    if (kept.length > 0) await store.listPush(key, kept, retentionMs, REPORTER_MAX);
  }

  return {
    /**
     * Deletes reports (their reporter erased their data: `hapus`), with what they wrote and how to
     * reach them; the counts of the recruiters they named drop at once.
     */
    async removeReports(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await locked(async () => {
        const reporters = new Set<string>();
        for (const id of ids) {
          const reporter = await removeLocked(id);
          if (reporter !== undefined) reporters.add(reporter);
        }
        for (const reporter of reporters) await forgetInReporterList(reporter, new Set(ids));
      });
    },

    /**
     * Stores a report and indexes it under each of its keys. Idempotent on the id: filing the same
     * report again (a redelivered event) changes nothing and answers `created: false`; an id that
     * another reporter's report already has is refused (ReportIdTaken).
     */
    async fileReport(input: NewReport): Promise<{ report: Report; created: boolean }> {
      return locked(async () => {
        const existing = await read(input.id);
        if (existing && existing.reporter !== input.reporter) throw new ReportIdTaken(`Report ${input.id} exists already, from someone else.`);
        const r: StoredReport = existing ?? {
          v: 1,
          id: input.id,
          at: input.at,
          reporter: input.reporter,
          keys: [...new Set(input.keys)].sort(),
          lang: input.lang,
          content: input.content,
          status: 'valid',
          marks: [],
        };
        if (!existing) await write(r);
        // Indexed again on a redelivery too: a crash between the record and its indexes heals.
        await store.indexAdd(k.reportsAll, r.id, r.at);
        if (r.keys.length === 0) await store.indexAdd(k.reportsUnmatched, r.id, r.at);
        for (const key of r.keys) await store.indexAdd(k.recruiterReports(k.recruiter(key)), r.id, r.at);
        if (!(await store.listRead(k.reporterReports(r.reporter))).includes(r.id)) {
          await store.listPush(k.reporterReports(r.reporter), [r.id], retentionMs, REPORTER_MAX);
        }
        await refreshReporter(r.reporter, r.keys);
        // Housekeeping while the lock is held: reports past their retention leave the indexes.
        await pruneLocked(20);
        return { report: publicView(r), created: !existing };
      });
    },

    /**
     * The number of distinct people with a valid report that names any of `keys`: what a person
     * checking an offer is told. One store read per key.
     */
    async reportersFor(keys: readonly RecruiterKey[]): Promise<number> {
      const sets = await Promise.all([...new Set(keys)].map((key) => live(k.recruiterReporters(k.recruiter(key)))));
      return new Set(sets.flat().map((m) => m.member)).size;
    },

    /**
     * Staff mark a report as valid, false or malicious; the mark is added to the report's audit
     * trail, and the counts follow at once. Marking a report with the status it has changes
     * nothing (`changed: false`).
     */
    async mark(id: string, status: ReportStatus, staff: Staff, note?: string): Promise<{ report: Report; changed: boolean }> {
      return locked(async () => {
        const r = await read(id);
        if (!r) throw new ReportNotFound(`There is no report ${id}.`);
        if (r.status === status) return { report: publicView(r), changed: false };
        const trimmed = note?.trim();
        r.marks.push({ at: deps.now(), by: { name: staff.name, via: staff.via }, from: r.status, status, ...(trimmed ? { note: trimmed } : {}) });
        r.status = status;
        await write(r);
        await refreshReporter(r.reporter, r.keys);
        return { report: publicView(r), changed: true };
      });
    },

    /** A report, or undefined. */
    async get(id: string): Promise<Report | undefined> {
      const r = await read(id);
      return r && publicView(r);
    },

    /**
     * Recruiter keys with their counts, the most reported first (distinct reporters who count,
     * then all reports). Counts are read live, so reports that expired no longer add up.
     */
    async groups(options: { limit?: number } = {}): Promise<RecruiterGroup[]> {
      const limit = options.limit ?? 100;
      // The index's order was right when it was last written; a few more candidates absorb expiries.
      const candidates = await store.indexRange(k.reportRecruiters, limit * 2 + 10, 'desc');
      const groups = await Promise.all(
        candidates.map(async ({ member: pid }): Promise<RecruiterGroup | undefined> => {
          const [reports, reporters] = await Promise.all([live(k.recruiterReports(pid)), live(k.recruiterReporters(pid))]);
          const latest = reports[0] && (await readListed(reports[0].member));
          const key = latest?.keys.find((x) => k.recruiter(x) === pid);
          if (!latest || !key) return undefined;
          return { key, reports: reports.length, reporters: reporters.length, latestAt: reports[0]?.score ?? 0, latest: latest.content.recruiter };
        }),
      );
      return groups.filter((g): g is RecruiterGroup => g !== undefined && g.reports > 0).sort(groupOrder).slice(0, limit);
    },

    /** The reports that name a recruiter key, newest first. */
    async reportsFor(key: RecruiterKey, limit = 500): Promise<ListedReport[]> {
      const ids = await live(k.recruiterReports(k.recruiter(key)));
      return numbered(await Promise.all(ids.slice(0, limit).map((m) => readListed(m.member))));
    },

    /** Reports that name no recruiter anyone could match (every answer was "don't know"), newest first. */
    async unmatched(limit = 500): Promise<ListedReport[]> {
      const ids = await live(k.reportsUnmatched);
      return numbered(await Promise.all(ids.slice(0, limit).map((m) => readListed(m.member))));
    },

    /** How many reports are kept, and how many of them name no recruiter. */
    async totals(): Promise<{ reports: number; unmatched: number }> {
      const [all, unmatched] = await Promise.all([live(k.reportsAll), live(k.reportsUnmatched)]);
      return { reports: all.length, unmatched: unmatched.length };
    },

    /** Every report that is kept, oldest first: for the export to the authorities. */
    async exportAll(): Promise<Report[]> {
      const ids = (await live(k.reportsAll)).reverse();
      const reports = await Promise.all(ids.map((m) => readListed(m.member)));
      return reports.filter((r): r is StoredReport => r !== undefined).map(publicView);
    },

    /** Records an export in the audit. */
    async logExport(entry: ExportRecord): Promise<void> {
      await store.listPush(k.reportExports, [JSON.stringify(entry)], retentionMs, EXPORT_LOG_MAX);
    },

    /** The export audit, the latest first. */
    async exports(limit = 50): Promise<ExportRecord[]> {
      const raw = await store.listRead(k.reportExports);
      return raw.slice(-limit).reverse().map((line) => JSON.parse(line) as ExportRecord);
    },

    /**
     * Takes reports older than the retention out of every index and deletes them; the reporters
     * and counts of their keys follow. Returns how many were removed. Safe on every instance;
     * filing a report does a little of it too, so a running service needs no timer for it.
     */
    async prune(max = 1000): Promise<number> {
      return locked(() => pruneLocked(max));
    },
  };

  /** Reports of a list, numbered by reporter in order of first appearance; missing ones left out. */
  function numbered(reports: Array<StoredReport | undefined>): ListedReport[] {
    const numbers = new Map<string, number>();
    return reports
      .filter((r): r is StoredReport => r !== undefined)
      .map((r) => {
        if (!numbers.has(r.reporter)) numbers.set(r.reporter, numbers.size + 1);
        return { ...publicView(r), reporterNo: numbers.get(r.reporter) ?? 0 };
      });
  }
}

export type ReportStore = ReturnType<typeof createReportStore>;
