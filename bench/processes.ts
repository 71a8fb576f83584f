import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The benchmark's processes: the simulators, the API and the floor each run as their own
 * process on 127.0.0.1, so each one's CPU time and memory are read from /proc alone.
 */

export interface Spawned {
  readonly child: ChildProcess;
  /** Output lines so far (stdout and stderr). */
  readonly lines: string[];
  stop(): Promise<void>;
}

/** Starts `node --import tsx <script>` with `env`; resolves once a line matches `ready`. */
export function spawnTs(script: string, env: Record<string, string>, ready: RegExp, nodeArgs: readonly string[] = []): Promise<Spawned & { match: RegExpExecArray }> {
  return spawnNode([...nodeArgs, '--import', 'tsx', script], env, ready);
}

/** Starts `node <args>` with `env`; resolves once a line matches `ready`. */
export async function spawnNode(args: readonly string[], env: Record<string, string>, ready: RegExp): Promise<Spawned & { match: RegExpExecArray }> {
  const script = args.at(-1) ?? 'node';
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A process that never got ready is not left running.
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start: ${lines.join('\n')}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        lines.push(line);
        if (lines.length > 200) lines.shift();
        const found = ready.exec(line);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}): ${lines.join('\n')}`));
    });
  });
  return { child, lines, stop, match };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in ms; null off Linux. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Peak resident memory since the last `resetPeakRss`, in MiB; null off Linux. */
export function peakRssMiB(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Starts a new peak-RSS window (Linux `clear_refs` 5); harmless where that is not allowed. */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not Linux, or not permitted: the peak then covers the process's whole life
  }
}
