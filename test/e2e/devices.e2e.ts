/**
 * The Devices pages end to end in headless Chromium (playwright-core driving
 * /usr/bin/chromium): a FlowLens whose device discovery reads a dnsmasq
 * lease file (an iPhone at 10.20.10.10, which the demo exporter's flows also
 * name, and a Brother printer) lists both devices with their type, filters
 * them, shows the iPhone's evidence, takes an operator's manual edit through
 * the form (a viewer sees the form disabled), and links the host page and
 * the device page both ways. Screenshots at desktop and phone widths go to
 * test/e2e/artifacts/. Needs `npm run build:web` and Debian's chromium;
 * skips with the install hint when missing (fails under FLOWLENS_REQUIRE_SYSTEM_TESTS=1).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createDemoExporter, type DemoExporter } from '../../src/demo/index.ts';
import { launchFlowLens, type LaunchedFlowLens } from '../../src/demo/launch.ts';
import { freeTcpPort } from '../../bench/common/free-port.ts';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, e2eMissing, PHONE, ROOT } from './browser.ts';

/** Generous: the suite shares two cores with other test files. */
const WAIT_MS = 60_000;
const VIEWER = { name: 'e2e-viewer', password: 'a viewer password' };

/** dnsmasq's lease file: expiry (0 = never), MAC, address, host name, client id. Apple's OUI 3c:22:fb. */
const LEASES = [
  '0 3c:22:fb:12:34:56 10.20.10.10 Maries-iPhone 01:3c:22:fb:12:34:56',
  '0 00:80:77:00:00:02 10.20.10.20 BRW008077000002 *',
  '',
].join('\n');

const missing = e2eMissing();

describe('Devices pages', { skip: missing || false }, () => {
  let flowlens: LaunchedFlowLens;
  let demo: DemoExporter;
  let browser: Browser;
  let ctx: BrowserContext;
  let dir: string;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'flowlens-e2e-devices-'));
    const leases = join(dir, 'dnsmasq.leases');
    writeFileSync(leases, LEASES);
    const nf = 20000 + Math.floor(Math.random() * 20000);
    const ports = { netflowPort: nf, ipfixPort: nf + 1, sflowPort: nf + 2 };
    flowlens = await launchFlowLens({
      root: ROOT,
      httpPort: await freeTcpPort(),
      ...ports,
      env: {
        FLOWLENS_DEVICES_DISCOVERY_LEASES_ENABLED: 'true',
        FLOWLENS_DEVICES_DISCOVERY_LEASES_DNSMASQ: JSON.stringify([leases]),
        // The machine's own neighbours would make the list (and the screenshots) depend on where it runs.
        FLOWLENS_DEVICES_DISCOVERY_NEIGHBOURS_ENABLED: 'false',
      },
    });
    demo = createDemoExporter(
      { targets: { host: '127.0.0.1', ...ports }, backfillMinutes: 30 },
      {
        now: () => Date.now(),
        setInterval: (fn, ms) => setInterval(fn, ms),
        clearInterval: (h) => clearInterval(h),
      },
    );
    await demo.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    ctx = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light', bypassCSP: true });
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await demo?.stop();
    await flowlens?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = async (page: Page, name: string): Promise<void> => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  const logIn = async (page: Page, name: string, password: string): Promise<void> => {
    await page.goto(`${flowlens.url}/devices`);
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Devices', exact: true }).waitFor({ timeout: WAIT_MS });
  };

  const row = (page: Page, text: string) =>
    page.getByTestId('devices-table').locator('tbody tr').filter({ hasText: text });

  test('the list shows each device with its type; filters narrow it', async () => {
    const page = await ctx.newPage();
    await logIn(page, flowlens.username, flowlens.password);
    await page.goto(`${flowlens.url}/devices`);
    const iphone = row(page, 'Maries-iPhone');
    await iphone.waitFor({ timeout: WAIT_MS });
    assert.match((await iphone.textContent()) ?? '', /phone\s*\d+ %/);
    assert.match((await iphone.textContent()) ?? '', /Apple/);
    assert.match((await row(page, 'BRW008077000002').textContent()) ?? '', /printer/);
    await shot(page, 'devices-desktop');

    await page.getByLabel('Type', { exact: true }).selectOption('printer');
    await page.waitForURL(/type=printer/);
    await page.waitForFunction(
      `(() => { const rows = [...document.querySelectorAll('[data-testid="devices-table"] tbody tr')]; return rows.length === 1 && rows[0].textContent.includes('BRW008077000002'); })()`,
      undefined,
      { timeout: WAIT_MS },
    );
    await page.getByLabel('Type', { exact: true }).selectOption('');
    await page.getByLabel('Search devices').fill('iphone');
    await page.waitForFunction(
      `(() => { const rows = [...document.querySelectorAll('[data-testid="devices-table"] tbody tr')]; return rows.length === 1 && rows[0].textContent.includes('Maries-iPhone'); })()`,
      undefined,
      { timeout: WAIT_MS },
    );
    await page.setViewportSize(PHONE);
    await page.getByLabel('Search devices').fill('');
    await row(page, 'BRW008077000002').waitFor({ timeout: WAIT_MS });
    await shot(page, 'devices-phone');
    await page.close();
  });

  test('a device’s page shows its evidence; an operator’s manual edit wins', async () => {
    const page = await ctx.newPage();
    await page.goto(`${flowlens.url}/devices?q=Maries`);
    await row(page, 'Maries-iPhone').getByRole('link', { name: 'Maries-iPhone' }).click();
    await page.getByRole('heading', { name: 'Maries-iPhone' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('device-type').textContent(), 'phone');
    const evidence = page.getByTestId('device-evidence');
    const typeRow = evidence.locator('tr').filter({ hasText: 'Type' }).first();
    assert.match((await typeRow.textContent()) ?? '', /Host-name pattern.*host name "Maries-iPhone"/);
    const maker = evidence.locator('tr').filter({ hasText: 'Manufacturer' }).first();
    assert.match((await maker.textContent()) ?? '', /Apple.*OUI 3c:22:fb/);
    assert.match((await evidence.textContent()) ?? '', /Capability\s*wifi/);
    await shot(page, 'device-desktop');
    await page.setViewportSize(PHONE);
    await shot(page, 'device-phone');
    await page.setViewportSize(DESKTOP);

    await page.getByLabel('Type', { exact: true }).selectOption('tablet');
    await page.getByLabel('Name', { exact: true }).fill('Marie’s iPad');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Marie’s iPad' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('device-type').textContent(), 'tablet');
    assert.match((await typeRow.textContent()) ?? '', /tablet\s*100 %\s*manual edit/);
    // The API says the same, and a rediscovery (the lease is read again) does not undo it.
    const api = await page.evaluate<{ deviceType: string; decidedBy: string; name: string }>(
      `fetch('/api/v1/devices?q=Maries').then((r) => r.json()).then((p) => fetch('/api/v1/devices/' + p.items[0].id)).then((r) => r.json()).then((d) => ({ deviceType: d.deviceType, decidedBy: d.classification.deviceType.decidedBy, name: d.name }))`,
    );
    assert.deepEqual(api, { deviceType: 'tablet', decidedBy: 'manual', name: 'Marie’s iPad' });
    await page.close();
  });

  test('the host page shows its device and links to it, and back', async () => {
    const page = await ctx.newPage();
    await page.goto(`${flowlens.url}/hosts/10.20.10.10`);
    const card = page.getByTestId('host-device');
    await card.waitFor({ timeout: WAIT_MS });
    assert.match((await card.textContent()) ?? '', /Marie’s iPad.*tablet/);
    await page.getByRole('link', { name: 'Device details →' }).click();
    await page.getByRole('heading', { name: 'Marie’s iPad' }).waitFor({ timeout: WAIT_MS });
    await page.getByRole('link', { name: '10.20.10.10' }).first().click();
    await page.waitForURL(/\/hosts\/10\.20\.10\.10$/);
    await page.close();
  });

  test('a viewer sees the edit form disabled', async () => {
    const admin = await ctx.newPage();
    await admin.goto(`${flowlens.url}/devices`);
    const created = await admin.evaluate<number>(
      `fetch('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(document.cookie.match(/flowlens_csrf=([^;]+)/)[1]) }, body: JSON.stringify(${JSON.stringify({ ...VIEWER, role: 'viewer' })}) }).then((r) => r.status)`,
    );
    assert.equal(created, 201);
    await admin.close();
    const viewerCtx = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light', bypassCSP: true });
    try {
      const page = await viewerCtx.newPage();
      await logIn(page, VIEWER.name, VIEWER.password);
      await row(page, 'BRW008077000002').getByRole('link').first().click();
      await page.getByRole('heading', { name: 'BRW008077000002' }).waitFor({ timeout: WAIT_MS });
      await page.getByText('Viewers cannot edit devices.').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Save' }).isDisabled(), true);
      assert.equal(await page.getByLabel('Name', { exact: true }).isDisabled(), true);
    } finally {
      await viewerCtx.close();
    }
  });
});
