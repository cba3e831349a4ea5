/**
 * The staff web console under `/console`: sign-in, the queue, the case page with its live
 * timeline, and the staff actions (claim, reply, mute, close) through the hotline desk; the
 * family reports and their export live in reportRoutes.ts, the insight dashboard in
 * insightRoutes.ts, inside the same scope.
 *
 * Security, in the order a request meets it:
 * - every answer carries a strict CSP (own scripts and styles only, no inline code), no caching,
 *   and no framing;
 * - a POST must be a urlencoded form from this origin (Origin / Sec-Fetch-Site when the browser
 *   sends them) and carry the session's CSRF token;
 * - every route but sign-in and the two assets needs a session: pages redirect to the sign-in,
 *   the JSON timeline answers 401.
 * Errors are pages with a clear sentence (or JSON for the timeline), never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeEqual } from '../common/safeEqual.js';
import { createConsoleAuth, newToken, SESSION_TTL_MS, type ConsoleSession } from '../console/auth.js';
import { cookie, LOGIN_COOKIE, parseCookies, SESSION_COOKIE } from '../console/cookies.js';
import { describeEntry } from '../console/format.js';
import { casePage, caseStatusText, DONE_KEYS, loginPage, messagePage, queuePage, stateKey, type PageContext, type PageStaff } from '../console/pages.js';
import { isOverdue, loadQueue, PRIORITY_FILTERS, STATUS_FILTERS } from '../console/queue.js';
import { IllegalTransition, OUTCOMES } from '../handoff/case.js';
import { CaseNotFound, normaliseCaseId } from '../handoff/caseStore.js';
import type { Hotline, Staff } from '../handoff/hotline.js';
import { AppError, codeForStatus, errorBody } from '../errors.js';
import { StoreUnavailableError, type Store } from '../storage/store.js';
import type { ReportStore } from '../reports/reportStore.js';
import { fastifyClientError } from './errorHandler.js';
import { acceptFormsOnly, requireForm, type FormFields } from './formBody.js';
import type { LimitHook } from './ipLimits.js';
import { CONSOLE_HEADERS } from './securityHeaders.js';
import { registerReportRoutes } from './reportRoutes.js';
import { registerInsightRoutes } from './insightRoutes.js';
import type { InsightLabels, Insights } from '../insights/insights.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A console route that needs no session (sign-in, assets). */
    consolePublic?: boolean;
    /** A console route that answers JSON (errors too). */
    consoleJson?: boolean;
  }
}

export interface ConsoleDeps {
  hotline: Hotline;
  /** Family reports, grouped by recruiter for staff, marked and exported (src/http/reportRoutes.ts). */
  reports: ReportStore;
  store: Store;
  now: () => number;
  claimMinutes: number;
  /** The hotline's time zone, for the times shown. */
  timeZone: string;
  /** CONSOLE_COOKIES: false only for plain http on a trusted machine. */
  secureCookies: boolean;
  /** CONSOLE_ORIGIN: the public origin, when a proxy does not pass the Host header through. */
  origin?: string;
  /** The per-address limit of sign-in attempts (src/http/ipLimits.ts), checked before the password. */
  loginLimit?: LimitHook;
  /** The insight dashboard's reader and labels (src/http/insightRoutes.ts); without them there is no dashboard. */
  insights?: { data: Insights; labels: InsightLabels };
}

const ASSETS_DIR = new URL('../../src/console/public/', import.meta.url);
const ASSETS: Record<string, string> = { 'console.css': 'text/css; charset=utf-8', 'console.js': 'text/javascript; charset=utf-8' };
/** A staff reply of 4096 characters, each up to 4 UTF-8 bytes and percent-encoded (3 bytes each), fits. */
const FORM_LIMIT = 64 * 1024;
const LOGIN_COOKIE_SECONDS = 60 * 60;

const CaseParams = z.object({ id: z.string().max(16) });
const QueueQuery = z.object({ status: z.enum(STATUS_FILTERS).default('active'), priority: z.enum(PRIORITY_FILTERS).default('any') });
const TimelineQuery = z.object({ after: z.coerce.number().int().min(0).max(1e9).default(0) });
const LoginForm = z.object({ csrf: z.string().max(64), username: z.string().max(64), password: z.string().max(1024), next: z.string().max(64).optional() });
const ReplyForm = z.object({ text: z.string().max(20_000) });
const CloseForm = z.object({ outcome: z.enum(OUTCOMES) });
const MuteForm = z.object({ muted: z.enum(['0', '1']) });

/** Where a sign-in may send the browser on: the queue or a case page, nothing else (no open redirect). */
function safeNext(next: string | undefined): string | undefined {
  if (!next) return undefined;
  if (next === '/console' || next === '/console/reports' || next === '/console/insights') return next;
  const m = /^\/console\/cases\/([^/?#]+)$/.exec(next);
  return m && m[1] && normaliseCaseId(m[1]) === m[1] ? next : undefined;
}

/** False for a form post another site made: a cross-site Sec-Fetch-Site, or an Origin that is not ours. */
function fromThisOrigin(request: FastifyRequest, configured: string | undefined): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (configured) return origin === configured;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** A refusal shown as a page with its status (or JSON on the JSON routes). */
class ConsoleRefusal extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/** Registers the console under /console. */
export async function registerConsoleRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  await app.register((scope) => consoleScope(scope, deps), { prefix: '/console' });
}

async function consoleScope(scope: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const auth = createConsoleAuth({ store: deps.store, now: deps.now });
  const { hotline } = deps;
  const ctx = (): PageContext => ({ now: deps.now(), timeZone: deps.timeZone, claimMinutes: deps.claimMinutes });
  const sessions = new WeakMap<FastifyRequest, ConsoleSession>();
  const sessionOf = (request: FastifyRequest): ConsoleSession => {
    const s = sessions.get(request);
    if (!s) throw new Error('console route without a session');
    return s;
  };
  const pageStaff = (s: ConsoleSession): PageStaff => ({ name: s.name, csrf: s.csrf });
  const staffOf = (request: FastifyRequest): Staff => ({ name: sessionOf(request).name, via: 'console' });
  const tokenOf = (request: FastifyRequest) => parseCookies(request.headers.cookie).get(SESSION_COOKIE);
  const page = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const fields = (request: FastifyRequest): FormFields => (request.body ?? {}) as FormFields;

  acceptFormsOnly(scope, FORM_LIMIT);

  // Own scripts, styles and fetches only, no inline code, never framed (securityHeaders.ts): every
  // console route gets the console's headers, and so does its not-found page.
  // (@fastify/helmet's own hook has turned a route's `helmet` option into this config already, so the config it reads is set here.)
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, helmet: CONSOLE_HEADERS } as typeof route.config;
  });
  scope.addHook('onRequest', async (request, reply) => {
    if (request.is404) reply.helmet(CONSOLE_HEADERS);
    reply.header('cache-control', 'no-store');
    if (request.method !== 'POST') return;
    requireForm(request);
    if (!fromThisOrigin(request, deps.origin)) {
      throw new ConsoleRefusal(403, 'Refused', 'This form was sent from another site, so it was refused. Open the console yourself and try again.');
    }
  });

  scope.addHook('preHandler', async (request, reply) => {
    const config = request.routeOptions.config ?? {};
    if (config.consolePublic) return;
    const session = await auth.session(tokenOf(request));
    if (!session) {
      if (config.consoleJson) return reply.code(401).send(errorBody('WSP_UNAUTHORIZED', 'Sign in to the console again.'));
      const next = request.method === 'GET' ? safeNext(request.url.split('?')[0]) : undefined;
      return reply.redirect(next && next !== '/console' ? `/console/login?next=${encodeURIComponent(next)}` : '/console/login', 303);
    }
    sessions.set(request, session);
    if (request.method === 'POST' && !safeEqual(fields(request).csrf ?? '', session.csrf)) {
      throw new ConsoleRefusal(403, 'Form expired', 'This form has expired or did not come from this console. Go back, reload the page and try again.');
    }
  });

  scope.setErrorHandler((error: Error, request, reply) => {
    let status: number;
    let title: string;
    let message: string;
    if (error instanceof ConsoleRefusal) [status, title, message] = [error.status, error.title, error.message];
    else if (error instanceof CaseNotFound) [status, title, message] = [404, 'Case not found', error.message];
    else if (error instanceof IllegalTransition) [status, title, message] = [409, 'Not possible', error.message];
    else if (error instanceof AppError) [status, title, message] = [error.status, 'Request refused', error.message];
    else if (error instanceof StoreUnavailableError) {
      request.log.warn({ reason: error.message }, 'store unavailable');
      reply.header('retry-after', '5');
      [status, title, message] = [503, 'Try again shortly', 'The case store cannot be reached right now. Try again in a moment.'];
    } else {
      const client = fastifyClientError(error);
      if (client) [status, title, message] = [client.status, 'Request refused', client.message];
      else {
        // The err serializer keeps the class, codes and stack frames, never the message.
        request.log.error({ err: error }, 'console request failed');
        [status, title, message] = [500, 'Something went wrong', 'Something went wrong on our side. Try again; if it keeps happening, tell the administrator.'];
      }
    }
    if (request.routeOptions.config?.consoleJson) return reply.code(status).send(errorBody(codeForStatus(status), message));
    const s = sessions.get(request);
    return page(reply, status, messagePage({ ctx: ctx(), title, message, ...(s ? { staff: pageStaff(s) } : {}) }));
  });

  scope.setNotFoundHandler((request, reply) => {
    const s = sessions.get(request);
    return page(reply, 404, messagePage({ ctx: ctx(), title: 'Not found', message: 'There is no such page in the console.', ...(s ? { staff: pageStaff(s) } : {}) }));
  });

  // The two assets, read once; the file names are fixed here, never taken from the request.
  for (const [file, type] of Object.entries(ASSETS)) {
    const body = readFileSync(fileURLToPath(new URL(file, ASSETS_DIR)));
    scope.get(`/assets/${file}`, { config: { consolePublic: true } }, async (_request, reply) => reply.type(type).header('cache-control', 'no-cache').send(body));
  }

  /** The sign-in form with a fresh double-submit token (there is no session to hold a CSRF token yet). */
  function signInForm(reply: FastifyReply, status: number, p: { username?: string; next?: string; error?: string; notice?: string }) {
    const csrf = newToken();
    reply.header('set-cookie', cookie(LOGIN_COOKIE, csrf, { maxAgeSeconds: LOGIN_COOKIE_SECONDS, secure: deps.secureCookies }));
    return page(reply, status, loginPage({ ctx: ctx(), csrf, ...p }));
  }

  scope.get('/login', { config: { consolePublic: true } }, async (request, reply) => {
    if (await auth.session(tokenOf(request))) return reply.redirect('/console', 303);
    const query = request.query as Record<string, unknown>;
    const next = safeNext(typeof query.next === 'string' ? query.next : undefined);
    return signInForm(reply, 200, { ...(next ? { next } : {}), ...(query.out === '1' ? { notice: 'You are signed out.' } : {}) });
  });

  scope.post('/login', { config: { consolePublic: true }, ...(deps.loginLimit ? { onRequest: deps.loginLimit } : {}) }, async (request, reply) => {
    const form = LoginForm.safeParse(request.body);
    if (!form.success) return signInForm(reply, 400, { error: 'Fill in the username and the password.' });
    const { username, password } = form.data;
    const next = safeNext(form.data.next);
    const expected = parseCookies(request.headers.cookie).get(LOGIN_COOKIE);
    if (!expected || !safeEqual(form.data.csrf, expected)) {
      return signInForm(reply, 403, { username, ...(next ? { next } : {}), error: 'The sign-in form expired. Enter your password again.' });
    }
    const account = await auth.signIn(username, password, request.ip);
    if (!account) {
      request.log.info('console sign-in refused');
      return signInForm(reply, 401, { username, ...(next ? { next } : {}), error: 'The username or password is not right, or there were too many attempts (then wait up to 15 minutes).' });
    }
    const { token } = await auth.startSession(account);
    request.log.info({ staff: account.username }, 'console sign-in');
    reply.header('set-cookie', [
      cookie(SESSION_COOKIE, token, { maxAgeSeconds: SESSION_TTL_MS / 1000, secure: deps.secureCookies }),
      cookie(LOGIN_COOKIE, '', { maxAgeSeconds: 0, secure: deps.secureCookies }),
    ]);
    return reply.redirect(next ?? '/console', 303);
  });

  scope.post('/logout', async (request, reply) => {
    await auth.endSession(tokenOf(request));
    request.log.info({ staff: sessionOf(request).username }, 'console sign-out');
    reply.header('set-cookie', cookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: deps.secureCookies }));
    return reply.redirect('/console/login?out=1', 303);
  });

  scope.get('/', async (request, reply) => {
    const query = QueueQuery.safeParse(request.query);
    if (!query.success) throw new ConsoleRefusal(400, 'Unknown filter', 'That status or priority filter does not exist. Choose one from the lists.');
    const { status, priority } = query.data;
    const c = ctx();
    const { cases, full } = await loadQueue(hotline.cases, status, priority);
    // Overdue cases are counted over every waiting case, whatever the filter shows.
    const waiting = (status === 'active' || status === 'open' || status === 'all') && priority === 'any' ? cases : await hotline.cases.list({ status: 'open', limit: 500 });
    const overdue = waiting.filter((x) => isOverdue(x, c.now, c.claimMinutes)).length;
    return page(reply, 200, queuePage({ ctx: c, staff: pageStaff(sessionOf(request)), cases, full, status, priority, overdue }));
  });

  /** The case id of the URL; anything that is not a case id is a 404 without a store lookup. */
  function caseIdOf(request: FastifyRequest): string {
    const params = CaseParams.safeParse(request.params);
    const id = params.success ? params.data.id : '';
    if (normaliseCaseId(id) !== id) throw new CaseNotFound('There is no such case.');
    return id;
  }

  /** Renders a case page (after a refused action too, with the error and the unsent draft). */
  async function showCase(request: FastifyRequest, reply: FastifyReply, id: string, extra: { status?: number; done?: string; error?: string; draft?: string } = {}) {
    const c = await hotline.cases.get(id);
    if (!c) throw new CaseNotFound(`There is no case #${id}.`);
    const timeline = await hotline.cases.timeline(id);
    const { status = 200, ...rest } = extra;
    return page(reply, status, casePage({ ctx: ctx(), staff: pageStaff(sessionOf(request)), c, timeline, ...rest }));
  }

  scope.get('/cases/:id', async (request, reply) => {
    const id = caseIdOf(request);
    const done = (request.query as Record<string, unknown>).done;
    return showCase(request, reply, id, typeof done === 'string' && DONE_KEYS.includes(done) ? { done } : {});
  });

  scope.get('/cases/:id/timeline', { config: { consoleJson: true } }, async (request) => {
    const id = caseIdOf(request);
    const query = TimelineQuery.safeParse(request.query);
    if (!query.success) throw new AppError('BAD_REQUEST', 'after: expected a whole number of at least 0');
    const c = await hotline.cases.get(id);
    if (!c) throw new CaseNotFound(`There is no case #${id}.`);
    const entries = (await hotline.cases.timeline(id, query.data.after)).map((e) => describeEntry(e, deps.timeZone));
    return { entries, last: entries.at(-1)?.n ?? query.data.after, state: stateKey(c), status: caseStatusText(c) };
  });

  /**
   * Runs a staff action and goes back to the case page (post/redirect/get, so a reload does not
   * repeat it). A refusal of the desk is shown on the case page with status 409.
   */
  async function act(request: FastifyRequest, reply: FastifyReply, action: string, run: (id: string, staff: Staff) => Promise<unknown>, draft?: string) {
    const id = caseIdOf(request);
    try {
      await run(id, staffOf(request));
    } catch (err) {
      if (err instanceof IllegalTransition) return showCase(request, reply, id, { status: 409, error: err.message, ...(draft !== undefined ? { draft } : {}) });
      throw err;
    }
    request.log.info({ case: id, action, staff: sessionOf(request).username }, 'console action');
    return reply.redirect(`/console/cases/${id}?done=${action}`, 303);
  }

  /** A form that lacks what the action needs: the case page again with a 400 and what to fix. */
  const badForm = (request: FastifyRequest, reply: FastifyReply, message: string, draft?: string) =>
    showCase(request, reply, caseIdOf(request), { status: 400, error: message, ...(draft !== undefined ? { draft } : {}) });

  // Family reports: grouped by recruiter, marked, exported; the same session, CSRF and error pages.
  registerReportRoutes(scope, { reports: deps.reports, now: deps.now, ctx, session: sessionOf, fields, page, refuse: (status, title, message) => new ConsoleRefusal(status, title, message) });
  // The insight dashboard: charts of aggregates only.
  if (deps.insights) registerInsightRoutes(scope, { insights: deps.insights.data, labels: deps.insights.labels, ctx, session: sessionOf, page, refuse: (status, title, message) => new ConsoleRefusal(status, title, message) });

  scope.post('/cases/:id/claim', async (request, reply) => act(request, reply, 'claimed', (id, staff) => hotline.claim(id, staff)));

  scope.post('/cases/:id/reply', async (request, reply) => {
    const form = ReplyForm.safeParse(fields(request));
    if (!form.success) return badForm(request, reply, 'The message is missing or too long.');
    // Browsers send line breaks in a textarea as CRLF; the channels want LF.
    const text = form.data.text.replace(/\r\n?/g, '\n');
    if (text.trim() === '') return badForm(request, reply, 'Write a message before sending.');
    return act(request, reply, 'replied', (id, staff) => hotline.reply(id, text, staff), text);
  });

  scope.post('/cases/:id/close', async (request, reply) => {
    const form = CloseForm.safeParse(fields(request));
    if (!form.success) return badForm(request, reply, 'Choose an outcome to close the case.');
    return act(request, reply, 'closed', (id, staff) => hotline.close(id, form.data.outcome, staff));
  });

  scope.post('/cases/:id/mute', async (request, reply) => {
    const form = MuteForm.safeParse(fields(request));
    if (!form.success) return badForm(request, reply, 'The mute form is not valid; reload the page.');
    const muted = form.data.muted === '1';
    return act(request, reply, muted ? 'muted' : 'unmuted', (id, staff) => hotline.setBotMuted(id, muted, staff));
  });
}
