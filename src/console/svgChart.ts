/**
 * Charts as SVG drawn on the server: no script, no inline style (the console's CSP forbids both),
 * colours from console.css classes, so that they follow the light and dark themes.
 *
 * Every chart is an image with a name and a description (`role="img"`, `<title>`, `<desc>`); the
 * page puts the numbers next to it in a table. The drawing is 320 units wide, about what a
 * 360 px phone has for it, so that its text keeps its size there; wider screens show it at most
 * 30rem wide.
 * Every text goes through the `html` tag: a label is escaped like any other value.
 */
import { html, type SafeHtml } from './html.js';

const WIDTH = 320;
/** Characters of a bar's label that fit on one line of the drawing; longer ones end in "…" (the table has them whole). */
const LABEL_CHARS = 44;

/** One stacked series of a column chart: its name and the class modifier that colours it (`chart-s--high`). */
export interface Series {
  name: string;
  cls: string;
}

/** What every chart has: an id (unique on the page, for its title and description), a title and a description. */
interface ChartBase {
  id: string;
  title: string;
  /** The chart in a sentence or two, for those who cannot see it. */
  desc: string;
}

const fmt = (n: number) => n.toLocaleString('en-GB');

/** Steps of 1, 2 or 5 times a power of ten: at most `most` steps from 0 reach `max`. */
export function axisSteps(max: number, most = 4): number[] {
  if (!(max > 0)) return [0];
  let step = 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((m) => m * magnitude).find((s) => Math.ceil(max / s) <= most);
    if (found) {
      step = found;
      break;
    }
  }
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => i * step);
}

/** The frame: `<svg>` with its name and description; `body` is drawn inside. */
function frame(c: ChartBase, height: number, body: SafeHtml | SafeHtml[]): SafeHtml {
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${c.id}-title ${c.id}-desc" focusable="false" xmlns="http://www.w3.org/2000/svg">
<title id="${c.id}-title">${c.title}</title>
<desc id="${c.id}-desc">${c.desc}</desc>
${body}
</svg>`;
}

/** A chart with nothing to draw: the frame and one sentence, so that the page keeps its shape. */
function empty(c: ChartBase, message: string): SafeHtml {
  return frame(c, 64, html`<text class="chart-empty" x="${WIDTH / 2}" y="36" text-anchor="middle">${message}</text>`);
}

/** Which of `n` columns get a label under them: all when they fit, else `most` spread evenly, the first and the last included. */
function labelled(n: number, most: number): Set<number> {
  if (n <= most) return new Set(Array.from({ length: n }, (_, i) => i));
  return new Set(Array.from({ length: most }, (_, i) => Math.round((i * (n - 1)) / (most - 1))));
}

/**
 * A label of one or two lines (split at a line break) under a column, centred on it; `anchor`
 * `start` or `end` keeps the first and last label of thin columns inside the drawing.
 */
function columnLabel(x: number, y: number, label: string, anchor: 'start' | 'middle' | 'end'): SafeHtml {
  const [first = '', second] = label.split('\n');
  return html`<text class="chart-axis" x="${x.toFixed(1)}" y="${y}" text-anchor="${anchor}">${first}${second !== undefined ? html`<tspan x="${x.toFixed(1)}" dy="13">${second}</tspan>` : ''}</text>`;
}

/**
 * Columns, one per category (a day, a range of times), each a stack of its series' values from
 * the bottom up in the order of `series`. `labels`: at most this many columns are named under the axis.
 */
export function columnChart(c: ChartBase & { series: Series[]; columns: Array<{ label: string; values: number[] }>; labels?: number; emptyText?: string }): SafeHtml {
  const totals = c.columns.map((col) => col.values.reduce((a, b) => a + Math.max(0, b), 0));
  const max = Math.max(0, ...totals);
  if (c.columns.length === 0 || max === 0) return empty(c, c.emptyText ?? 'Nothing to show for this period');
  const twoLines = c.columns.some((col) => col.label.includes('\n'));
  const [left, right, top, bottom] = [34, 6, 8, twoLines ? 34 : 22];
  const height = 190;
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottom;
  const steps = axisSteps(max);
  const scale = plotH / (steps.at(-1) ?? max);
  const slot = plotW / c.columns.length;
  // A gap between columns while there is room for one; 90 days leave thin columns that touch.
  const barW = slot >= 6 ? slot * 0.78 : slot;
  const yOf = (v: number) => top + plotH - v * scale;
  const shown = labelled(c.columns.length, c.labels ?? 6);
  const grid = steps.map(
    (s) => html`<line class="chart-grid" x1="${left}" x2="${WIDTH - right}" y1="${yOf(s).toFixed(1)}" y2="${yOf(s).toFixed(1)}"/><text class="chart-axis" x="${left - 5}" y="${(yOf(s) + 4).toFixed(1)}" text-anchor="end">${fmt(s)}</text>`,
  );
  const columns = c.columns.map((col, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let base = 0;
    const parts = c.series.map((s, j) => {
      const v = Math.max(0, col.values[j] ?? 0);
      if (v === 0) return '';
      const y = yOf(base + v);
      base += v;
      return html`<rect class="chart-s chart-s--${s.cls}" x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${barW.toFixed(2)}" height="${(v * scale).toFixed(2)}"/>`;
    });
    const tip = `${col.label.replace('\n', ' ')}: ${c.series.map((s, j) => `${s.name} ${fmt(col.values[j] ?? 0)}`).join(', ')}`;
    // A label wider than its column would stick out at the ends of the axis.
    const thin = slot < 30;
    const [at, anchor] = thin && i === 0 ? [x, 'start' as const] : thin && i === c.columns.length - 1 ? [x + barW, 'end' as const] : [x + barW / 2, 'middle' as const];
    return html`<g><title>${tip}</title>${parts}${shown.has(i) ? columnLabel(at, height - bottom + 14, col.label, anchor) : ''}</g>`;
  });
  return frame(c, height, [...grid, html`<line class="chart-baseline" x1="${left}" x2="${WIDTH - right}" y1="${yOf(0)}" y2="${yOf(0)}"/>`, ...columns]);
}

/** A label that fits one line of the drawing: a long one is cut after a whole word (if one ends near the limit) and ends in "…". */
function shorten(label: string): string {
  if (label.length <= LABEL_CHARS) return label;
  const cut = label.slice(0, LABEL_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > LABEL_CHARS - 14 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Horizontal bars, one per row, the label above its bar and the value after it, in the order given. */
export function barChart(c: ChartBase & { bars: Array<{ label: string; value: number }>; cls?: string; emptyText?: string }): SafeHtml {
  const max = Math.max(0, ...c.bars.map((b) => b.value));
  if (c.bars.length === 0 || max === 0) return empty(c, c.emptyText ?? 'Nothing to show for this period');
  const row = 38;
  const valueRoom = 44;
  const plotW = WIDTH - valueRoom;
  const rows = c.bars.map((b, i) => {
    const y = 4 + i * row;
    const w = Math.max(b.value > 0 ? 2 : 0, (Math.max(0, b.value) / max) * plotW);
    const label = shorten(b.label);
    return html`<g><title>${b.label}: ${fmt(b.value)}</title>
<text class="chart-label" x="0" y="${y + 12}">${label}</text>
<rect class="chart-s chart-s--${c.cls ?? 'bar'}" x="0" y="${y + 18}" width="${w.toFixed(2)}" height="14"/>
<text class="chart-value" x="${(w + 5).toFixed(2)}" y="${y + 30}">${fmt(b.value)}</text></g>`;
  });
  return frame(c, c.bars.length * row + 4, rows);
}
