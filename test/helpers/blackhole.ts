import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A TCP port on 127.0.0.1 where connecting hangs: a listener whose accept queue is full and never
 * drained, so the kernel drops new SYNs. Node accepts every connection by itself, so the listener
 * is a short Python process; it exits on its own after `lifetimeSeconds`.
 */
const SCRIPT = `
import socket, sys, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
port = s.getsockname()[1]
fill = []
for _ in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(('127.0.0.1', port))
    except BlockingIOError: pass
    fill.append(c)
print(port, flush=True)
time.sleep(float(sys.argv[1]))
`;

export interface Blackhole {
  readonly url: string;
  close(): void;
}

export async function startBlackhole(lifetimeSeconds = 30): Promise<Blackhole> {
  const child: ChildProcess = spawn('python3', ['-c', SCRIPT, String(lifetimeSeconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error('blackhole did not start');
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}
