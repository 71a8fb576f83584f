import { spawn, type ChildProcess } from 'node:child_process';

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
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
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
