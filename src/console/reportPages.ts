/**
 * The console's report pages: recruiters grouped with their counts (the most reported first),
 * one recruiter's reports with the form that marks a report false, malicious or valid again, and
 * the export with its audit. Same conventions as pages.ts: every value escaped by the `html` tag,
 * no inline script or style, the session's CSRF token in every form, a label for every control.
 * Who reported is never shown: reports of one reporter are only numbered alike ("reporter 2").
 */
import type { ReportContent } from '../engine/types.js';
import type { RecruiterKey } from '../reports/recruiter.js';
import { REPORT_STATUSES, type ExportRecord, type ListedReport, type RecruiterGroup, type ReportStatus } from '../reports/reportStore.js';
import { formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { layout, type PageContext, type PageStaff } from './pages.js';

/** Where a recruiter's page is. */
export function recruiterHref(key: RecruiterKey): string {
  return `/console/reports/recruiters/${encodeURIComponent(key)}`;
}

const KIND_LABEL: Record<string, string> = { phone: 'Phone', name: 'Name', company: 'Company', social: 'Account' };

/** A recruiter key as staff read it: "Phone +6281234567890", "Account @budi_kerja". */
export function keyLabel(key: RecruiterKey): string {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const value = key.slice(colon + 1);
  return `${KIND_LABEL[kind] ?? kind} ${kind === 'social' ? `@${value}` : value}`;
}

export const STATUS_LABEL: Record<ReportStatus, string> = { valid: 'Valid', false: 'False', malicious: 'Malicious' };
/** The badge colours of the queue: a report that no longer counts stands out. */
const STATUS_BADGE: Record<ReportStatus, string> = { valid: 'normal', false: 'high', malicious: 'urgent' };
const statusBadge = (s: ReportStatus) => html`<span class="badge badge--${STATUS_BADGE[s]}">${STATUS_LABEL[s]}</span>`;

const DONE: Record<string, string> = {
  valid: 'The report is marked valid: it counts again.',
  false: 'The report is marked false: it no longer counts.',
  malicious: 'The report is marked malicious: it no longer counts.',
  unchanged: 'The report already had that status; nothing changed.',
};
/** The confirmations a recruiter's page can show after a mark (the `done` query value). */
export const REPORT_DONE_KEYS = Object.keys(DONE);

/** An id from the flows (`documents_held`) as words. */
const words = (id: string) => id.replaceAll('_', ' ');

/** "name Pak Budi · company PT Maju": how a report described the recruiter. */
function described(r: ReportContent['recruiter'] | undefined): string {
  if (!r) return '';
  const parts = (['name', 'company', 'phone', 'social', 'place'] as const).filter((f) => r[f]).map((f) => `${f} ${r[f] ?? ''}`);
  return parts.join(' · ');
}

const csrfField = (staff: PageStaff) => html`<input type="hidden" name="csrf" value="${staff.csrf}">`;

function groupRow(g: RecruiterGroup, ctx: PageContext): SafeHtml {
  const as = described(g.latest);
  return html`<tr class="row${g.reporters === 0 ? ' row--closed' : ''}">
<th scope="row"><a href="${recruiterHref(g.key)}">${keyLabel(g.key)}</a>${as ? html`<br><span class="hint">latest: ${as}</span>` : ''}</th>
<td data-label="People">${g.reporters}</td>
<td data-label="Reports">${g.reports}</td>
<td data-label="Latest">${formatTime(g.latestAt, ctx.timeZone)}</td>
</tr>`;
}

function exportRow(e: ExportRecord, ctx: PageContext): SafeHtml {
  return html`<tr><th scope="row">${formatTime(e.at, ctx.timeZone)}</th><td data-label="Who">${e.by.name}</td><td data-label="Format">${e.format.toUpperCase()}</td><td data-label="Reports">${e.count}</td></tr>`;
}

/** The reports page: recruiters by how many people reported them, then the export and its audit. */
export function reportsPage(p: { ctx: PageContext; staff: PageStaff; groups: RecruiterGroup[]; full: boolean; totals: { reports: number; unmatched: number }; exports: ExportRecord[] }): string {
  const { ctx } = p;
  const table =
    p.groups.length === 0
      ? html`<p class="empty">No reports name a recruiter yet.</p>`
      : html`<div class="table-wrap"><table class="queue">
<caption>${p.groups.length} ${p.groups.length === 1 ? 'recruiter' : 'recruiters'}, the most reported first${p.full ? ' (the list is cut at its limit)' : ''}</caption>
<thead><tr><th scope="col">Recruiter</th><th scope="col">People who reported</th><th scope="col">Reports</th><th scope="col">Latest report</th></tr></thead>
<tbody>${p.groups.map((g) => groupRow(g, ctx))}</tbody>
</table></div>`;
  const exportsTable =
    p.exports.length === 0
      ? html`<p class="empty">No export yet.</p>`
      : html`<div class="table-wrap"><table class="queue">
<caption>The latest ${p.exports.length} ${p.exports.length === 1 ? 'export' : 'exports'}</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Format</th><th scope="col">Reports</th></tr></thead>
<tbody>${p.exports.map((e) => exportRow(e, ctx))}</tbody>
</table></div>`;
  const main = html`<h1>Reports</h1>
<p>${p.totals.reports} ${p.totals.reports === 1 ? 'report is' : 'reports are'} kept (each for 2 years). <strong>People who reported</strong> counts distinct reporters with a valid report: one family sending the same report again counts once, and a report marked false or malicious does not count. That number is what a person checking the same recruiter is warned with; they never learn who reported or what was written.</p>
${table}
${p.totals.unmatched > 0 ? html`<p><a href="/console/reports/unmatched">${p.totals.unmatched} ${p.totals.unmatched === 1 ? 'report names' : 'reports name'} no recruiter that could be matched</a> (every detail was "don't know").</p>` : ''}
<section class="panel" aria-labelledby="export-title"><h2 id="export-title">Export for the authorities</h2>
<p>Every kept report with its status, without who reported it or their contact details. Each download is recorded below with your name.</p>
<p><a class="button" href="/console/reports/export.csv" download>Download CSV</a> <a class="button button--quiet" href="/console/reports/export.json" download>Download JSON</a></p>
${exportsTable}
</section>`;
  return layout({ title: 'Reports', staff: p.staff, ctx, main });
}

function markItem(m: ListedReport['marks'][number], ctx: PageContext): SafeHtml {
  return html`<li><time datetime="${new Date(m.at).toISOString()}">${formatTime(m.at, ctx.timeZone)}</time>: ${m.by.name} (${m.by.via}) marked it ${STATUS_LABEL[m.status].toLowerCase()} (was ${STATUS_LABEL[m.from].toLowerCase()})${m.note ? html`: “${m.note}”` : ''}</li>`;
}

function field(label: string, value: string | undefined): SafeHtml | '' {
  return value ? html`<dt>${label}</dt><dd>${value}</dd>` : '';
}

function reportItem(r: ListedReport, ctx: PageContext, staff: PageStaff, back: string): SafeHtml {
  const c = r.content;
  const formId = `mark-${r.id}`;
  return html`<li id="report-${r.id}" class="panel report">
<h2>Report ${r.id} ${statusBadge(r.status)}</h2>
<dl class="summary">
<dt>Filed</dt><dd>${formatTime(r.at, ctx.timeZone)}</dd>
<dt>From</dt><dd>reporter ${r.reporterNo} on this page</dd>
<dt>Language</dt><dd>${r.lang.toUpperCase()}</dd>
${field('Recruiter name', c.recruiter.name)}${field('Company or LPK', c.recruiter.company)}${field('Phone', c.recruiter.phone)}${field('Social media', c.recruiter.social)}${field('Village or town', c.recruiter.place)}
${field('Who was recruited', c.recruited.relation)}${field('Where to', c.recruited.destination)}${field('Job', c.recruited.job)}
${field('What happened', c.happened.sign ? words(c.happened.sign) : undefined)}${field('In their words', c.happened.text)}
<dt>In danger now</dt><dd>${c.danger ? html`<strong class="overdue-text">Yes (an urgent case was opened)</strong>` : 'No'}</dd>
<dt>May be contacted</dt><dd>${c.contact.allowed ? `Yes${c.contact.how ? `: ${c.contact.how}` : ''}` : 'No'}</dd>
<dt>Matched by</dt><dd>${r.keys.length === 0 ? 'nothing (no identifier)' : r.keys.map((k, i) => html`${i > 0 ? ', ' : ''}<a href="${recruiterHref(k)}">${keyLabel(k)}</a>`)}</dd>
</dl>
${r.marks.length > 0 ? html`<h3>Marks</h3><ul class="plain">${r.marks.map((m) => markItem(m, ctx))}</ul>` : ''}
<form method="post" action="/console/reports/${r.id}/mark" class="action stack">${csrfField(staff)}<input type="hidden" name="back" value="${back}">
<label for="${formId}-status">Status</label>
<select id="${formId}-status" name="status" required>${REPORT_STATUSES.map((s) => html`<option value="${s}"${s === r.status ? html` selected` : ''}>${STATUS_LABEL[s]}${s === 'valid' ? ' (counts)' : ' (does not count)'}</option>`)}</select>
<label for="${formId}-note">Why (kept in the audit)</label>
<input id="${formId}-note" name="note" type="text" maxlength="500">
<button type="submit" class="button">Save the status</button>
</form>
</li>`;
}

/** One recruiter's reports (or the reports that name none), newest first, each with its mark form. */
export function recruiterPage(p: {
  ctx: PageContext;
  staff: PageStaff;
  /** The recruiter key, or undefined for the reports that name no recruiter. */
  key?: RecruiterKey;
  reporters?: number;
  reports: ListedReport[];
  done?: string;
}): string {
  const { ctx } = p;
  const title = p.key ? keyLabel(p.key) : 'Reports without a recruiter';
  const back = p.key ?? 'unmatched';
  const main = html`<p class="back"><a href="/console/reports">← All reports</a></p>
<h1>${title}</h1>
${p.done && DONE[p.done] ? html`<p class="notice" role="status">${DONE[p.done]}</p>` : ''}
${p.key ? html`<p>${p.reporters ?? 0} ${p.reporters === 1 ? 'person' : 'people'} with a valid report; ${p.reports.length} ${p.reports.length === 1 ? 'report' : 'reports'} in all. A report marked false or malicious stops counting at once; marking it valid again makes it count again.</p>` : html`<p>These reports gave no name, company, number or account that another report could be matched with.</p>`}
${p.reports.length === 0 ? html`<p class="empty">No reports are kept for this recruiter.</p>` : html`<ol class="reports">${p.reports.map((r) => reportItem(r, ctx, p.staff, back))}</ol>`}`;
  return layout({ title, staff: p.staff, ctx, main });
}
