/**
 * The console's pages, rendered on the server. Every value goes through the `html` tag (escaped);
 * there is no inline script or style (the CSP forbids both); every form carries the session's
 * CSRF token; every control has a label. Small screens get one column (console.css).
 */
import { OUTCOMES, type Case, type TimelineEntry } from '../handoff/case.js';
import { MAX_REPLY_CHARS } from '../handoff/hotline.js';
import { html, type SafeHtml } from './html.js';
import { CHANNEL_LABEL, describeEntry, formatDuration, formatTime, OUTCOME_LABEL, PRIORITY_LABEL, REASON_LABEL, type EntryView } from './format.js';
import { isOverdue, PRIORITY_FILTERS, STATUS_FILTERS, type PriorityFilter, type StatusFilter } from './queue.js';

/** What every page needs to know: the clock, the hotline's time zone and its claim time. */
export interface PageContext {
  now: number;
  timeZone: string;
  claimMinutes: number;
}

/** The signed-in staff member, for the header and the forms. */
export interface PageStaff {
  name: string;
  csrf: string;
}

const csrfField = (staff: PageStaff) => html`<input type="hidden" name="csrf" value="${staff.csrf}">`;

/** The frame of every page: skip link, header with sign-out, main landmark. */
export function layout(p: { title: string; staff?: PageStaff; ctx: PageContext; main: SafeHtml; mainData?: Record<string, string> }): string {
  const data = Object.entries(p.mainData ?? {}).map(([name, value]) => html` data-${name}="${value}"`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${p.title} · Waspada console</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<p class="brand"><a href="/console">Waspada <span>hotline console</span></a></p>
${p.staff ? html`<nav class="sections" aria-label="Sections"><a href="/console">Cases</a><a href="/console/reports">Reports</a><a href="/console/insights">Insights</a></nav>` : ''}
${p.staff ? html`<nav class="account" aria-label="Account"><span class="who">Signed in as ${p.staff.name}</span>
<form method="post" action="/console/logout">${csrfField(p.staff)}<button type="submit" class="button button--quiet">Sign out</button></form></nav>` : ''}
</header>
<main id="main" tabindex="-1"${data}>
${p.main}
</main>
<footer class="foot"><p>Times are in ${p.ctx.timeZone}. Unclaimed urgent and high cases are overdue after ${p.ctx.claimMinutes} min.</p></footer>
</body>
</html>
`.html;
}

/** The sign-in page. `error` and `notice` are fixed sentences of the routes, never request data. */
export function loginPage(p: { ctx: PageContext; csrf: string; username?: string; next?: string; error?: string; notice?: string }): string {
  const main = html`<div class="narrow">
<h1>Sign in</h1>
${p.error ? html`<p class="alert" role="alert">${p.error}</p>` : ''}
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
<form method="post" action="/console/login" class="stack">
<input type="hidden" name="csrf" value="${p.csrf}">
${p.next ? html`<input type="hidden" name="next" value="${p.next}">` : ''}
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="${p.username ?? ''}"${p.username ? '' : html` autofocus`}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${p.username ? html` autofocus` : ''}>
<button type="submit" class="button">Sign in</button>
</form>
<p class="hint">Accounts are created on the server with <code>npm run staff:add</code>. After five wrong passwords from one network, the account is locked there for 15 minutes.</p>
</div>`;
  return layout({ title: 'Sign in', ctx: p.ctx, main });
}

/** A page with one message (not found, refused, expired form…). */
export function messagePage(p: { ctx: PageContext; staff?: PageStaff; title: string; message: string; back?: { href: string; label: string } }): string {
  const back = p.back ?? { href: '/console', label: 'Back to the cases' };
  const main = html`<div class="narrow"><h1>${p.title}</h1><p class="alert" role="alert">${p.message}</p><p><a href="${back.href}">${back.label}</a></p></div>`;
  return layout({ title: p.title, ctx: p.ctx, main, ...(p.staff ? { staff: p.staff } : {}) });
}

const STATUS_FILTER_LABEL: Record<StatusFilter, string> = { active: 'Waiting and claimed', open: 'Waiting (not claimed)', claimed: 'Claimed', closed: 'Closed', all: 'All' };
const PRIORITY_FILTER_LABEL: Record<PriorityFilter, string> = { any: 'Any priority', urgent: 'Urgent', high: 'High', normal: 'Normal' };

function options<T extends string>(values: readonly T[], labels: Record<T, string>, selected: T): SafeHtml[] {
  return values.map((v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${labels[v]}</option>`);
}

const badge = (c: Case) => html`<span class="badge badge--${c.priority}">${PRIORITY_LABEL[c.priority]}</span>`;

/** The waiting column: how long a case has waited, or what became of it. */
function waiting(c: Case, ctx: PageContext): SafeHtml {
  if (c.status === 'claimed') return html`claimed after ${formatDuration((c.claimedAt ?? ctx.now) - c.openedAt)}`;
  if (c.status === 'closed') return html`closed ${formatDuration(ctx.now - (c.closedAt ?? ctx.now))} ago`;
  const text = `waiting ${formatDuration(ctx.now - c.openedAt)}`;
  return isOverdue(c, ctx.now, ctx.claimMinutes) ? html`<strong class="overdue-text">${text} — overdue</strong>` : html`${text}`;
}

function queueRow(c: Case, ctx: PageContext): SafeHtml {
  const overdue = isOverdue(c, ctx.now, ctx.claimMinutes);
  return html`<tr class="row row--${c.status}${overdue ? ' row--overdue' : ''}" data-id="${c.id}">
<th scope="row"><a href="/console/cases/${c.id}">#${c.id}</a></th>
<td data-label="Priority">${badge(c)}</td>
<td data-label="Level">${c.summary.level ?? '—'}</td>
<td data-label="Reason">${REASON_LABEL[c.summary.reason] ?? c.summary.reason}</td>
<td data-label="Channel">${CHANNEL_LABEL[c.summary.channel] ?? c.summary.channel}</td>
<td data-label="Language">${c.summary.lang.toUpperCase()}</td>
<td data-label="Waiting">${waiting(c, ctx)}</td>
<td data-label="Claimed by">${c.claimedBy ?? html`<span aria-label="nobody">—</span>`}</td>
</tr>`;
}

/** The overdue sentence: shown at the top and announced by the live region when it changes. */
function overdueText(count: number, ctx: PageContext): string {
  if (count === 0) return '';
  return `${count} urgent or high ${count === 1 ? 'case has' : 'cases have'} waited more than ${ctx.claimMinutes} min without a claim.`;
}

/** The queue: filters, the overdue notice, and the table (replaced in place by console.js every few seconds). */
export function queuePage(p: { ctx: PageContext; staff: PageStaff; cases: Case[]; full: boolean; status: StatusFilter; priority: PriorityFilter; overdue: number }): string {
  const { ctx } = p;
  const table =
    p.cases.length === 0
      ? html`<p class="empty">No cases match these filters.</p>`
      : html`<div class="table-wrap"><table class="queue">
<caption>${p.cases.length} ${p.cases.length === 1 ? 'case' : 'cases'}${p.full ? ' (the list is cut at its limit: narrow the filters)' : ''}, updated ${formatTime(ctx.now, ctx.timeZone)}</caption>
<thead><tr><th scope="col">Case</th><th scope="col">Priority</th><th scope="col">Level</th><th scope="col">Reason</th><th scope="col">Channel</th><th scope="col">Language</th><th scope="col">Waiting</th><th scope="col">Claimed by</th></tr></thead>
<tbody>${p.cases.map((c) => queueRow(c, ctx))}</tbody>
</table></div>`;
  const main = html`<h1>Cases</h1>
<p id="queue-alert" class="${p.overdue > 0 ? 'alert' : 'quiet-status'}" role="status" aria-live="polite">${overdueText(p.overdue, ctx)}</p>
<form method="get" action="/console" class="filters">
<div class="field"><label for="status">Status</label><select id="status" name="status">${options(STATUS_FILTERS, STATUS_FILTER_LABEL, p.status)}</select></div>
<div class="field"><label for="priority">Priority</label><select id="priority" name="priority">${options(PRIORITY_FILTERS, PRIORITY_FILTER_LABEL, p.priority)}</select></div>
<button type="submit" class="button">Show</button>
</form>
<div id="queue" data-overdue="${p.overdue}">${table}</div>`;
  const title = p.overdue > 0 ? `(${p.overdue} overdue) Cases` : 'Cases';
  return layout({ title, staff: p.staff, ctx, main, mainData: { live: 'queue' } });
}

/** One timeline entry; console.js builds the same markup for entries that arrive later. */
function entryItem(v: EntryView): SafeHtml {
  return html`<li class="entry entry--${v.kind}${v.alert ? ' entry--alert' : ''}" data-n="${v.n}">
<p class="meta"><strong class="who">${v.who}</strong> <span class="what">${v.what}</span> <time datetime="${v.at}">${v.time}</time></p>
${v.text !== undefined ? html`<p class="text">${v.text}</p>` : ''}
</li>`;
}

/** The status line of a case, also sent with the live timeline so that it stays current. */
export function caseStatusText(c: Case): string {
  if (c.status === 'claimed') return `Claimed by ${c.claimedBy ?? 'someone'}`;
  if (c.status === 'closed') return `Closed: ${c.outcome ? OUTCOME_LABEL[c.outcome] : 'no outcome'}`;
  return 'Waiting for a staff member to claim it';
}

const DONE: Record<string, string> = {
  claimed: 'You claimed the case. The person was told that a staff member is looking at it.',
  replied: 'Your message was sent to the person.',
  muted: 'The bot is muted: what the person writes comes to staff only.',
  unmuted: 'The bot is unmuted: it answers the person again; their messages still come here.',
  closed: 'The case is closed. The person was told and is back with the bot.',
};
/** The confirmations a case page can show after an action (the `done` query value). */
export const DONE_KEYS = Object.keys(DONE);

/** An id from the flows (`me_channel`, `private_household`) as words. */
const words = (id: string) => id.replaceAll('_', ' ');

function summaryList(c: Case, ctx: PageContext): SafeHtml {
  const s = c.summary;
  const signs = s.signs.length === 0 ? html`none recorded` : html`<ul class="plain">${s.signs.map((x) => html`<li>${words(x)}</li>`)}</ul>`;
  return html`<dl class="summary">
<dt>Status</dt><dd id="case-status">${caseStatusText(c)}</dd>
<dt>Reason</dt><dd>${REASON_LABEL[s.reason] ?? s.reason}</dd>
<dt>Priority</dt><dd>${badge(c)}</dd>
<dt>Risk level</dt><dd>${s.level ?? '—'}</dd>
<dt>Warning signs</dt><dd>${signs}</dd>
<dt>Language</dt><dd>${s.lang.toUpperCase()}</dd>
<dt>Channel</dt><dd>${CHANNEL_LABEL[s.channel] ?? s.channel}</dd>
<dt>Opened</dt><dd>${formatTime(c.openedAt, ctx.timeZone)} (${formatDuration(ctx.now - c.openedAt)} ago)</dd>
${c.claimedAt !== undefined ? html`<dt>Claimed</dt><dd>${formatTime(c.claimedAt, ctx.timeZone)} by ${c.claimedBy ?? 'someone'}</dd>` : ''}
${c.closedAt !== undefined ? html`<dt>Closed</dt><dd>${formatTime(c.closedAt, ctx.timeZone)}: ${c.outcome ? OUTCOME_LABEL[c.outcome] : ''}</dd>` : ''}
${c.status !== 'closed' ? html`<dt>Bot</dt><dd>${c.botMuted ? 'Muted: the person talks to staff' : 'Answering the person'}</dd>` : ''}
<dt>Person</dt><dd>${c.personPresent ? 'In the conversation' : c.status === 'closed' ? 'Back with the bot' : 'Left the conversation; not reachable through this case'}</dd>
</dl>
${Object.keys(s.answers).length > 0 ? html`<h3>Answers</h3><dl class="answers">${Object.entries(s.answers).map(([q, a]) => html`<dt>${words(q)}</dt><dd>${typeof a === 'string' ? words(a) : String(a)}</dd>`)}</dl>` : ''}`;
}

function actions(c: Case, staff: PageStaff, draft: string | undefined): SafeHtml {
  if (c.status === 'closed') return html`<p>This case is closed; nothing more can be done on it. The timeline above is its record.</p>`;
  const base = `/console/cases/${c.id}`;
  const canReply = c.personPresent && c.person !== undefined;
  return html`${c.status === 'open' ? html`<form method="post" action="${base}/claim" class="action">${csrfField(staff)}<button type="submit" class="button">Claim this case</button>
<p class="hint">Tells the other staff that you handle it, and tells the person that someone is looking at it.</p></form>` : ''}
${canReply ? html`<form method="post" action="${base}/reply" class="action stack">${csrfField(staff)}
<label for="reply-text">Message to the person</label>
<textarea id="reply-text" name="text" rows="4" maxlength="${MAX_REPLY_CHARS}" required aria-describedby="reply-hint">${draft ?? ''}</textarea>
<p class="hint" id="reply-hint">The person receives it in their chat as a message from hotline staff, without your name. Write in their language (${c.summary.lang.toUpperCase()}).</p>
<button type="submit" class="button">Send</button></form>` : html`<p class="notice">The person has left the conversation or can no longer be reached, so replies are not possible. You can still close the case.</p>`}
<form method="post" action="${base}/mute" class="action">${csrfField(staff)}<input type="hidden" name="muted" value="${c.botMuted ? '0' : '1'}">
<button type="submit" class="button button--quiet">${c.botMuted ? 'Unmute the bot' : 'Mute the bot'}</button>
<p class="hint">${c.botMuted ? 'The bot answers the person again (for example to run a check); their messages still come here.' : 'The bot stops answering; what the person writes comes to staff only.'}</p></form>
<form method="post" action="${base}/close" class="action stack">${csrfField(staff)}
<label for="outcome">Outcome</label>
<select id="outcome" name="outcome" required><option value="">Choose the outcome…</option>${OUTCOMES.map((o) => html`<option value="${o}">${OUTCOME_LABEL[o]}</option>`)}</select>
<button type="submit" class="button button--danger">Close the case</button>
<p class="hint">The person is told that the case is closed and is back with the bot.</p></form>`;
}

/** The case page: summary, timeline (kept live by console.js), and the actions the case allows. */
export function casePage(p: { ctx: PageContext; staff: PageStaff; c: Case; timeline: TimelineEntry[]; done?: string; error?: string; draft?: string }): string {
  const { c, ctx } = p;
  const views = p.timeline.map((e) => describeEntry(e, ctx.timeZone));
  const last = p.timeline.at(-1)?.n ?? 0;
  const overdue = isOverdue(c, ctx.now, ctx.claimMinutes);
  const main = html`<p class="back"><a href="/console">← All cases</a></p>
<h1>Case #${c.id} ${badge(c)}</h1>
${p.done && DONE[p.done] ? html`<p class="notice" role="status">${DONE[p.done]}</p>` : ''}
${p.error ? html`<p class="alert" role="alert">${p.error}</p>` : ''}
${overdue ? html`<p class="alert">Waiting ${formatDuration(ctx.now - c.openedAt)} without a claim — overdue. Please claim it or ask a colleague to.</p>` : ''}
<p id="case-changed" class="notice" role="status" hidden>This case was changed by someone else. <a href="/console/cases/${c.id}">Reload the page</a> to see what you can do now.</p>
<div class="case">
<section class="panel" aria-labelledby="summary-title"><h2 id="summary-title">Summary</h2>${summaryList(c, ctx)}</section>
<section class="panel panel--timeline" aria-labelledby="timeline-title"><h2 id="timeline-title">Conversation and actions</h2>
<ol id="timeline" class="timeline" tabindex="0" role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="timeline-title">${views.map(entryItem)}</ol>
<p id="timeline-status" class="hint" role="status"></p>
</section>
<section class="panel" aria-labelledby="actions-title"><h2 id="actions-title">Actions</h2>${actions(c, p.staff, p.draft)}</section>
</div>`;
  return layout({ title: `Case #${c.id}`, staff: p.staff, ctx, main, mainData: { case: c.id, after: String(last), state: stateKey(c) } });
}

/** What decides the actions shown; when it changes under the page, console.js offers a reload. */
export function stateKey(c: Case): string {
  return `${c.status}:${c.botMuted ? 'm' : 'u'}:${c.personPresent ? 'p' : 'g'}`;
}
