// report.html in a real browser (headless Chromium through playwright-core): it renders every section and its
// charts, logs no error, makes no network request at all, and hostile values planted in the exports (HTML in
// customer names, city and a product name) show as text without running. A screenshot goes to
// test-artifacts/report.png for a human to look at. Without Chromium the test is skipped loudly, or fails when
// CRA_REQUIRE_BROWSER=1 (CI installs Chromium and sets it).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { SECTIONS } from '../../src/stages/report/index.js';
import { repoRoot, tempDir } from '../helpers.js';
import { generatedRun, XSS_IMG, XSS_SCRIPT, type GeneratedRun } from './generated-run.js';

const CHROMIUM = [process.env.CRA_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
const REQUIRED = process.env.CRA_REQUIRE_BROWSER === '1';
if (!CHROMIUM && !REQUIRED) {
  console.warn('\n⚠⚠⚠ report-browser.test.ts SKIPPED: no Chromium at /usr/bin/chromium (set CRA_CHROMIUM=<path> or install it; CI sets CRA_REQUIRE_BROWSER=1) ⚠⚠⚠\n');
}

interface PageFindings {
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  requests: string[];
}

describe('report.html in headless Chromium', () => {
  let run: GeneratedRun;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    if (!CHROMIUM) return;
    run = await generatedRun({ xss: true });
    context = await chromium.launchPersistentContext(tempDir('cra-chromium-'), {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await context?.close();
  });

  it.runIf(REQUIRED && !CHROMIUM)('needs Chromium (CRA_REQUIRE_BROWSER=1)', () => {
    throw new Error('CRA_REQUIRE_BROWSER=1 but no Chromium was found at /usr/bin/chromium or CRA_CHROMIUM: install it (apt-get install chromium) or unset CRA_REQUIRE_BROWSER');
  });

  it.skipIf(!CHROMIUM)('renders every section and its charts offline, with no errors, and escapes hostile values', async () => {
    const file = path.join(run.latest, 'report.html');
    const url = pathToFileURL(file).href;
    const found: PageFindings = { consoleErrors: [], pageErrors: [], dialogs: [], requests: [] };
    const page = await context!.newPage();
    page.on('console', (m) => { if (m.type() === 'error') found.consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => found.pageErrors.push(e.message));
    page.on('dialog', (d) => { found.dialogs.push(d.message()); void d.dismiss(); });
    page.on('request', (r) => { if (r.url() !== url) found.requests.push(r.url()); });
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: 'load' });

    const ids = await page.$$eval('main > section', (s) => s.map((x) => x.id));
    expect(ids).toEqual(SECTIONS.map((s) => s.id));
    const navTargets = await page.$$eval('nav a', (a) => a.map((x) => x.getAttribute('href')));
    expect(navTargets).toEqual(ids.map((id) => `#${id}`));

    const charts = await page.$$eval('figure.chart svg', (svgs) => svgs.map((s) => {
      const box = s.getBoundingClientRect();
      return { width: box.width, height: box.height, marks: s.querySelectorAll('path, line, text').length, section: s.closest('section')?.id };
    }));
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(40);
      expect(c.marks).toBeGreaterThan(5);
    }
    for (const id of ['summary', 'data-quality', 'identity', 'customers']) expect(charts.some((c) => c.section === id), id).toBe(true);

    // Hostile values are shown as text: the city in the city table, the product in the product table and chart.
    expect(await page.locator('#customers table').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining(XSS_SCRIPT)]));
    expect(await page.locator('#customers table').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining(XSS_IMG)]));
    const labels = await page.$$eval('#customers svg text', (t) => t.map((x) => x.textContent));
    expect(labels, labels.filter((l) => l?.includes('<')).join(' | ')).toContain(XSS_IMG);
    // Evaluated in the page (a string, so this Node-typed file needs no DOM types).
    expect(await page.evaluate(`({ scripts: document.scripts.length, images: document.images.length,
                                    handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length })`))
      .toEqual({ scripts: 0, images: 0, handlers: 0 });
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain(XSS_IMG);

    mkdirSync(path.join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'report.png'), fullPage: true });
    await page.close();

    expect(found).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], requests: [] });
  });
});
