// Report charts: the SVG Vega draws must say what the data says (bar heights proportional to values, cumulative
// shares, one cell per value), escape every label, reach nothing outside the file, and keep ids unique per page.
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { barChart, heatmap, histogram, lineChart, paretoChart, renderChart, scatterChart } from '../../src/report/charts.js';

const XSS = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';

/** Heights of the bar marks (`d="Mx,yh{w}v{h}h-{w}Z"` as Vega writes rects), in drawing order. */
function barHeights(svg: string): number[] {
  return [...svg.matchAll(/aria-roledescription="bar" d="M[-\d.]+,[-\d.]+h[-\d.]+v([-\d.]+)h/g)].map((m) => Number(m[1]));
}

/** Text nodes of the SVG, as written (still escaped). */
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

function expectSelfContained(svg: string): void {
  expect(svg).not.toMatch(/<script/i);
  expect(svg).not.toMatch(/<img/i);
  expect(svg).not.toMatch(/@font-face|@import/i);
  // No event-handler attribute on any element (escaped text inside attribute values does not count).
  const attributes = [...svg.matchAll(/<[a-zA-Z][^>]*>/g)].flatMap((tag) => [...tag[0].matchAll(/\s([a-zA-Z:-]+)="[^"]*"/g)].map((a) => a[1]!));
  expect(attributes.filter((name) => /^on/i.test(name))).toEqual([]);
  // The only absolute URLs are the SVG and XLink namespace names, which browsers never fetch.
  const urls = [...svg.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]);
  expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
}

describe('report charts', () => {
  it('draws bars proportional to the values and escapes labels', async () => {
    const svg = (await barChart([{ label: XSS, value: 30 }, { label: 'b & "c"', value: 60 }, { label: IMG, value: 15 }],
      { title: `t ${XSS}`, labelTitle: 'label', valueTitle: 'value' })).html;
    const heights = barHeights(svg);
    expect(heights).toHaveLength(3);
    // 60 is the largest value: the other bars are exactly half and a quarter of its height.
    expect(heights[0]! / heights[1]!).toBeCloseTo(0.5, 2);
    expect(heights[2]! / heights[1]!).toBeCloseTo(0.25, 2);
    expectSelfContained(svg);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(texts(svg)).toContain('b &amp; "c"');
    expect(svg).toContain('<figcaption>t &lt;script&gt;alert(1)&lt;/script&gt;</figcaption>');
  });

  it('stacks series in the order given', async () => {
    const svg = (await barChart([
      { label: 'shop', series: 'loaded', value: 90 }, { label: 'shop', series: 'rejected', value: 10 },
      { label: 'crm', series: 'loaded', value: 50 }, { label: 'crm', series: 'rejected', value: 0 },
    ], { title: 'rows', labelTitle: 'source', valueTitle: 'rows', horizontal: true, seriesOrder: ['loaded', 'rejected'], seriesColors: ['#111111', '#ee0000'] })).html;
    const widths = [...svg.matchAll(/aria-roledescription="bar" d="M[-\d.]+,[-\d.]+h([-\d.]+)v/g)].map((m) => Number(m[1]));
    const fills = [...svg.matchAll(/aria-roledescription="bar" d="[^"]+" fill="([^"]+)"/g)].map((m) => m[1]);
    const byColour = (c: string): number => widths.filter((_w, i) => fills[i] === c).reduce((s, w) => s + w, 0);
    // loaded 140 vs rejected 10 rows: the widths drawn in each colour are in that ratio.
    expect(byColour('#111111') / byColour('#ee0000')).toBeCloseTo(14, 1);
  });

  it('plots the cumulative share on a Pareto chart, largest first', async () => {
    const svg = (await paretoChart([{ label: 'a', value: 20 }, { label: 'b', value: 50 }, { label: 'c', value: 30 }],
      { title: 'p', labelTitle: 'item', valueTitle: 'revenue' })).html;
    const shares = [...svg.matchAll(/aria-label="item: (\w); cumulative share: (\d+)%"/g)].map((m) => `${m[1]}=${m[2]}`);
    expect([...new Set(shares)]).toEqual(['b=50', 'c=80', 'a=100']);
    expect(barHeights(svg).map((x) => Math.round((x / barHeights(svg)[0]!) * 100))).toEqual([100, 60, 40]);
  });

  it('draws one heatmap cell per value and leaves missing cells blank', async () => {
    const svg = (await heatmap([
      { x: '0', y: '2024-01', value: 1 }, { x: '1', y: '2024-01', value: 0.4 }, { x: '0', y: '2024-02', value: 1 }, { x: '1', y: '2024-02', value: null },
    ], { title: 'cohorts', xTitle: 'month', yTitle: 'cohort', valueTitle: 'retained', format: '.0%' })).html;
    const cells = [...svg.matchAll(/aria-label="month: (\d); cohort: ([\d-]+); retained: (\d+)%"/g)].map((m) => `${m[2]}/${m[1]}=${m[3]}`);
    expect(cells.sort()).toEqual(['2024-01/0=100', '2024-01/1=40', '2024-02/0=100']);
    expect(texts(svg)).toEqual(expect.arrayContaining(['100%', '40%']));
    expect(svg).toMatch(/discrete scale with 2 values: 0, 1/); // the empty column keeps its place
  });

  it('caps scatter points deterministically and says so', async () => {
    const points = Array.from({ length: 3000 }, (_v, i) => ({ x: i, y: (i * 37) % 101, category: i % 2 ? 'odd' : 'even' }));
    const a = (await scatterChart(points, { title: 's', xTitle: 'x', yTitle: 'y', categoryTitle: 'parity', maxPoints: 1000 })).html;
    const b = (await scatterChart(points, { title: 's', xTitle: 'x', yTitle: 'y', categoryTitle: 'parity', maxPoints: 1000 })).html;
    const group = a.slice(a.indexOf('mark-symbol role-mark marks'));
    const symbols = group.slice(0, group.indexOf('</g>')).match(/<path /g) ?? [];
    expect(symbols).toHaveLength(1000);
    // Every 3rd row from the first: the drawn x positions are rows 0, 3, 6, … on a linear axis.
    const xs = [...group.matchAll(/<path transform="translate\(([-\d.]+),/g)].slice(0, 3).map((m) => Number(m[1]));
    expect((xs[2]! - xs[1]!) / (xs[1]! - xs[0]!)).toBeCloseTo(1, 6);
    expect(a).toContain('1000 of 3000 points shown (1 in 3, in row order).');
    expect(a.replace(/chart\d+-/g, '')).toBe(b.replace(/chart\d+-/g, ''));
  });

  it('draws histogram bars over the given bins and lines with a point per value', async () => {
    const hist = (await histogram([{ start: 0, end: 30, count: 10 }, { start: 30, end: 60, count: 40 }], { title: 'h', xTitle: 'days' })).html;
    const heights = barHeights(hist);
    expect(heights[1]! / heights[0]!).toBeCloseTo(4, 2);
    const line = (await lineChart([{ x: '2024-01-01', y: 5 }, { x: '2024-02-01', y: 7 }, { x: '2024-03-01', y: 6 }],
      { title: 'l', xTitle: 'month', yTitle: 'revenue', xType: 'temporal', monthly: true })).html;
    expect(line.match(/aria-roledescription="point"/g)).toHaveLength(3);
    expect(texts(line)).toEqual(expect.arrayContaining(['Jan 2024', 'Feb 2024', 'Mar 2024']));
    expectSelfContained(line);
  });

  it('says so instead of drawing an empty chart', async () => {
    expect((await barChart([], { title: 'none', labelTitle: 'a', valueTitle: 'b' })).html).toContain('<p class="empty">Nothing to chart.</p>');
  });

  it('gives every chart its own ids and fetches nothing', async () => {
    const cell = [{ x: 'a', y: 'b', value: 1 }, { x: 'c', y: 'b', value: 2 }];
    const one = (await heatmap(cell, { title: '1', xTitle: 'x', yTitle: 'y', valueTitle: 'v' })).html;
    const two = (await heatmap(cell, { title: '2', xTitle: 'x', yTitle: 'y', valueTitle: 'v' })).html;
    const ids = (svg: string): string[] => [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids(one).length).toBeGreaterThan(0);
    expect(ids(one).filter((id) => ids(two).includes(id))).toEqual([]);
    for (const id of ids(one)) expect(one).toContain(`url(#${id})`);
    const remote = { data: { url: 'https://example.com/data.csv' }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' } } } as TopLevelSpec;
    await expect(renderChart(remote, { title: 'remote' })).rejects.toThrow(/load nothing from elsewhere/);
    // A value that merely looks like a key or a URL is data, drawn as text.
    const svg = (await barChart([{ label: 'url', value: 1 }, { label: 'https://example.com/', value: 2 }], { title: 'u', labelTitle: 'a', valueTitle: 'b' })).html;
    expect(texts(svg)).toEqual(expect.arrayContaining(['url', 'https://example.com/']));
  });
});
