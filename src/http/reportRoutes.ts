/**
 * The console's report routes, registered inside the console scope (src/http/consoleRoutes.ts)
 * so that they share its session check, CSRF check, security headers and error pages:
 *
 * - `GET  /console/reports`                      recruiters grouped, the most reported first
 * - `GET  /console/reports/recruiters/:key`      one recruiter's reports, each with a mark form
 * - `GET  /console/reports/unmatched`            reports that name no recruiter
 * - `POST /console/reports/:id/mark`             valid / false / malicious, into the report's audit
 * - `GET  /console/reports/export.csv`, `.json`  every kept report, for the authorities; logged
 *
 * The export needs a signed-in staff member like every console page: the audit then says who
 * downloaded, and there is no second secret to hand out and rotate. The session cookie is
 * SameSite=Strict, so another site cannot start a download on a staff member's behalf.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ConsoleSession } from '../console/auth.js';
import type { PageContext, PageStaff } from '../console/pages.js';
import { recruiterHref, recruiterPage, REPORT_DONE_KEYS, reportsPage } from '../console/reportPages.js';
import type { RecruiterKey } from '../reports/recruiter.js';
import { reportsCsv, reportsJson } from '../reports/reportExport.js';
import { REPORT_STATUSES, ReportNotFound, type ReportStore } from '../reports/reportStore.js';
import type { FormFields } from './formBody.js';

/** What the console scope lends these routes. */
export interface ReportRouteKit {
  reports: ReportStore;
  now: () => number;
  ctx: () => PageContext;
  session: (request: FastifyRequest) => ConsoleSession;
  fields: (request: FastifyRequest) => FormFields;
  page: (reply: FastifyReply, status: number, body: string) => FastifyReply;
  /** An error the console shows as a page with this status and sentence. */
  refuse: (status: number, title: string, message: string) => Error;
}

/** Recruiters listed on the reports page. */
const GROUPS_LIMIT = 200;
/** Report ids as the engine draws them (`R7K4QX`); anything else is a 404 without a store read. */
const REPORT_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** The shapes of recruiter keys (src/reports/recruiter.ts); anything else is a 404. */
const RECRUITER_KEY = /^(?:phone:\+\d{6,17}|(?:name|company):[\p{L}\p{N}]{1,200}|social:[a-z0-9._-]{1,64})$/u;

const MarkForm = z.object({ status: z.enum(REPORT_STATUSES), note: z.string().max(500).optional(), back: z.string().max(300).optional() });
const DoneQuery = z.object({ done: z.string().max(16).optional() });

/** Registers the report routes on the console scope. */
export function registerReportRoutes(scope: FastifyInstance, kit: ReportRouteKit): void {
  const { reports } = kit;
  const pageStaff = (request: FastifyRequest): PageStaff => ({ name: kit.session(request).name, csrf: kit.session(request).csrf });
  const doneOf = (request: FastifyRequest): { done?: string } => {
    const done = DoneQuery.safeParse(request.query).data?.done;
    return done !== undefined && REPORT_DONE_KEYS.includes(done) ? { done } : {};
  };
  const notFound = () => kit.refuse(404, 'Report not found', 'There is no such report, or it is no longer kept.');

  scope.get('/reports', async (request, reply) => {
    const [groups, totals, exports] = await Promise.all([reports.groups({ limit: GROUPS_LIMIT }), reports.totals(), reports.exports(20)]);
    return kit.page(reply, 200, reportsPage({ ctx: kit.ctx(), staff: pageStaff(request), groups, full: groups.length >= GROUPS_LIMIT, totals, exports }));
  });

  scope.get('/reports/recruiters/:key', async (request, reply) => {
    const key = (request.params as { key?: string }).key ?? '';
    if (!RECRUITER_KEY.test(key)) throw kit.refuse(404, 'Recruiter not found', 'There is no such recruiter in the reports.');
    const recruiter = key as RecruiterKey;
    const [listed, reporters] = await Promise.all([reports.reportsFor(recruiter), reports.reportersFor([recruiter])]);
    return kit.page(reply, 200, recruiterPage({ ctx: kit.ctx(), staff: pageStaff(request), key: recruiter, reporters, reports: listed, ...doneOf(request) }));
  });

  scope.get('/reports/unmatched', async (request, reply) => {
    return kit.page(reply, 200, recruiterPage({ ctx: kit.ctx(), staff: pageStaff(request), reports: await reports.unmatched(), ...doneOf(request) }));
  });

  scope.post('/reports/:id/mark', async (request, reply) => {
    const id = (request.params as { id?: string }).id ?? '';
    if (!REPORT_ID.test(id)) throw notFound();
    const form = MarkForm.safeParse(kit.fields(request));
    if (!form.success) throw kit.refuse(400, 'Choose a status', 'Choose valid, false or malicious for the report (the note can have at most 500 characters).');
    const s = kit.session(request);
    let result;
    try {
      result = await reports.mark(id, form.data.status, { name: s.name, via: 'console' }, form.data.note);
    } catch (err) {
      if (err instanceof ReportNotFound) throw notFound();
      throw err;
    }
    request.log.info({ reportId: id, status: form.data.status, changed: result.changed, staff: s.username }, 'report marked');
    // Back to the page the form was on: one of the report's own recruiters, else the list.
    const back = form.data.back;
    const keys: readonly string[] = result.report.keys;
    const base = back !== undefined && keys.includes(back) ? recruiterHref(back as RecruiterKey) : back === 'unmatched' && keys.length === 0 ? '/console/reports/unmatched' : '/console/reports';
    return reply.redirect(`${base}?done=${result.changed ? form.data.status : 'unchanged'}#report-${id}`, 303);
  });

  /** Sends every kept report as a download, after recording the export in the audit. */
  async function exportAs(request: FastifyRequest, reply: FastifyReply, format: 'csv' | 'json') {
    const all = await reports.exportAll();
    const at = kit.now();
    const s = kit.session(request);
    await reports.logExport({ at, by: { name: s.name, username: s.username }, format, count: all.length });
    request.log.info({ staff: s.username, format, count: all.length }, 'reports exported');
    const day = new Date(at).toISOString().slice(0, 10);
    reply.header('content-disposition', `attachment; filename="waspada-reports-${day}.${format}"`);
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportsCsv(all));
    return reply.type('application/json; charset=utf-8').send(reportsJson(all, at));
  }

  scope.get('/reports/export.csv', async (request, reply) => exportAs(request, reply, 'csv'));
  scope.get('/reports/export.json', async (request, reply) => exportAs(request, reply, 'json'));
}
