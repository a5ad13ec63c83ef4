/**
 * End-to-end tests of the web UI in headless Chromium (playwright-core
 * driving /usr/bin/chromium) against a running FlowLens fed by the demo
 * exporter (NetFlow v9, IPFIX and sFlow replayed to its listeners).
 * Screenshots of every page at desktop and phone widths, the first-load
 * size and the dashboard's first paint go to test/e2e/artifacts/.
 * Needs `npm run build:web` first and Debian's chromium; skips with the
 * install hint when chromium is missing (fails under FLOWLENS_REQUIRE_SYSTEM_TESTS=1).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createDemoExporter, type DemoExporter } from '../../src/demo/index.ts';
import { launchFlowLens, type LaunchedFlowLens } from '../../src/demo/launch.ts';
import { freeTcpPort } from '../../bench/common/free-port.ts';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, DIST, e2eMissing, PHONE, ROOT } from './browser.ts';

const FIRST_LOAD_BUDGET_BYTES = 400 * 1024;
const FIRST_PAINT_BUDGET_MS = 1000;

const missing = e2eMissing();

/** Bytes (gzip) of what the first load fetches: index.html, its script and stylesheet (the map and its atlas load later). */
function firstLoadGzipBytes(): { total: number; files: Record<string, number> } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
  const files: Record<string, number> = { '/index.html': gzipSync(html, { level: 9 }).length };
  for (const r of refs) files[r] = gzipSync(readFileSync(join(DIST, r)), { level: 9 }).length;
  return { total: Object.values(files).reduce((a, b) => a + b, 0), files };
}

describe('web UI', { skip: missing || false }, () => {
  let flowlens: LaunchedFlowLens;
  let demo: DemoExporter;
  let browser: Browser;
  let ctx: BrowserContext;
  const metrics: Record<string, unknown> = {};

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const [http, nf, ipfix, sflow] = [await freeTcpPort(), 20000 + Math.floor(Math.random() * 20000), 0, 0];
    const ports = { netflowPort: nf, ipfixPort: nf + 1, sflowPort: nf + 2 };
    void ipfix;
    void sflow;
    flowlens = await launchFlowLens({ root: ROOT, httpPort: http, ...ports });
    demo = createDemoExporter(
      { targets: { host: '127.0.0.1', ...ports }, backfillMinutes: 60 },
      {
        now: () => Date.now(),
        setInterval: (fn, ms) => setInterval(fn, ms),
        clearInterval: (h) => clearInterval(h),
      },
    );
    await demo.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    // bypassCSP: Playwright's waitForFunction evaluates strings, which the UI's CSP (rightly) forbids.
    ctx = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light', bypassCSP: true });
  });

  after(async () => {
    writeFileSync(join(ARTIFACTS, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    await ctx?.close();
    await browser?.close();
    await demo?.stop();
    await flowlens?.stop();
  });

  const shot = async (page: Page, name: string): Promise<void> => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  test('first load stays under 400 KB gzip', () => {
    const size = firstLoadGzipBytes();
    metrics.firstLoadGzipBytes = size;
    assert.ok(size.total < FIRST_LOAD_BUDGET_BYTES, `first load ${size.total} bytes gzip`);
  });

  test('without login nothing but the login page is shown', async () => {
    const page = await ctx.newPage();
    for (const path of ['/', '/explorer', '/exporters', '/hosts/10.20.10.10']) {
      await page.goto(flowlens.url + path);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal(await page.locator('nav[aria-label="Main"]').count(), 0);
    }
    const api = await page.evaluate<number>(`fetch('/api/v1/stats').then((r) => r.status)`);
    assert.equal(api, 401);
    await shot(page, 'login-desktop');
    await page.setViewportSize(PHONE);
    await shot(page, 'login-phone');
    await page.close();
  });

  test('log in; the dashboard shows live non-zero throughput within 3 s; first paint under 1 s', async () => {
    const page = await ctx.newPage();
    await page.goto(flowlens.url);
    await page.getByLabel('User name').fill(flowlens.username);
    await page.getByLabel('Password').fill(flowlens.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // A fresh load of the dashboard, logged in: first paint and live data.
    const t0 = Date.now();
    await page.goto(flowlens.url);
    // Browser-side code is passed as text: the test's own program has no DOM types.
    await page.waitForFunction(
      `(() => { const m = document.querySelector('[data-testid="live-bps"]')?.textContent?.match(/^([\\d.]+)\\s*\\w*bps$/); return !!m && Number(m[1]) > 0; })()`,
      undefined,
      { timeout: 3000 },
    );
    metrics.dashboardLiveDataMs = Date.now() - t0;
    const paint = await page.evaluate<{ name: string; ms: number }[]>(
      `performance.getEntriesByType('paint').map((e) => ({ name: e.name, ms: e.startTime }))`,
    );
    const fcp = paint.find((p) => p.name === 'first-contentful-paint')?.ms ?? Number.NaN;
    metrics.dashboardFirstContentfulPaintMs = Math.round(fcp);
    assert.ok(fcp < FIRST_PAINT_BUDGET_MS, `first contentful paint ${fcp} ms`);
    await page.close();
  });

  /** The number a stat shows ("12.3 Mbps" -> 12.3), in the page. */
  const statValue = (testId: string, unit: string): string =>
    `(() => { const m = document.querySelector('[data-testid="${testId}"]')?.textContent?.match(/^([\\d.]+)\\s*\\w*${unit}$/); return m ? Number(m[1]) : 0; })()`;

  test('the dashboard splits throughput in and out of the local networks, live and over history', async () => {
    const page = await ctx.newPage();
    await page.goto(flowlens.url);
    // The demo's clients (10.20.0.0/16) talk to servers abroad: both directions carry traffic.
    await page.waitForFunction(
      `${statValue('live-in-bps', 'bps')} > 0 && ${statValue('live-out-bps', 'bps')} > 0`,
    );
    assert.equal(
      await page.locator('section[aria-labelledby="tp"] .chart-legend').textContent(),
      'InOutTotal',
    );
    // Top sources: the hosts sending the most now (the demo's servers abroad send most to its clients).
    await page.getByRole('radio', { name: 'Sources' }).click();
    await page.waitForFunction(`document.querySelectorAll('ol[aria-label="Top sources"] li').length >= 3`);
    const firstSource = (await page.locator('ol[aria-label="Top sources"] li').first().textContent()) ?? '';
    assert.match(firstSource, /\d+(\.\d+)? [kMGT]?bps$/);
    metrics.dashboardTopSource = firstSource;
    await page.goto(`${flowlens.url}/?range=1h`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.waitForFunction(
      `${statValue('hist-in', 'B')} > 0 && ${statValue('hist-out', 'B')} > 0`,
      undefined,
      {
        timeout: 60_000,
      },
    );
    const text = async (id: string) => (await page.getByTestId(id).textContent()) ?? '';
    // Every panel is history now: the talkers are the range's busiest hosts, the demo's clients among them.
    await page.waitForFunction(
      `[...document.querySelectorAll('ol[aria-label="Top talkers"] li')].some((li) => li.textContent.includes('10.20.'))`,
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForFunction(
      `Number(document.querySelector('[data-testid="hist-hosts"]')?.textContent?.replace(/[^\\d.]/g, '') || 0) > 0`,
      undefined,
      { timeout: 60_000 },
    );
    metrics.dashboardHistory1h = {
      volume: await text('hist-volume'),
      in: await text('hist-in'),
      out: await text('hist-out'),
      hosts: await text('hist-hosts'),
    };
    await page.close();
  });

  test('dragging across a history chart zooms into that range; drill-downs keep it', async () => {
    const page = await ctx.newPage();
    await page.goto(`${flowlens.url}/?range=1h`);
    await page.waitForFunction(`${statValue('hist-volume', 'B')} > 0`, undefined, { timeout: 60_000 });
    // The demo backfilled the hour: select its middle third of the bits chart.
    const over = page.locator('section[aria-labelledby="tp"] .u-over');
    const box = await over.boundingBox();
    assert.ok(box && box.width > 100, 'the chart is drawn');
    const y = box.y + box.height / 2;
    const before = Date.now();
    await page.mouse.move(box.x + box.width / 3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + (box.width * 2) / 3, y, { steps: 8 });
    await page.mouse.up();
    await page.waitForURL(/range=custom/);
    const url = new URL(page.url());
    const from = Number(url.searchParams.get('from'));
    const to = Number(url.searchParams.get('to'));
    // A third of the hour (whole minutes, rounded outwards), inside the hour shown.
    assert.ok(to - from >= 15 * 60_000 && to - from <= 26 * 60_000, `span ${(to - from) / 60_000} min`);
    assert.ok(from >= before - 3_600_000 - 5 * 60_000 && to <= Date.now() + 60_000);
    assert.equal(await page.getByRole('radio', { name: 'Custom' }).isChecked(), true);
    await page.waitForFunction(`${statValue('hist-volume', 'B')} > 0`, undefined, { timeout: 60_000 });
    metrics.dashboardZoom = {
      minutes: (to - from) / 60_000,
      volume: await page.getByTestId('hist-volume').textContent(),
    };
    // A drill-down opens the explorer over the same fixed range.
    const app = page.locator('ol[aria-label="Top applications"] li a').first();
    await app.waitFor({ timeout: 60_000 });
    await app.click();
    await page.waitForURL(/\/explorer\?/);
    const ex = new URL(page.url());
    assert.equal(ex.searchParams.get('range'), 'custom');
    assert.equal(Number(ex.searchParams.get('from')), from);
    assert.equal(Number(ex.searchParams.get('to')), to);
    assert.equal(await page.getByRole('radio', { name: 'Custom' }).isChecked(), true);
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="flow-table"] tbody tr').length > 0`,
      undefined,
      { timeout: 120_000 },
    );
    // The fixed range can be typed in too: ten minutes earlier start.
    const form = page.getByTestId('explorer-range');
    const fromInput = form.locator('input[name="from"]');
    const shown = await fromInput.inputValue();
    const earlier = new Date(new Date(shown).getTime() - 10 * 60_000);
    const local = new Date(earlier.getTime() - earlier.getTimezoneOffset() * 60_000)
      .toISOString()
      .slice(0, 16);
    await fromInput.fill(local);
    await form.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((u) => Number(u.searchParams.get('from')) === from - 10 * 60_000);
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-custom-range.png') });
    // Back to a preset drops the fixed range.
    await page.getByRole('radio', { name: '1 h' }).click();
    await page.waitForURL((u) => u.searchParams.get('range') === '1h' && !u.searchParams.has('from'));
    await page.close();
  });

  test('the live tables: busiest hosts with their rates, largest active flows, a page at a time', async () => {
    const page = await ctx.newPage();
    await page.goto(`${flowlens.url}/hosts`);
    const rows = page.locator('[data-testid="hosts-table"] tbody tr');
    // A full first page (25 of the 100 busiest), the busiest moving traffic now.
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="hosts-table"] tbody tr').length === 25`,
      undefined,
      { timeout: 30_000 },
    );
    const top = await rows.first().locator('td').allTextContents();
    // Host, name, network, then the total rate.
    assert.match(top[3] ?? '', /^[\d.]+ [kMGT]?bps$/);
    assert.notEqual(top[3], '0 bps');
    metrics.hostsTopRow = top;
    await page.goto(`${flowlens.url}/flows`);
    await page.waitForFunction(`document.querySelectorAll('table tbody tr').length === 25`, undefined, {
      timeout: 30_000,
    });
    await page.getByRole('button', { name: 'Next' }).click();
    assert.equal(await page.locator('table tbody tr').count(), 25);
    await page.close();
  });

  test('the explorer filters', async () => {
    const page = await ctx.newPage();
    await page.goto(`${flowlens.url}/explorer?range=1h`);
    const input = page.getByLabel('Filter', { exact: true });
    await input.fill('proto udp');
    await input.press('Enter');
    await page.waitForURL(/filter=proto\+udp|filter=proto%20udp/);
    await page.waitForFunction(
      `(() => { const rows = [...document.querySelectorAll('[data-testid="flow-table"] tbody tr')]; return rows.length > 0 && rows.every((r) => r.textContent.includes('UDP') && !r.textContent.includes('TCP')); })()`,
      undefined,
      // Generous: the suite runs other files beside this one on two cores.
      { timeout: 120_000 },
    );
    const total = await page.getByTestId('flow-total').textContent();
    assert.match(total ?? '', /flows/);
    // Paging: the next page (fetched ahead) replaces the rows; the range says where we are.
    await page.getByRole('button', { name: 'Older' }).click();
    await page.waitForURL(/offset=50/);
    await page.waitForFunction(
      `document.querySelector('[data-testid="flow-range"]')?.textContent?.startsWith('51–100 of')`,
    );
    assert.equal(await page.locator('[data-testid="flow-table"] tbody tr').count(), 50);
    await page.close();
  });

  test("a report's CSV matches the API", async () => {
    const page = await ctx.newPage();
    await page.goto(`${flowlens.url}/reports?dims=dstCountry&range=1h`);
    await page.getByTestId('report-table').waitFor();
    const href = await page.getByTestId('export-csv').getAttribute('href');
    assert.ok(href);
    // The page's range is relative ("-1h") and the demo keeps sending: both requests get the same
    // absolute window, ending well in the past, so they answer over the same flows.
    const toMs = Date.now() - 10 * 60_000;
    const csvUrl = new URL(href, flowlens.url);
    csvUrl.searchParams.set('from', new Date(toMs - 3_600_000).toISOString());
    csvUrl.searchParams.set('to', new Date(toMs).toISOString());
    csvUrl.searchParams.set('limit', '1000');
    const csvHref = csvUrl.pathname + csvUrl.search;
    const apiUrl = new URL(csvUrl);
    apiUrl.pathname = '/api/v1/reports';
    apiUrl.searchParams.delete('format');
    // Both fetched by the logged-in page, with its session cookie.
    const result = await page.evaluate<{
      csv: string;
      json: { keys: Record<string, string | null>; sum: number; count: number }[];
    }>(
      `(async () => ({ csv: await (await fetch(${JSON.stringify(csvHref)})).text(), json: (await (await fetch(${JSON.stringify(apiUrl.pathname + apiUrl.search)})).json()).items }))()`,
    );
    const lines = result.csv.trim().split('\n');
    const header = (lines[0] ?? '').split(',');
    assert.deepEqual(header.slice(0, 2), ['dstCountry', 'sum']);
    const fromCsv = new Map(
      lines
        .slice(1)
        .map((l) => l.split(','))
        .map((c) => [c[0] ?? '', { sum: Number(c[1]), count: Number(c[header.indexOf('count')]) }]),
    );
    assert.equal(fromCsv.size, result.json.length);
    for (const row of result.json) {
      const k = row.keys.dstCountry ?? '';
      assert.equal(fromCsv.get(k)?.sum, row.sum, `sum of ${k}`);
      assert.equal(fromCsv.get(k)?.count, row.count, `count of ${k}`);
    }
    await page.close();
  });

  test('the map shows countries and located hosts; a click on a host explores its flows', async () => {
    const page = await ctx.newPage();
    await page.goto(`${flowlens.url}/map`);
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="worldmap"] path.country.has').length >= 5`,
    );
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="host-markers"] circle.host-marker').length >= 5`,
      undefined,
      { timeout: 60_000 },
    );
    metrics.mapHostMarkers = await page.locator('circle.host-marker').count();
    const marker = page.locator('circle.host-marker').last();
    const addr = await marker.getAttribute('data-addr');
    assert.ok(addr);
    await marker.click({ force: true });
    await page.waitForURL(/\/explorer\?filter=host/);
    assert.equal(new URL(page.url()).searchParams.get('filter'), `host ${addr}`);
    await page.waitForFunction(
      `(() => { const rows = [...document.querySelectorAll('[data-testid="flow-table"] tbody tr')]; return rows.length > 0 && rows.every((r) => r.textContent.includes(${JSON.stringify(addr)})); })()`,
      undefined,
      { timeout: 60_000 },
    );
    await page.close();
  });

  test('filter completion offers names, then values seen in the range; the chosen value filters', async () => {
    const page = await ctx.newPage();
    await page.goto(`${flowlens.url}/explorer?range=1h`);
    const input = page.getByLabel('Filter', { exact: true });
    await input.click();
    await input.pressSequentially('ap');
    const list = page.getByTestId('filter-suggestions');
    await list.getByRole('option', { name: 'app', exact: true }).waitFor();
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'app ');
    await list.getByRole('option').first().waitFor({ timeout: 30_000 });
    const offered = (await list.getByRole('option').locator('span:first-child').allTextContents()).filter(
      Boolean,
    );
    assert.ok(offered.length > 0);
    metrics.completionAppValues = offered;
    const chosen = offered[0]!;
    await input.press('Tab');
    assert.match(
      await input.inputValue(),
      new RegExp(`^app "?${chosen.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"? $`),
    );
    await input.press('Enter');
    await page.waitForURL(/filter=app/);
    await page.waitForFunction(
      `(() => { const rows = [...document.querySelectorAll('[data-testid="flow-table"] tbody tr')]; return rows.length > 0 && rows.every((r) => r.textContent.includes(${JSON.stringify(chosen)})); })()`,
      undefined,
      { timeout: 60_000 },
    );
    const total = (await page.getByTestId('flow-total').textContent()) ?? '';
    assert.match(total, /^[\d,.]+\s*\w* flows/);
    assert.notEqual(total.trim().startsWith('0 '), true, total);
    await page.close();
  });

  test('reports compare two periods side by side with deltas and top movers', async () => {
    const page = await ctx.newPage();
    await page.goto(
      `${flowlens.url}/reports?dims=appProto&range=custom&from=${Date.now() - 30 * 60_000}&to=${Date.now()}&cmp=custom&aFrom=${Date.now() - 60 * 60_000}&aTo=${Date.now() - 30 * 60_000}`,
    );
    const rows = page.locator('[data-testid="compare-table"] tbody tr');
    await rows.first().waitFor({ timeout: 60_000 });
    const cells = await rows.first().locator('td').allTextContents();
    // key, compared-with, this period, delta (signed), change (signed % or "new")
    assert.equal(cells.length, 5);
    assert.match(cells[3] ?? '', /^[+−]/);
    assert.match(cells[4] ?? '', /^([+-][\d.]+ %|new)$/);
    assert.ok((await page.locator('[data-testid="movers-table"] tbody tr').count()) > 0);
    assert.equal(await page.getByTestId('range-a').count(), 1);
    metrics.reportCompareFirstRow = cells;
    await shot(page, 'reports-compare-desktop');
    await page.close();
  });

  test('screenshots of every page at desktop and phone widths, light and dark; none scrolls sideways', async () => {
    const overflow: string[] = [];
    const pages = [
      '/',
      '/flows',
      '/hosts',
      '/hosts/10.20.10.10',
      '/explorer?range=1h',
      // A fixed range shows its From/To form under the heading.
      `/?range=custom&from=${Math.floor(Date.now() / 60_000) * 60_000 - 1_800_000}&to=${Math.floor(Date.now() / 60_000) * 60_000}`,
      '/reports?dims=appProto&range=1h',
      '/map',
      '/exporters',
      '/setup',
    ];
    for (const [label, viewport, scheme] of [
      ['desktop', DESKTOP, 'light'],
      ['phone', PHONE, 'light'],
      ['desktop-dark', DESKTOP, 'dark'],
    ] as const) {
      const page = await ctx.newPage();
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      for (const p of pages) {
        await page.goto(flowlens.url + p);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await page.waitForTimeout(p === '/' || p === '/flows' || p === '/hosts' ? 2500 : 600);
        const base = p.split('?')[0]!.replace(/^\/$/, '/dashboard').slice(1).replace(/[/.]/g, '-');
        const name = p.includes('range=custom') ? `${base}-custom` : base;
        await shot(page, `${name}-${label}`);
        const width = await page.evaluate<number>('document.documentElement.scrollWidth');
        if (width > viewport.width) overflow.push(`${p} at ${label}: ${width} px wide`);
      }
      await page.close();
    }
    assert.deepEqual(overflow, [], 'no page scrolls sideways');
  });
});
