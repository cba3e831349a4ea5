/**
 * The console's SVG charts (src/console/svgChart.ts): named and described for screen readers,
 * every text escaped, a sentence instead of an empty drawing, one bar or one column drawn whole,
 * and nothing outside the 320-unit drawing.
 */
import { describe, expect, it } from 'vitest';
import { axisSteps, barChart, columnChart } from '../../src/console/svgChart.js';

const LEVELS = [
  { name: 'High', cls: 'high' },
  { name: 'Medium', cls: 'medium' },
  { name: 'Low', cls: 'low' },
];

/** The attributes of every element named `tag`, as numbers where they are numbers. */
function elements(svg: string, tag: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) => Object.fromEntries([...(m[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1] ?? '', a[2] ?? ''])));
}

describe('bar chart', () => {
  it('escapes labels, title and description, and keeps the whole label in the bar\'s tooltip', () => {
    const svg = barChart({
      id: 'x',
      title: 'Signs <b>& more</b>',
      desc: '"Quoted" & <script>alert(1)</script>',
      bars: [{ label: '<img src=x onerror=alert(1)> "Online" job & more', value: 3 }],
    }).html;
    expect(svg).not.toMatch(/<script|<img|<b>/);
    expect(svg).toContain('<title id="x-title">Signs &lt;b&gt;&amp; more&lt;/b&gt;</title>');
    expect(svg).toContain('<desc id="x-desc">&quot;Quoted&quot; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</desc>');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;Online&quot; job &amp; more');
  });

  it('is an image named by its title and description', () => {
    const svg = barChart({ id: 'signs', title: 'T', desc: 'D', bars: [{ label: 'a', value: 1 }] }).html;
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 320 \d+" role="img" aria-labelledby="signs-title signs-desc"/);
  });

  it('draws one bar across the width left after its value, with the value written', () => {
    const svg = barChart({ id: 'one', title: 'T', desc: 'D', bars: [{ label: 'Saudi Arabia', value: 1234 }], cls: 'high' }).html;
    const rects = elements(svg, 'rect');
    expect(rects).toHaveLength(1);
    expect(rects[0]).toMatchObject({ class: 'chart-s chart-s--high', x: '0', width: '276.00' });
    expect(svg).toContain('>1,234</text>');
    expect(svg).toContain('>Saudi Arabia</text>');
  });

  it('draws bars in proportion, in the order given, and shortens a long label on the drawing only', () => {
    const long = 'Household work in the Middle East outside the official route, and more words';
    const svg = barChart({ id: 'b', title: 'T', desc: 'D', bars: [{ label: 'a', value: 4 }, { label: long, value: 1 }, { label: 'none', value: 0 }] }).html;
    const widths = elements(svg, 'rect').map((r) => Number(r.width));
    expect(widths).toEqual([276, 69, 0]);
    expect(svg).toContain(`<title>${long}: 1</title>`);
    expect(svg).toMatch(/>Household work in the Middle East outside…<\/text>/);
  });

  it('says there is nothing to show instead of drawing empty bars', () => {
    for (const bars of [[], [{ label: 'a', value: 0 }]]) {
      const svg = barChart({ id: 'e', title: 'T', desc: 'Nothing.', bars, emptyText: 'No warning sign in this period' }).html;
      expect(elements(svg, 'rect')).toEqual([]);
      expect(svg).toContain('<text class="chart-empty" x="160" y="36" text-anchor="middle">No warning sign in this period</text>');
      expect(svg).toContain('role="img"');
    }
  });
});

describe('column chart', () => {
  it('stacks the series from the bottom up, within the drawing', () => {
    const svg = columnChart({ id: 'c', title: 'T', desc: 'D', series: LEVELS, columns: [{ label: '1 Mar', values: [2, 1, 1] }, { label: '2 Mar', values: [0, 0, 3] }] }).html;
    const rects = elements(svg, 'rect');
    expect(rects.map((r) => r.class)).toEqual(['chart-s chart-s--high', 'chart-s chart-s--medium', 'chart-s chart-s--low', 'chart-s chart-s--low']);
    const [high, medium] = rects;
    // The high part sits on the baseline, the medium part right above it.
    expect(Number(medium?.y) + Number(medium?.height)).toBeCloseTo(Number(high?.y), 1);
    for (const r of rects) {
      expect(Number(r.x) + Number(r.width)).toBeLessThanOrEqual(320);
      expect(Number(r.y)).toBeGreaterThanOrEqual(0);
    }
    expect(svg).toContain('<title>1 Mar: High 2, Medium 1, Low 1</title>');
  });

  it('draws one column whole, with its label and an axis that reaches it', () => {
    const svg = columnChart({ id: 'one', title: 'T', desc: 'D', series: [{ name: 'Cases', cls: 'claim' }], columns: [{ label: '< 5\nmin', values: [7] }] }).html;
    expect(elements(svg, 'rect')).toHaveLength(1);
    expect(svg).toMatch(/>&lt; 5<tspan x="[\d.]+" dy="13">min<\/tspan><\/text>/);
    expect(svg).toContain('text-anchor="end">8</text>');
  });

  it('names at most the columns that fit under 90 days, the first and the last among them', () => {
    const columns = Array.from({ length: 90 }, (_, i) => ({ label: `day ${i + 1}`, values: [1, 0, 0] }));
    const svg = columnChart({ id: 'n', title: 'T', desc: 'D', series: LEVELS, columns, labels: 5 }).html;
    const named = [...svg.matchAll(/text-anchor="middle">(day \d+)</g)].map((m) => m[1]);
    expect(named).toEqual(['day 23', 'day 46', 'day 68']);
    // The first and the last column's labels start and end at their column, inside the drawing.
    const ends = [...svg.matchAll(/<text class="chart-axis" x="([\d.]+)" y="\d+" text-anchor="(start|end)">(day \d+)</g)].map((m) => [m[3], m[2], Number(m[1])]);
    expect(ends).toEqual([
      ['day 1', 'start', expect.any(Number)],
      ['day 90', 'end', expect.any(Number)],
    ]);
    expect(ends[0]?.[2]).toBeGreaterThanOrEqual(34);
    expect(ends[1]?.[2]).toBeLessThanOrEqual(320);
    expect(elements(svg, 'rect')).toHaveLength(90);
  });

  it('says there is nothing to show for no columns or only zeros', () => {
    expect(columnChart({ id: 'z', title: 'T', desc: 'D', series: LEVELS, columns: [] }).html).toContain('Nothing to show for this period');
    const zeros = columnChart({ id: 'z', title: 'T', desc: 'D', series: LEVELS, columns: [{ label: 'a', values: [0, 0, 0] }], emptyText: 'No check was finished in this period' }).html;
    expect(zeros).toContain('No check was finished in this period');
    expect(elements(zeros, 'rect')).toEqual([]);
  });

  it('steps its axis by 1, 2 or 5 times a power of ten, in at most four steps', () => {
    expect(axisSteps(0)).toEqual([0]);
    expect(axisSteps(1)).toEqual([0, 1]);
    expect(axisSteps(7)).toEqual([0, 2, 4, 6, 8]);
    expect(axisSteps(40)).toEqual([0, 10, 20, 30, 40]);
    expect(axisSteps(1234)).toEqual([0, 500, 1000, 1500]);
  });
});
