/**
 * Family reports in the store (issue 7): each report as filed, indexed under the normalised keys
 * of its recruiter (`phone:+62…`, `company:…`), so that the next person who names the same
 * recruiter can be warned by how many people reported them, and staff can see them grouped.
 *
 * What counts is the number of distinct reporters with a valid report: one family sending the
 * same report three times counts once, and a report staff marked false or malicious stops
 * counting. Per recruiter key the store keeps the set of reporters who count, scored by the time
 * of their latest valid report; a check reads one set per key and nothing else (`reportersFor`).
 * The set is recomputed for the reporter whenever one of their reports is filed, marked, erased
 * or pruned.
 *
 * Reports are few (a family writes one after something went wrong), so every change is written
 * under one lock: counting and marking then never race. Reads never take it.
 *
 * A report lives 2 years from filing (issue 10); reads treat it as gone at once. Then `prune`,
 * which every instance and separate sender runs each hour (reportPruner.ts), takes it out of
 * every index and deletes it. What prune needs for that must not depend on the sealed record,
 * which may have expired (or be damaged): so each report has an entry in the cleanup index
 * (`wsp:reports:cleanup`), written after its record and before any index, that holds its id, its
 * reporter's pseudonym and its recruiters' pseudonyms (exactly what `:by` and the key names hold
 * already), scored by the time filed. That index alone is never given an expiry: it is how prune
 * finds everything else, and it empties itself as prune takes each report out (an erase takes
 * the entry out too). Every other key a report writes (the record, each index, the reporter's
 * list) expires by itself the retention plus a day after its last write: a backstop for a prune
 * that did not run, and never early, since what a key holds was filed before that write (members
 * are scored by times up to it; the grouped list is written after every change to a recruiter).
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
/**
 * How long past the retention the store's own expiry lets a report's keys live: the backstop for
 * a prune that did not run (the hourly prune removes them first), with room for instances whose
 * clocks differ a little.
 */
const EXPIRY_MARGIN_MS = DAY_MS;
/** Reports pruned per hold of the lock: a batch takes well under the lock's 5 s, and filings and requests get in between. */
export const PRUNE_BATCH = 50;
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

/** What prune needs to take a report out of every index, without its record (the cleanup index, see the module comment). */
interface Cleanup {
  id: string;
  reporter: string;
  /** The recruiter pseudonyms (k.recruiter) of its keys. */
  pids: string[];
}

/** The cleanup index's member for a report: the same report always gives the same member (keys are sorted). */
const cleanupMember = (c: Cleanup): string => JSON.stringify([c.id, c.reporter, c.pids]);

/** A cleanup member read back, or undefined for one that is not (nothing writes such a member; it is dropped). */
function parseCleanup(member: string): Cleanup | undefined {
  try {
    const [id, reporter, pids] = JSON.parse(member) as unknown[];
    if (typeof id !== 'string' || typeof reporter !== 'string' || !Array.isArray(pids) || !pids.every((p) => typeof p === 'string')) return undefined;
    return { id, reporter, pids: pids as string[] };
  } catch {
    return undefined;
  }
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
  /** The expiry of an index, set on each write: its members are scored by times up to now, so it never drops one that still counts. */
  const indexTtlMs = retentionMs + EXPIRY_MARGIN_MS;
  const pidsOf = (keys: readonly RecruiterKey[]): string[] => keys.map((key) => k.recruiter(key));
  const cleanupOf = (r: StoredReport): Cleanup => ({ id: r.id, reporter: r.reporter, pids: pidsOf(r.keys) });

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
    await store.set(k.report(r.id), sealJson(store.sealer, r), Math.max(1, r.at + retentionMs + EXPIRY_MARGIN_MS - deps.now()));
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

  /**
   * Recounts a recruiter (by pseudonym) for the grouped list, and drops it from the list when
   * nothing is left. The grouped index holds the pseudonym, not the number: the key is read back
   * from the reports (sealed).
   */
  async function recount(pid: string): Promise<void> {
    const [reports, reporters] = await Promise.all([live(k.recruiterReports(pid)), live(k.recruiterReporters(pid))]);
    if (reports.length === 0) await store.indexRemove(k.reportRecruiters, pid);
    else await store.indexAdd(k.reportRecruiters, pid, groupScore(reporters.length, reports.length), indexTtlMs);
  }

  /**
   * Whether the reporter counts for each recruiter of `pids`: they do while one of their valid
   * reports names it (scored by the latest). Runs under the lock; the counts follow with `recount`.
   * A report of theirs that does not open is left out (it cannot be counted), so that one damaged
   * record never stops a prune or a filing.
   */
  async function refreshReporter(reporter: string, pids: readonly string[]): Promise<void> {
    if (pids.length === 0) return;
    const ids = [...new Set(await store.listRead(k.reporterReports(reporter)))];
    const theirs = (await Promise.all(ids.map(readListed))).filter((r): r is StoredReport => r !== undefined && r.reporter === reporter && r.status === 'valid');
    for (const pid of pids) {
      const latest = Math.max(-Infinity, ...theirs.filter((r) => pidsOf(r.keys).includes(pid)).map((r) => r.at));
      if (Number.isFinite(latest)) await store.indexAdd(k.recruiterReporters(pid), reporter, latest, indexTtlMs);
      else await store.indexRemove(k.recruiterReporters(pid), reporter);
    }
  }

  /** The reporter's standing, then the counts, for the recruiters of `pids`. Runs under the lock. */
  async function settle(reporter: string, pids: readonly string[]): Promise<void> {
    await refreshReporter(reporter, pids);
    for (const pid of pids) await recount(pid);
  }

  /**
   * Takes reports out of every index (their ids, their reporters' standing, the recruiters'
   * counts, their reporters' lists) and deletes their records, from their cleanup entries alone:
   * a record that expired or does not open changes nothing. The cleanup entry goes last, so a
   * prune that stops half-way finds the report again. Runs under the lock.
   */
  async function removeLocked(reports: readonly Cleanup[]): Promise<void> {
    const pidsByReporter = new Map<string, Set<string>>();
    const idsByReporter = new Map<string, Set<string>>();
    for (const c of reports) {
      await Promise.all([
        store.indexRemove(k.reportsAll, c.id),
        store.indexRemove(k.reportsUnmatched, c.id),
        ...c.pids.map((pid) => store.indexRemove(k.recruiterReports(pid), c.id)),
        store.delete(k.report(c.id)),
      ]);
      pidsByReporter.set(c.reporter, new Set([...(pidsByReporter.get(c.reporter) ?? []), ...c.pids]));
      idsByReporter.set(c.reporter, new Set([...(idsByReporter.get(c.reporter) ?? []), c.id]));
    }
    for (const [reporter, ids] of idsByReporter) await forgetInReporterList(reporter, ids);
    for (const [reporter, pids] of pidsByReporter) await refreshReporter(reporter, [...pids]);
    for (const pid of new Set(reports.flatMap((c) => c.pids))) await recount(pid);
    for (const c of reports) await store.indexRemove(k.reportCleanup, cleanupMember(c));
  }

  /**
   * Removes up to `batch` reports past their retention, oldest first; `more` when there may be
   * others due. Runs under the lock.
   */
  async function pruneBatch(batch: number): Promise<{ removed: number; more: boolean }> {
    const due = await store.indexRange(k.reportCleanup, batch, 'asc');
    const expired = due.filter((m) => m.score <= cutoff());
    const parsed = expired.map((m) => ({ member: m.member, cleanup: parseCleanup(m.member) }));
    for (const { member } of parsed.filter((p) => p.cleanup === undefined)) await store.indexRemove(k.reportCleanup, member);
    const reports = parsed.flatMap((p) => (p.cleanup ? [p.cleanup] : []));
    await removeLocked(reports);
    return { removed: reports.length, more: due.length === batch && expired.length === due.length };
  }

  /**
   * Takes deleted reports out of their reporter's list, and the list itself once it is empty:
   * its key holds the reporter's pseudonym. (Every web report shares one reporter, whose list
   * keeps the other web reports.) Runs under the lock.
   */
  async function forgetInReporterList(reporter: string, removed: ReadonlySet<string>): Promise<void> {
    const key = k.reporterReports(reporter);
    const listed = await store.listRead(key);
    const kept = listed.filter((id) => !removed.has(id));
    if (kept.length === listed.length) return;
    await store.delete(key);
    if (kept.length > 0) await store.listPush(key, kept, indexTtlMs, REPORTER_MAX);
  }

  return {
    /**
     * Deletes reports (their reporter erased their data: `hapus`), with what they wrote and how to
     * reach them; the counts of the recruiters they named drop at once.
     */
    async removeReports(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await locked(async () => {
        const found: Cleanup[] = [];
        for (const id of new Set(ids)) {
          const raw = await store.get(k.report(id));
          if (raw !== undefined) found.push(cleanupOf(openJson<StoredReport>(store.sealer, raw)));
          // Without its record the report is past its retention (or was never stored): prune takes out the rest.
          else await Promise.all([store.indexRemove(k.reportsAll, id), store.indexRemove(k.reportsUnmatched, id)]);
        }
        await removeLocked(found);
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
        // Before any index: whatever of them gets written, prune finds it. (A record left without
        // it by a crash expires by itself, and the redelivery that follows writes it.)
        await store.indexAdd(k.reportCleanup, cleanupMember(cleanupOf(r)), r.at);
        // Indexed again on a redelivery too: a crash between the record and its indexes heals.
        await store.indexAdd(k.reportsAll, r.id, r.at, indexTtlMs);
        if (r.keys.length === 0) await store.indexAdd(k.reportsUnmatched, r.id, r.at, indexTtlMs);
        for (const pid of pidsOf(r.keys)) await store.indexAdd(k.recruiterReports(pid), r.id, r.at, indexTtlMs);
        if (!(await store.listRead(k.reporterReports(r.reporter))).includes(r.id)) {
          await store.listPush(k.reporterReports(r.reporter), [r.id], indexTtlMs, REPORTER_MAX);
        }
        await settle(r.reporter, pidsOf(r.keys));
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
        await settle(r.reporter, pidsOf(r.keys));
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
     * Takes every report past the retention out of every index and deletes it, whether or not its
     * record is still there; the reporters and counts of their recruiters follow. Works in batches
     * of `batch`, each under the lock and with a pause for the event loop between them, until none
     * is due (or `stopped()` says so). Returns how many were removed. Safe on several instances at
     * once: the lock serialises the batches, and a report one instance removed the next does not find.
     */
    async prune(options: { batch?: number; stopped?: () => boolean } = {}): Promise<number> {
      const batch = Math.max(1, Math.floor(options.batch ?? PRUNE_BATCH));
      let total = 0;
      for (;;) {
        // A look before the lock: a round with nothing due (most of them) writes nothing at all.
        const [oldest] = await store.indexRange(k.reportCleanup, 1, 'asc');
        if (!oldest || oldest.score > cutoff()) return total;
        const { removed, more } = await locked(() => pruneBatch(batch));
        total += removed;
        if (!more || options.stopped?.()) return total;
        await new Promise((resolve) => setImmediate(resolve));
      }
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
