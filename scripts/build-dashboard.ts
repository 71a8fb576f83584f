import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { DASHBOARD_BUILD_DIR } from '../src/server/dashboard-files.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface DashboardBuild {
  readonly dir: string;
  /** Bytes of each file the page loads (before compression). */
  readonly bytes: Readonly<Record<string, number>>;
}

/**
 * Bundles the dashboard (`dashboard/src`, Preact and graphql-sse) into one minified script and
 * one stylesheet beside its page, in `dist/web`: what the server serves at `/`.
 */
export async function buildDashboard(dir = DASHBOARD_BUILD_DIR): Promise<DashboardBuild> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: { app: 'dashboard/src/main.tsx' },
    tsconfig: 'dashboard/tsconfig.json',
    outdir: dir,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  await copyFile(join(ROOT, 'dashboard/index.html'), join(dir, 'index.html'));
  const bytes: Record<string, number> = {};
  for (const name of ['index.html', 'app.js', 'app.css']) bytes[name] = (await stat(join(dir, name))).size;
  return { dir, bytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildDashboard();
  const sizes = Object.entries(built.bytes).map(([name, size]) => `${name} ${(size / 1024).toFixed(1)} KiB`);
  console.log(`dashboard built: ${sizes.join(', ')}`);
}
