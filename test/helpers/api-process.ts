import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The API in a process of its own, as operators run it (`node src/main.ts` through tsx). */
export interface ApiProcess {
  readonly child: ChildProcess;
  /** The GraphQL URL the API printed. */
  readonly url: string;
  readonly exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

const LISTENING = /GraphQL API (?:and GraphiQL )?at (http:\/\/[^\s"]+)/;

export async function startApiProcess(env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<ApiProcess> {
  return startProcess([...nodeArgs, '--import', 'tsx', 'src/main.ts'], env);
}

/** Where the tests compile the API to run it as production does (kept between runs: tsc builds incrementally). */
const BUILD_DIR = join(process.cwd(), 'node_modules', '.cache', 'outbound-graph', 'api-build');
let built: Promise<void> | null = null;

/**
 * The API compiled and run with plain node, as production runs `dist/main.js` (tsx, which the
 * other tests run it through, holds more memory: what memory is measured on is the compiled code).
 * Compiled once per test file, into a folder of the tests' own.
 */
export async function startBuiltApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  built ??= (async () => {
    mkdirSync(BUILD_DIR, { recursive: true });
    writeFileSync(join(BUILD_DIR, 'package.json'), '{"type":"module"}\n');
    await promisify(execFile)(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR, '--tsBuildInfoFile', join(BUILD_DIR, '.tsbuildinfo')]);
  })();
  await built;
  return startProcess([join(BUILD_DIR, 'main.js')], env);
}

async function startProcess(args: readonly string[], env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const found = LISTENING.exec(log);
      if (found?.[1]) resolve(found[1]);
    });
    void exited.then((code) => reject(new Error(`the API exited (${code}): ${log}`)));
  });
  return {
    child,
    url,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
