import { afterAll, beforeAll } from 'vitest';
import { chromiumPath, launchChromium, type RunningBrowser } from './chromium.js';

/**
 * Headless Chromium for one describe block: launched before its tests, closed after them.
 * `executable` is null without chromium installed (the tests that need it skip).
 */
export function chromiumPerDescribe(): { readonly executable: string | null; readonly browser: RunningBrowser['browser'] } {
  const executable = chromiumPath();
  let running: RunningBrowser | null = null;
  beforeAll(async () => {
    if (executable) running = await launchChromium(executable);
  }, 30_000);
  afterAll(() => running?.close());
  return {
    executable,
    get browser() {
      if (!running) throw new Error('chromium is not running');
      return running.browser;
    },
  };
}
