import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, type DashboardBuild } from '../scripts/build-dashboard.js';
import { chromiumPath, launchChromium, type RunningBrowser } from './helpers/chromium.js';
import { dataOf, harnessPerDescribe, type Harness } from './helpers/harness.js';
import { mintToken, TEST_JWT_SECRET } from './helpers/tokens.js';
import { allBolnaBatches, vendorGet } from './helpers/vendor-raw.js';

/**
 * The dashboard at `/`, in headless Chromium against the demo server and simulators on
 * 127.0.0.1: what a person sees and clicks, checked against what the API and the vendors hold.
 */

const chromium = chromiumPath();
const browserSuite = chromium ? describe : describe.skip;

// Built from the sources once for this file, into a folder of its own.
const DASHBOARD_DIR = mkdtempSync(join(tmpdir(), 'outbound-graph-dashboard-'));
// Screenshots go to a temporary folder unless SCREENSHOT_DIR names one (docs/ holds a copy of each).
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'outbound-graph-screenshots');
let built: DashboardBuild;
let running: RunningBrowser | null = null;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  built = await buildDashboard(DASHBOARD_DIR);
  if (chromium) running = await launchChromium(chromium);
}, 60_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})));
});

afterAll(async () => {
  await running?.close();
  rmSync(DASHBOARD_DIR, { recursive: true, force: true });
});

interface OpenPage {
  readonly page: Page;
  /** Every URL the page asked for. */
  readonly requested: string[];
  /** Uncaught errors in the page. */
  readonly pageErrors: string[];
}

/** A fresh browser context (its own session storage) on the dashboard at `hash`. */
async function open(h: Harness, hash = ''): Promise<OpenPage> {
  const context = await running!.browser.createBrowserContext();
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.setViewport({ width: 1280, height: 900 });
  const requested: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(`${h.server.baseUrl}/${hash}`, { waitUntil: 'load' });
  return { page, requested, pageErrors };
}

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
}

async function bars(page: Page): Promise<Bar[]> {
  return page.$$eval('[role=progressbar]', (elements) =>
    elements.map((e) => ({ label: e.getAttribute('aria-label') ?? '', value: Number(e.getAttribute('aria-valuenow')), text: e.getAttribute('aria-valuetext') ?? '' })),
  );
}

async function rowIds(page: Page): Promise<string[]> {
  return page.$$eval('tbody tr[data-batch-id]', (rows) => rows.map((row) => row.getAttribute('data-batch-id')!));
}

/** A button by its accessible name, as assistive technology finds it; null when there is none. */
const button = (page: Page, name: string) => page.$(`::-p-aria([name="${name}"][role="button"])`);

async function textOf(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => element.textContent ?? '');
}

async function waitForText(page: Page, selector: string, expected: string | RegExp): Promise<void> {
  const pattern = typeof expected === 'string' ? expected : expected.source;
  await page.waitForFunction(
    (sel, source, literal) => [...document.querySelectorAll(sel)].some((e) => (literal ? e.textContent?.includes(source) : new RegExp(source).test(e.textContent ?? ''))),
    {},
    selector,
    pattern,
    typeof expected === 'string',
  );
}

const shares = (progress: { finishedFraction: number }) => Math.round(progress.finishedFraction * 1000) / 10;

type Listed = { batches: { totalCount: number; edges: Array<{ node: { id: string; vendor: string; fileName: string | null; vendorBatchId: string; status: string; progress: { finishedFraction: number } } }> } };
const FIRST_PAGE = `{ batches(first: 20) { totalCount edges { node { id vendor fileName vendorBatchId status progress { finishedFraction } } } } }`;

browserSuite('the dashboard, on still demo data', () => {
  const t = harnessPerDescribe({ dashboardDir: DASHBOARD_DIR, env: { POLL_INTERVAL_MS: '200', POLL_MAX_INTERVAL_MS: '400', VENDOR_MAX_ATTEMPTS: '1' } });

  it('is served at / from its own files: the page asks for nothing beyond this server', async () => {
    const { page, requested, pageErrors } = await open(t.h);
    await page.waitForSelector('[role=progressbar]');
    expect(requested.length).toBeGreaterThanOrEqual(4);
    expect(requested.every((url) => url.startsWith(t.h.server.baseUrl))).toBe(true);
    expect(pageErrors).toEqual([]);
    const index = await fetch(`${t.h.server.baseUrl}/`);
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    // Small enough to load at once on any connection: Preact, graphql-sse and the page, minified.
    expect(built.bytes['app.js']!).toBeLessThan(120 * 1024);
  });

  it('lists both vendors newest first, each batch with a progress bar named after it, valued at its finished share', async () => {
    const { page } = await open(t.h);
    await page.waitForSelector('[role=progressbar]');
    const { batches } = dataOf(await t.h.gql<Listed, Record<string, never>>(FIRST_PAGE, {}));
    expect(await rowIds(page)).toEqual(batches.edges.map((e) => e.node.id));
    const expected = batches.edges.map(({ node }) => ({ label: `Progress of ${node.fileName ?? `Batch ${node.vendorBatchId}`}`, value: shares(node.progress) }));
    expect((await bars(page)).map(({ label, value }) => ({ label, value }))).toEqual(expected);
    const badges = await page.$$eval('tbody .badge', (elements) => elements.map((e) => e.textContent));
    expect(new Set(badges)).toEqual(new Set(['Syllable', 'Bolna']));
    expect(await textOf(page, '.count')).toBe(`${batches.totalCount} batches`);
  });

  it('filters by vendor and status, and pages with cursors', async () => {
    const { page } = await open(t.h);
    await page.waitForSelector('[role=progressbar]');
    const firstPage = await rowIds(page);
    await page.locator('::-p-aria([name="Next page"][role="button"])').click();
    await page.waitForFunction((first) => document.querySelector('tbody tr[data-batch-id]')?.getAttribute('data-batch-id') !== first, {}, firstPage[0]);
    const secondPage = await rowIds(page);
    const { batches } = dataOf(await t.h.gql<Listed, Record<string, never>>(`{ batches(first: 40) { totalCount edges { node { id vendor fileName vendorBatchId status progress { finishedFraction } } } } }`, {}));
    expect([...firstPage, ...secondPage]).toEqual(batches.edges.map((e) => e.node.id));
    await page.locator('::-p-aria([name="Previous page"][role="button"])').click();
    await page.waitForFunction((first) => document.querySelector('tbody tr[data-batch-id]')?.getAttribute('data-batch-id') === first, {}, firstPage[0]);
    expect(await rowIds(page)).toEqual(firstPage);

    await page.select('::-p-aria([name="Vendor"][role="combobox"])', 'BOLNA');
    await page.select('::-p-aria([name="Status"][role="combobox"])', 'ACTIVE');
    const activeBolna = batches.edges.filter((e) => e.node.vendor === 'BOLNA' && e.node.status === 'ACTIVE').map((e) => e.node.id);
    await page.waitForFunction((n) => document.querySelector('.count')?.textContent === `${n} batches`, {}, activeBolna.length);
    expect(await rowIds(page)).toEqual(activeBolna);
    expect(page.url()).toMatch(/#\/\?vendor=BOLNA&status=ACTIVE$/);
  });

  it('pauses a Syllable batch with a keyboard press on "Pause": the page and the vendor show it paused, and "Resume" takes it back', async () => {
    const id = t.batches.active[0]!;
    const vendorId = id.split(':')[1]!;
    const { page } = await open(t.h, `#/batch/${encodeURIComponent(id)}`);
    await page.waitForSelector('::-p-aria([name="Pause"][role="button"])');
    expect(await textOf(page, 'h1 ~ .summary .status-name')).toBe('Active');
    await (await button(page, 'Pause'))!.focus();
    await page.keyboard.press('Enter');
    await waitForText(page, '.summary .status-name', 'Paused');
    await waitForText(page, '.notice', 'Paused.');
    expect(await vendorGet(t.h.simulators, 'syllable', `/api/v1/outbound/batches/${vendorId}`)).toMatchObject({ status: 'PAUSED', paused: true });
    expect(await button(page, 'Pause')).toBeNull();
    await page.locator('::-p-aria([name="Resume"][role="button"])').click();
    await waitForText(page, '.summary .status-name', 'Active');
    expect(await vendorGet(t.h.simulators, 'syllable', `/api/v1/outbound/batches/${vendorId}`)).toMatchObject({ status: 'ACTIVE', paused: false });
  });

  it('a Bolna batch shows no pause button; stopping it asks first, and Cancel sends nothing', async () => {
    const queued = (await allBolnaBatches(t.h.simulators)).filter((b) => b.status === 'queued');
    const id = `bolna:${queued[0]!.batch_id}`;
    const { page } = await open(t.h, `#/batch/${encodeURIComponent(id)}`);
    await page.waitForSelector('::-p-aria([name="Stop"][role="button"])');
    expect(await button(page, 'Pause')).toBeNull();
    expect(await button(page, 'Resume')).toBeNull();
    await t.h.reset();
    await page.locator('::-p-aria([name="Stop"][role="button"])').click();
    await page.waitForSelector('dialog[open]');
    expect(await textOf(page, 'dialog h2')).toMatch(/^Stop /);
    await page.locator('dialog ::-p-aria([name="Cancel"][role="button"])').click();
    await page.waitForFunction(() => !document.querySelector('dialog'));
    const stops = async () => (await t.h.requests('bolna')).filter((r) => r.method === 'POST' && r.path.endsWith('/stop')).length;
    expect(await stops()).toBe(0);

    await page.locator('::-p-aria([name="Stop"][role="button"])').click();
    await page.locator('dialog ::-p-aria([name="Stop batch"][role="button"])').click();
    await waitForText(page, '.notice', 'Stopped');
    expect(await stops()).toBe(1);
    const [bar] = await bars(page);
    expect(bar!.text).not.toMatch(/pending/);
  });

  it('creates a batch from a CSV chosen from disk: the check first, in words by row, then one create however often Create is clicked, then its page', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'outbound-graph-upload-'));
    const file = join(folder, 'reminders.csv');
    writeFileSync(file, 'phone_number,first_name\r\n+1 212 555 0101,Ada\r\n(312) 555-0102,Grace\r\n12,Alan\r\n');
    try {
      const { page, pageErrors } = await open(t.h, '#/new');
      await page.waitForFunction(() => [...document.querySelectorAll('select option')].some((option) => option.textContent?.includes('Appointment reminders')));
      await page.select('::-p-aria([name="Campaign"][role="combobox"])', '102');
      const input = await page.$('input[type=file]');
      await input!.uploadFile(file);
      await waitForText(page, '.preflight-counts', '3 rows');
      expect(await textOf(page, '.preflight-counts')).toMatch(/3 rows: 2 to call, 1 invalid row \(never sent\)\. Variables: first_name\./);
      expect(await page.$$eval('.issues tbody tr', (rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)))).toEqual([
        ['3', '"12" is not a valid phone number (read as a US number: write others with their +country code).'],
      ]);
      // Nothing is created while a row is invalid, until the person chooses to leave it out.
      expect(await page.$eval('button[type=submit]', (b) => b.disabled)).toBe(true);
      await page.locator('::-p-aria([name="Leave out the 1 invalid rows"])').click();
      await t.h.reset();
      // Two clicks at once: one create.
      await page.$eval('button[type=submit]', (b) => {
        b.click();
        b.click();
      });
      await page.waitForFunction(() => location.hash.startsWith('#/batch/'));
      await waitForText(page, 'h1', 'reminders.csv');
      const calls = await t.h.calls();
      expect(calls.syllable['POST /api/v1/outbound/batches']).toBe(1);
      expect(calls.syllable['POST /api/v1/outbound/batches/{batch_id}/upload_batch']).toBe(1);
      const id = decodeURIComponent(page.url().split('#/batch/')[1]!);
      const rows = (await vendorGet(t.h.simulators, 'syllable', `/api/v1/outbound/batches/${id.split(':')[1]}/results`)) as Array<{ target: string }>;
      expect(rows.map((row) => row.target)).toEqual(['+12125550101', '+13125550102']);
      expect(pageErrors).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('adds targets to a Syllable batch and removes a waiting one from its page', async () => {
    const created = dataOf(
      await t.h.gql<{ createBatch: { batch: { id: string; vendorBatchId: string } } }, Record<string, unknown>>(
        `mutation($input: CreateBatchInput!) { createBatch(input: $input) { ... on BatchMutationSuccess { batch { id vendorBatchId } } } }`,
        { input: { vendor: 'SYLLABLE', idempotencyKey: `dashboard-${Date.now()}`, campaignId: '103', paused: true, targets: [{ phoneNumber: '+1 415 555 0110' }, { phoneNumber: '+1 415 555 0111' }] } },
      ),
    ).createBatch.batch;
    const { page } = await open(t.h, `#/batch/${encodeURIComponent(created.id)}`);
    await page.waitForSelector('#targets-title');
    await page.type('textarea', '+1 415 555 0112, extra-1');
    await page.locator('::-p-aria([name="Add targets"][role="button"])').click();
    await waitForText(page, '.notice', 'Added 1.');
    await page.type('::-p-aria([name="Reference ids of waiting targets"])', 'row-1');
    await page.locator('::-p-aria([name="Remove"][role="button"])').click();
    await waitForText(page, '.notice', 'Removed 1.');
    const rows = (await vendorGet(t.h.simulators, 'syllable', `/api/v1/outbound/batches/${created.vendorBatchId}/results`)) as Array<{ reference_id: string; target: string }>;
    expect(rows.map((row) => [row.reference_id, row.target])).toEqual([
      ['row-2', '+14155550111'],
      ['extra-1', '+14155550112'],
    ]);
  });

  it("downloads the results as CSV with the page's status filter, and retries the not-reached targets at Bolna after a confirmation naming it", async () => {
    const expired = t.batches.rawSyllable.find((raw) => raw.status === 'EXPIRED')!;
    const id = `syllable:${expired.batch_id}`;
    const retryable = dataOf(
      await t.h.gql<{ batch: { retryableTargets: number } }, Record<string, unknown>>(`query($id: ID!) { batch(id: $id) { retryableTargets(statuses: [NOT_REACHED]) } }`, { id }),
    ).batch.retryableTargets;
    expect(retryable).toBeGreaterThan(0);
    const { page, pageErrors } = await open(t.h, `#/batch/${encodeURIComponent(id)}`);
    await page.waitForSelector('::-p-aria([name="Download CSV"][role="button"])');
    await page.select('::-p-aria([name="Status"][role="combobox"])', 'NOT_REACHED');
    await waitForText(page, '.filters .count', `${retryable} results`);
    const csv = page.waitForResponse((response) => response.url().includes('/results.csv'));
    await page.locator('::-p-aria([name="Download CSV"][role="button"])').click();
    const answer = await csv;
    expect(answer.status()).toBe(200);
    expect(new URL(answer.url()).searchParams.get('status')).toBe('NOT_REACHED');
    expect(answer.headers()['content-disposition']).toBe(`attachment; filename="syllable-${expired.batch_id}-results-not-reached.csv"`);
    // The browser keeps the body of a download to itself: the same link, fetched here, holds the rows.
    expect((await (await fetch(answer.url())).text()).trim().split('\r\n')).toHaveLength(retryable + 1);

    const agentId = t.h.simulators.bolna.agentIds[0]!;
    await page.locator(`::-p-aria([name="Retry not reached (${retryable})"][role="button"])`).click();
    await page.waitForSelector('dialog[open]');
    await page.waitForFunction((agent) => [...document.querySelectorAll('dialog option')].some((option) => (option as HTMLOptionElement).value === `BOLNA:${agent}`), {}, agentId);
    await page.select('dialog select', `BOLNA:${agentId}`);
    await waitForText(page, 'dialog p strong', 'Bolna, Appointment reminder');
    await t.h.reset();
    // Two clicks at once: one batch.
    await page.$eval('dialog button.danger', (b) => {
      b.click();
      b.click();
    });
    await page.waitForFunction(() => location.hash.startsWith('#/batch/bolna'));
    await waitForText(page, '.notice', `calls again ${retryable} targets of ${id}`);
    const calls = await t.h.calls();
    expect(calls.bolna['POST /batches']).toBe(1);
    expect(Object.keys(calls.syllable).filter((route) => !route.startsWith('GET'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('a control the vendor refuses shows its reason in words, and the batch stays as it was', async () => {
    const queued = (await allBolnaBatches(t.h.simulators)).filter((b) => b.status === 'queued');
    const target = queued[1]!;
    await t.h.override('bolna', { method: 'POST', path: `/batches/${target.batch_id}/stop`, status: 404, body: { message: 'Batch is not queued or running' } });
    const { page } = await open(t.h, `#/batch/${encodeURIComponent(`bolna:${target.batch_id}`)}`);
    await page.locator('::-p-aria([name="Stop"][role="button"])').click();
    await page.locator('dialog ::-p-aria([name="Stop batch"][role="button"])').click();
    await waitForText(page, '.notice-error', 'Not possible for this batch');
    expect(await textOf(page, '.notice-error')).toMatch(/not queued or running/);
    expect(await textOf(page, '.summary .status-name')).toBe('Active');
    expect(await button(page, 'Stop')).not.toBeNull();
  });

  it('says so when data is stale because a vendor is failing', async () => {
    const { page } = await open(t.h);
    await page.waitForSelector('[role=progressbar]');
    await t.h.fault('syllable', { method: 'GET', path: '/api/v1/outbound/batches/', status: 503 });
    // The watched Syllable batches' polls fail: their rows say since when they are stale.
    await waitForText(page, 'tbody .stale-sign', 'stale: vendor not answering since');
    const staleRows = await page.$$eval('tbody tr', (rows) => rows.filter((row) => row.querySelector('.stale-sign')).map((row) => row.querySelector('.badge')?.textContent));
    expect(staleRows.length).toBeGreaterThan(0);
    expect(new Set(staleRows)).toEqual(new Set(['Syllable']));
  });
});

browserSuite('the dashboard, on batches that move', () => {
  // A call a second in each running batch, as the simulators place them in real time.
  const t = harnessPerDescribe({ dashboardDir: DASHBOARD_DIR, callsPerHour: 3_600, env: { POLL_INTERVAL_MS: '200', POLL_MAX_INTERVAL_MS: '400', CACHE_TTL_MS: '0' } });

  it("a running batch's bar moves without a reload, and the screenshots of the list and of one batch are written", async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const { page } = await open(t.h);
    await page.waitForSelector('[role=progressbar]');
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    // A running batch on the first page with calls left; its bar's text counts every call, so
    // each call it places shows (its rounded percent would move only every 0.1 % of the batch).
    type Shown = { batches: { edges: Array<{ node: { id: string; status: string; progress: { pending: number } } }> } };
    const shown = dataOf(await t.h.gql<Shown, Record<string, never>>('{ batches(first: 20) { edges { node { id status progress { pending } } } } }', {}));
    const id = shown.batches.edges.find((e) => e.node.status === 'ACTIVE' && e.node.progress.pending > 20)!.node.id;
    const bar = `tr[data-batch-id="${id}"] [role=progressbar]`;
    const label = await page.$eval(bar, (e) => e.getAttribute('aria-label'));
    const before = await page.$eval(bar, (e) => e.getAttribute('aria-valuetext'));
    await page.waitForFunction((sel, text) => document.querySelector(sel)?.getAttribute('aria-valuetext') !== text, {}, bar, before);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(await page.$eval(`tr[data-batch-id="${id}"] [role=progressbar]`, (e) => e.getAttribute('aria-label'))).toBe(label);
    const listShot = join(SCREENSHOT_DIR, 'dashboard-list.png');
    await page.screenshot({ path: listShot });

    const listed = await bars(page);
    expect(listed.length).toBeGreaterThan(0);
    // A running batch with calls left and few enough targets that each call shows; watched as it
    // moves at its own pace, its burndown draws what was seen.
    type Running = { batches: { edges: Array<{ node: { id: string; progress: { pending: number; total: number } } }> } };
    const { batches } = dataOf(await t.h.gql<Running, Record<string, never>>(`{ batches(first: 100, vendor: SYLLABLE, status: ACTIVE) { edges { node { id progress { pending total } } } } }`, {}));
    const watched = batches.edges.map((e) => e.node).filter((n) => n.progress.pending >= 60).sort((a, b) => a.progress.total - b.progress.total)[0]!.id;
    await page.goto(`${t.h.server.baseUrl}/#/batch/${encodeURIComponent(watched)}`);
    await page.waitForSelector('.progress-large [role=progressbar]');
    for (let step = 0; step < 4; step += 1) {
      const text = await page.$eval('.progress-large [role=progressbar]', (e) => e.getAttribute('aria-valuetext'));
      await page.waitForFunction((v) => document.querySelector('.progress-large [role=progressbar]')?.getAttribute('aria-valuetext') !== v, {}, text);
    }
    await page.waitForSelector('svg.burndown[role=img]');
    expect(await page.$$eval('svg.burndown circle', (points) => points.length)).toBeGreaterThanOrEqual(3);
    // Counts a person can read: one normalised status a row, the vendor's words beside it, adding up to the whole.
    const counts = await page.$$eval('table.counts tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const total = dataOf(await t.h.gql<{ batch: { totalCount: number } }, { id: string }>('query($id: ID!) { batch(id: $id) { totalCount } }', { id: watched })).batch.totalCount;
    expect(counts.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(total);
    expect(counts.every((row) => ['Pending', 'In progress', 'Completed', 'Not reached', 'Failed', 'Canceled', 'Unknown'].includes(row[0]!))).toBe(true);
    const batchShot = join(SCREENSHOT_DIR, 'dashboard-batch.png');
    // Down to the controls and the first results.
    await page.setViewport({ width: 1280, height: 1700 });
    await page.screenshot({ path: batchShot });
    for (const shot of [listShot, batchShot]) expect(existsSync(shot) && statSync(shot).size).toBeGreaterThan(10_000);
  }, 40_000);
});

browserSuite('the dashboard, when the API needs a token', () => {
  const t = harnessPerDescribe({ dashboardDir: DASHBOARD_DIR, env: { AUTH_JWT_SECRET: TEST_JWT_SECRET, POLL_INTERVAL_MS: '200' } });

  async function signIn(page: Page, token: string): Promise<void> {
    await page.waitForSelector('::-p-aria([name="Access token"])');
    await page.type('::-p-aria([name="Access token"])', token);
    await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
  }

  it('asks for a token, keeps it in session storage only, shows its scopes, and hides the controls without batches:write', async () => {
    const { page } = await open(t.h);
    const reader = await mintToken({ scope: 'batches:read' });
    await signIn(page, reader);
    await page.waitForSelector('[role=progressbar]');
    expect(await textOf(page, '.scopes')).toBe('batches:read');
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length, document.cookie])).toEqual([1, 0, '']);
    await page.goto(`${t.h.server.baseUrl}/#/batch/${encodeURIComponent(t.batches.active[0]!)}`);
    await waitForText(page, 'main p.muted', 'the controls are hidden');
    expect(await button(page, 'Pause')).toBeNull();
    expect(await page.$('#controls-title')).toBeNull();

    await page.locator('::-p-aria([name="Sign out"][role="button"])').click();
    await signIn(page, await mintToken({ scope: 'batches:read batches:write' }));
    await page.waitForSelector('::-p-aria([name="Pause"][role="button"])');
    expect(await textOf(page, '.scopes')).toBe('batches:read, batches:write');
  });

  it('a token the server does not accept brings the sign-in back with the reason', async () => {
    const { page } = await open(t.h);
    await signIn(page, await mintToken({ scope: 'batches:read', secret: 'another-secret-0123456789abcdef-0123' }));
    await waitForText(page, 'main p', 'signature does not verify');
    expect(await page.$('::-p-aria([name="Access token"])')).not.toBeNull();
  });
});

describe('the dashboard\'s files, over HTTP', () => {
  const t = harnessPerDescribe({ dashboardDir: DASHBOARD_DIR });

  it('serves the page at / and its files below /dashboard/, revalidated by ETag, and nothing else from that folder', async () => {
    const page = await fetch(`${t.h.server.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain('/dashboard/app.js');
    const script = await fetch(`${t.h.server.baseUrl}/dashboard/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.arrayBuffer()).byteLength).toBe(built.bytes['app.js']);
    const again = await fetch(`${t.h.server.baseUrl}/dashboard/app.js`, { headers: { 'if-none-match': script.headers.get('etag')! } });
    expect(again.status).toBe(304);
    // Compressed by what the browser accepts, each encoding its own representation.
    const sizes: Record<string, { encoding: string | null; length: number; etag: string | null }> = {};
    for (const accept of ['br', 'gzip', 'identity']) {
      const response = await fetch(`${t.h.server.baseUrl}/dashboard/app.js`, { headers: { 'accept-encoding': accept } });
      await response.arrayBuffer();
      sizes[accept] = { encoding: response.headers.get('content-encoding'), length: Number(response.headers.get('content-length')), etag: response.headers.get('etag') };
      expect(response.headers.get('vary')).toBe('accept-encoding');
    }
    expect(sizes.br!.encoding).toBe('br');
    expect(sizes.gzip!.encoding).toBe('gzip');
    expect(sizes.identity!.encoding).toBeNull();
    expect(sizes.identity!.length).toBe(built.bytes['app.js']);
    expect(sizes.br!.length).toBeLessThan(sizes.identity!.length / 2);
    expect(new Set(Object.values(sizes).map((s) => s.etag)).size).toBe(3);
    for (const path of ['/dashboard/../package.json', '/dashboard/%2e%2e/package.json', '/dashboard/missing.js']) {
      const response = await fetch(`${t.h.server.baseUrl}${path}`);
      expect(response.status, path).toBe(404);
    }
    // Serving the page costs no vendor call.
    expect(await t.h.totalCalls()).toBe(0);
  });

  it('`batchAccess` tells the page what the caller may do, with no vendor call', async () => {
    const { batchAccess } = dataOf(await t.h.gql<{ batchAccess: { authenticated: boolean; subject: string | null; scopes: string[]; canRead: boolean; canWrite: boolean } }, Record<string, never>>(`{ batchAccess { authenticated subject scopes canRead canWrite } }`, {}));
    expect(batchAccess).toEqual({ authenticated: false, subject: null, scopes: ['batches:read', 'batches:write'], canRead: true, canWrite: true });
    expect(await t.h.totalCalls()).toBe(0);
  });
});

describe('DASHBOARD=false', () => {
  const t = harnessPerDescribe({ dashboardDir: DASHBOARD_DIR, env: { DASHBOARD: 'false' } });

  it('serves no page at /, and the API as before', async () => {
    expect(t.h.server.dashboardUrl).toBeNull();
    expect((await fetch(`${t.h.server.baseUrl}/`)).status).toBe(404);
    expect((await fetch(`${t.h.server.baseUrl}/dashboard/app.js`)).status).toBe(404);
    expect((await t.h.post({ query: '{ batchAccess { canRead } }' })).status).toBe(200);
  });
});

describe('`batchAccess` with tokens', () => {
  const t = harnessPerDescribe({ env: { AUTH_JWT_SECRET: TEST_JWT_SECRET } });
  const ACCESS = '{ batchAccess { authenticated subject scopes canRead canWrite } }';

  it("answers a token's subject and scopes, needing no scope itself; no token is a 401", async () => {
    const reader = await t.h.post<{ batchAccess: unknown }>({ query: ACCESS }, { authorization: `Bearer ${await mintToken({ scope: 'batches:read' })}` });
    expect(reader.body.data?.batchAccess).toEqual({ authenticated: true, subject: 'test-user', scopes: ['batches:read'], canRead: true, canWrite: false });
    const none = await t.h.post<{ batchAccess: unknown }>({ query: ACCESS }, { authorization: `Bearer ${await mintToken({ scope: '' })}` });
    expect(none.body.data?.batchAccess).toEqual({ authenticated: true, subject: 'test-user', scopes: [], canRead: false, canWrite: false });
    expect((await t.h.post({ query: ACCESS })).status).toBe(401);
  });
});
