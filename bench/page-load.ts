import { launchChromium } from '../test/helpers/chromium.js';

export interface PageLoad {
  readonly loads: number;
  /** Navigation start to the `load` event: the page's own files, parsed. Median ms. */
  readonly filesMs: number;
  /** Navigation start to the list drawn with its progress bars: the API's first answer, rendered. Median ms. */
  readonly barsMs: number;
  /** The slowest load to bars, ms. */
  readonly worstBarsMs: number;
  readonly bars: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Loads the dashboard `loads` times in headless Chromium, each in a fresh browser context (no
 * cache, no session), and reads the browser's own clock: when its files were in, and when the
 * list stood drawn with its bars.
 */
export async function measurePageLoad(url: string, chromium: string, loads: number): Promise<PageLoad> {
  const running = await launchChromium(chromium);
  const files: number[] = [];
  const barsAt: number[] = [];
  let bars = 0;
  try {
    for (let i = 0; i < loads; i += 1) {
      const context = await running.browser.createBrowserContext();
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForSelector('[role=progressbar]', { timeout: 10_000 });
      const timing = await page.evaluate(() => ({
        load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
        drawn: performance.now(),
        bars: document.querySelectorAll('[role=progressbar]').length,
      }));
      files.push(timing.load);
      barsAt.push(timing.drawn);
      bars = timing.bars;
      await context.close();
    }
  } finally {
    await running.close();
  }
  return { loads, filesMs: median(files), barsMs: median(barsAt), worstBarsMs: Math.max(...barsAt), bars };
}
