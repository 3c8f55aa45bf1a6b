/**
 * Small, safe HTML building blocks for the report. Every value from the data goes through `escapeHtml` (a
 * customer called `<script>alert(1)</script>` renders as text); structure is built from trusted fragments only.
 * The stylesheet is inline so report.html is one self-contained file that makes no network request.
 */

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A trusted HTML fragment (already escaped or built from literals). */
export interface Html {
  readonly html: string;
}

export const raw = (html: string): Html => ({ html });

export function h(tag: string, attrs: Record<string, string> = {}, ...children: (Html | string | number | null | undefined)[]): Html {
  const attributes = Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('');
  const inner = children.map((c) => (c === null || c === undefined ? '' : typeof c === 'object' ? c.html : escapeHtml(c))).join('');
  return raw(`<${tag}${attributes}>${inner}</${tag}>`);
}

export function formatNumber(value: unknown, digits = 0): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `digits: 'auto'` prints whole numbers without decimals and others with up to four. */
export function table<T extends object>(columns: { key: string; label: string; digits?: number | 'auto' }[], rows: readonly T[]): Html {
  const head = h('tr', {}, ...columns.map((c) => h('th', {}, c.label)));
  const body = rows.map((row) =>
    h('tr', {}, ...columns.map((c) => {
      const v = (row as Record<string, unknown>)[c.key];
      // Short text (codes, ranges like 1–2) stays on one line; long text wraps.
      if (typeof v !== 'number') return h('td', String(v ?? '').length <= 16 ? { class: 'short' } : {}, v === null || v === undefined ? '—' : String(v));
      const text = c.digits === 'auto'
        ? (Number.isInteger(v) ? formatNumber(v) : v.toLocaleString('en-GB', { maximumFractionDigits: 4 }))
        : formatNumber(v, c.digits ?? 0);
      return h('td', { class: 'num' }, text);
    })),
  );
  return h('table', {}, h('thead', {}, head), h('tbody', {}, ...body));
}

/** A report section; `empty` replaces the content with a plain sentence when there is nothing to show. */
export function section(id: string, title: string, content: Html[], empty?: string): Html {
  return h('section', { id }, h('h2', {}, title), ...(empty ? [h('p', { class: 'empty' }, empty)] : content));
}

export const STYLE = `
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #2f6fab; --warn: #b45309; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #f8fafc; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 0 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px 20px; margin-bottom: 20px; page-break-inside: avoid; }
.meta, .empty { color: var(--muted); }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.kpi .value { font-size: 22px; font-weight: 600; } .kpi .label { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: auto; min-width: 60%; max-width: 100%; font-size: 14px; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f1f5f9; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td.short { white-space: nowrap; }
.status-warn { color: var(--warn); } .status-fail, .status-failed { color: var(--bad); font-weight: 600; }
nav a { margin-right: 12px; color: var(--accent); }
h3 { font-size: 16px; margin: 20px 0 8px; }
figure.chart { margin: 16px 0 20px; break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
.chart-note { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
.headline { margin: 16px 0 0; padding-left: 20px; } .headline li { margin: 4px 0; }
details { margin-top: 12px; } summary { cursor: pointer; color: var(--accent); }
@media print { body { background: #fff; } main { max-width: none; padding: 0; } section { border: none; padding: 0; } nav { display: none; }
  details::details-content { content-visibility: visible; display: block; } summary { list-style: none; color: var(--ink); font-weight: 600; } }
`;

export function page(title: string, subtitle: string, nav: { id: string; label: string }[], sections: Html[]): string {
  const navigation = h('nav', {}, ...nav.map((n) => h('a', { href: `#${n.id}` }, n.label)));
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`
    + `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>`
    + h('header', {}, h('h1', {}, title), h('p', { class: 'meta' }, subtitle), navigation).html
    + sections.map((s) => s.html).join('\n')
    + `</main></body></html>\n`;
}
