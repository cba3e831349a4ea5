/**
 * The insight dashboard (`/console/insights`): what the checks, the cases and the reports of a
 * period tell about recruitment, as charts (svgChart.ts), each with its numbers in a table below
 * it. Aggregates only (src/insights/insights.ts): counts, times and the recruiters staff already
 * see on the Reports page; never a person, a case's content or a report's words.
 */
import type { CheckSummary, ClaimTimes, Counted, PeriodDays } from '../insights/aggregate.js';
import { LEVELS, PERIODS } from '../insights/aggregate.js';
import type { InsightData, InsightLabels } from '../insights/insights.js';
import type { RecruiterGroup } from '../reports/reportStore.js';
import { formatDuration } from './format.js';
import { html, type SafeHtml } from './html.js';
import { layout, type PageContext, type PageStaff } from './pages.js';
import { keyLabel, recruiterHref } from './reportPages.js';
import { barChart, columnChart, type Series } from './svgChart.js';

/** Signs shown in their chart (the table below it has all of them). */
const TOP_SIGNS = 10;
const LEVEL_LABEL = { low: 'Low', medium: 'Medium', high: 'High' } as const;
/** Stacked from the baseline up: high first, so that the days' high counts line up and compare. */
const LEVEL_SERIES: Series[] = [...LEVELS].reverse().map((l) => ({ name: LEVEL_LABEL[l], cls: l }));
/** Chart titles of the answers checks usually tally; any other answer gets a title from its name. */
const TALLY_TITLE: Record<string, string> = { destination: 'Where high-risk offers were for', job: 'The jobs of high-risk offers' };

const fmt = (n: number) => n.toLocaleString('en-GB');
const plural = (n: number, one: string, many: string) => `${fmt(n)} ${n === 1 ? one : many}`;
const percent = (n: number, of: number) => (of > 0 ? `${Math.round((100 * n) / of)}%` : '—');

/** "2 Mar" for `2026-03-02` (a calendar day, whatever the time zone). */
function shortDay(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
}

/** A figure: its heading, the chart, what the colours mean, and the numbers in a table that opens. */
function figure(p: { id: string; title: string; intro?: SafeHtml | string; chart: SafeHtml; legend?: Series[]; table: SafeHtml }): SafeHtml {
  return html`<section class="panel insight" aria-labelledby="${p.id}-h">
<h2 id="${p.id}-h">${p.title}</h2>
${p.intro ? html`<p class="hint">${p.intro}</p>` : ''}
<figure class="chart-figure">${p.chart}
${p.legend ? html`<figcaption><ul class="legend">${p.legend.map((s) => html`<li><span class="swatch chart-s--${s.cls}" aria-hidden="true"></span>${s.name}</li>`)}</ul></figcaption>` : ''}
</figure>
<details class="numbers"><summary>The numbers</summary><div class="table-wrap">${p.table}</div></details>
</section>`;
}

/** A table of counts: a label column and a number column, with the share of `of` when given. */
function countTable(caption: string, head: string, rows: Array<{ label: string | SafeHtml; count: number }>, of?: number): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">No data for this period.</p>`;
  return html`<table class="data"><caption>${caption}</caption>
<thead><tr><th scope="col">${head}</th><th scope="col">Count</th>${of !== undefined ? html`<th scope="col">Share</th>` : ''}</tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td>${fmt(r.count)}</td>${of !== undefined ? html`<td>${percent(r.count, of)}</td>` : ''}</tr>`)}</tbody>
</table>`;
}

function checksPerDay(checks: CheckSummary, period: PeriodDays): SafeHtml {
  const t = checks.totals;
  const busiest = checks.perDay.reduce((best, d) => (d.low + d.medium + d.high > best.low + best.medium + best.high ? d : best), checks.perDay[0] ?? { day: '', low: 0, medium: 0, high: 0 });
  const first = checks.perDay[0]?.day ?? '';
  const last = checks.perDay.at(-1)?.day ?? '';
  const desc =
    t.all === 0
      ? `No check was finished between ${shortDay(first)} and ${shortDay(last)}.`
      : `${plural(t.all, 'check', 'checks')} finished between ${shortDay(first)} and ${shortDay(last)}: ${fmt(t.high)} high, ${fmt(t.medium)} medium and ${fmt(t.low)} low. The busiest day was ${shortDay(busiest.day)} with ${fmt(busiest.low + busiest.medium + busiest.high)}.`;
  const chart = columnChart({
    id: 'chart-checks',
    title: `Checks per day by level, the last ${period} days`,
    desc,
    series: LEVEL_SERIES,
    columns: checks.perDay.map((d) => ({ label: shortDay(d.day), values: LEVEL_SERIES.map((s) => d[s.cls as keyof typeof LEVEL_LABEL]) })),
    labels: period === 7 ? 7 : 5,
    emptyText: 'No check was finished in this period',
  });
  const table = html`<table class="data"><caption>Checks per day (the hotline's time zone)</caption>
<thead><tr><th scope="col">Day</th>${LEVEL_SERIES.map((s) => html`<th scope="col">${s.name}</th>`)}<th scope="col">All</th></tr></thead>
<tbody>${[...checks.perDay].reverse().map((d) => html`<tr><th scope="row"><time datetime="${d.day}">${shortDay(d.day)}</time></th>${LEVEL_SERIES.map((s) => html`<td>${fmt(d[s.cls as keyof typeof LEVEL_LABEL])}</td>`)}<td>${fmt(d.low + d.medium + d.high)}</td></tr>`)}</tbody>
</table>`;
  return figure({ id: 'checks', title: 'Checks per day', intro: desc, chart, legend: LEVEL_SERIES, table });
}

function signs(checks: CheckSummary, labels: InsightLabels): SafeHtml {
  const all = checks.totals.all;
  const top = checks.signs.slice(0, TOP_SIGNS);
  const desc =
    top.length === 0
      ? 'No warning sign was found in the checks of this period.'
      : `The signs found most often, in ${plural(all, 'check', 'checks')}: ${top
          .slice(0, 3)
          .map((s) => `${labels.sign(s.id)} (${fmt(s.count)}, ${percent(s.count, all)})`)
          .join('; ')}.`;
  const chart = barChart({ id: 'chart-signs', title: 'The most common warning signs', desc, bars: top.map((s) => ({ label: labels.sign(s.id), value: s.count })), cls: 'sign', emptyText: 'No warning sign in this period' });
  const table = countTable('Checks that showed each sign (a check can show several)', 'Warning sign', checks.signs.map((s) => ({ label: labels.sign(s.id), count: s.count })), all);
  return figure({ id: 'signs', title: 'The most common warning signs', intro: 'How many checks showed each sign. A check can show several signs.', chart, table });
}

function highRisk(checks: CheckSummary, labels: InsightLabels, answer: string): SafeHtml {
  const counted: Counted[] = checks.high[answer] ?? [];
  const high = checks.totals.high;
  const title = TALLY_TITLE[answer] ?? `High-risk offers by ${answer.replaceAll('_', ' ')}`;
  const desc =
    counted.length === 0
      ? 'No check had a high result in this period.'
      : `Of ${plural(high, 'high-risk offer', 'high-risk offers')}: ${counted
          .slice(0, 3)
          .map((c) => `${labels.option(answer, c.id)} ${fmt(c.count)}`)
          .join(', ')}${counted.length > 3 ? ', and others' : ''}.`;
  const chart = barChart({ id: `chart-high-${answer}`, title, desc, bars: counted.map((c) => ({ label: labels.option(answer, c.id), value: c.count })), cls: 'high', emptyText: 'No high-risk offer in this period' });
  const table = countTable(`${title} (checks with a high result)`, 'Answer', counted.map((c) => ({ label: labels.option(answer, c.id), count: c.count })), high);
  return figure({ id: `high-${answer}`, title, intro: 'Checks with a high result, by the answer the person gave.', chart, table });
}

function claims(c: ClaimTimes, period: PeriodDays, claimMinutes: number): SafeHtml {
  const summary =
    c.claimed === 0
      ? `No case opened in the last ${period} days was claimed yet.`
      : `${plural(c.claimed, 'case', 'cases')} opened in the last ${period} days ${c.claimed === 1 ? 'was' : 'were'} claimed: half within ${formatDuration(c.medianMs ?? 0)}, 9 in 10 within ${formatDuration(c.p90Ms ?? 0)}.`;
  const rest = [c.waiting > 0 ? `${plural(c.waiting, 'case is', 'cases are')} still waiting` : '', c.closedUnclaimed > 0 ? `${plural(c.closedUnclaimed, 'case was', 'cases were')} closed without a claim` : '']
    .filter(Boolean)
    .join('; ');
  const desc = `${summary}${rest ? ` ${rest[0]?.toUpperCase()}${rest.slice(1)}.` : ''}`;
  const chart = columnChart({
    id: 'chart-claims',
    title: 'Time to claim a case',
    desc,
    series: [{ name: 'Cases', cls: 'claim' }],
    columns: c.buckets.map((b) => ({ label: b.short, values: [b.count] })),
    emptyText: 'No case was claimed in this period',
  });
  const table = countTable('Cases by the time from opening to the first claim', 'Claimed within', c.buckets.map((b) => ({ label: b.label, count: b.count })), c.claimed);
  return figure({
    id: 'claims',
    title: 'Time to claim a case',
    intro: html`${desc} Urgent and high cases are overdue after ${claimMinutes} min. Cases whose person erased their data count here too: they keep only their times.`,
    chart,
    table,
  });
}

function recruiters(groups: RecruiterGroup[]): SafeHtml {
  const desc =
    groups.length === 0
      ? 'No recruiter has a report that counts.'
      : `The most reported: ${groups
          .slice(0, 3)
          .map((g) => `${keyLabel(g.key)} (${plural(g.reporters, 'person', 'people')})`)
          .join('; ')}.`;
  const chart = barChart({ id: 'chart-recruiters', title: 'Reports per recruiter, the top 10', desc, bars: groups.map((g) => ({ label: keyLabel(g.key), value: g.reporters })), cls: 'report', emptyText: 'No recruiter has a report that counts' });
  const table =
    groups.length === 0
      ? html`<p class="empty">No recruiter has a report that counts.</p>`
      : html`<table class="data"><caption>The ten recruiters most people reported</caption>
<thead><tr><th scope="col">Recruiter</th><th scope="col">People who reported</th><th scope="col">Reports</th></tr></thead>
<tbody>${groups.map((g) => html`<tr><th scope="row"><a href="${recruiterHref(g.key)}">${keyLabel(g.key)}</a></th><td>${fmt(g.reporters)}</td><td>${fmt(g.reports)}</td></tr>`)}</tbody>
</table>`;
  return figure({
    id: 'recruiters',
    title: 'Reports per recruiter',
    intro: html`People with a report that counts, over every kept report (2 years), not only this period; as on the <a href="/console/reports">Reports</a> page, never who reported.`,
    chart,
    table,
  });
}

/** The dashboard page for one period. */
export function insightsPage(p: { ctx: PageContext; staff: PageStaff; data: InsightData; labels: InsightLabels }): string {
  const { data, labels } = p;
  const periods = html`<nav class="periods" aria-label="Period">${PERIODS.map((d) =>
    d === data.period ? html`<a href="/console/insights?days=${d}" aria-current="page">${d} days</a>` : html`<a href="/console/insights?days=${d}">${d} days</a>`,
  )}</nav>`;
  const main = html`<h1>Insights</h1>
<p>What the checks, cases and reports of the last ${data.period} days say about recruitment. Counts only: no person, no conversation, nothing anyone wrote. A check is counted when it finishes, as a number for its day; erasing one's data removes everything that leads to the person, and leaves that number.</p>
${periods}
<div class="insights">
${checksPerDay(data.checks, data.period)}
${signs(data.checks, labels)}
${labels.tallied.map((answer) => highRisk(data.checks, labels, answer))}
${claims(data.claims, data.period, p.ctx.claimMinutes)}
${recruiters(data.recruiters)}
</div>`;
  return layout({ title: 'Insights', staff: p.staff, ctx: p.ctx, main });
}
