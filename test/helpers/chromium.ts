import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/**
 * Headless Chromium from the Debian package, driven by puppeteer-core (which downloads no
 * browser). Without the binary the browser tests skip with one line saying what to install,
 * unless REQUIRE_CHROMIUM is set (CI sets it), where a missing binary is a failure.
 */

export const CHROMIUM_MISSING = 'chromium not found: install the Debian package chromium (apt-get install -y chromium) to run the browser tests.';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string | null {
  const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((path): path is string => !!path && existsSync(path)) ?? null;
  if (!found && process.env.REQUIRE_CHROMIUM) throw new Error(`REQUIRE_CHROMIUM is set but ${CHROMIUM_MISSING}`);
  if (!found) console.warn(CHROMIUM_MISSING);
  return found;
}

export interface RunningBrowser {
  readonly browser: Browser;
  /** Closes the browser (killing it by pid if it does not close) and removes its profile. */
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<RunningBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'outbound-graph-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir: profile,
    // No sandbox (tests may run as root); nothing that reaches past loopback.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    protocolTimeout: 30_000,
  });
  const pid = browser.process()?.pid;
  return {
    browser,
    async close() {
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([
        browser.close().then(() => true, () => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000))),
      ]);
      clearTimeout(timer);
      if (!closed && pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
