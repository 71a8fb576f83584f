/** A GraphQL-over-SSE client for tests: POSTs the operation and reads the stream event by event. */

export interface SseMessage {
  readonly event: string;
  readonly data: unknown;
}

export interface SseSubscription {
  /** The next `next` payload (`{data, errors}`), or null once the stream completed. */
  next(timeoutMs?: number): Promise<{ data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | null>;
  close(): void;
}

export async function subscribeSse(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<SseSubscription> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  if (!response.body) throw new Error(`no stream: HTTP ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseMessage[] = [];
  let done = false;

  async function fill(): Promise<void> {
    while (queue.length === 0 && !done) {
      const { value, done: ended } = await reader.read();
      if (ended) {
        done = true;
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
        const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (event === 'complete') {
          done = true;
          break;
        }
        if (data) queue.push({ event, data: JSON.parse(data) as unknown });
      }
    }
  }

  return {
    async next(timeoutMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no SSE event within ${timeoutMs} ms`)), timeoutMs)));
      try {
        await Promise.race([fill(), late]);
      } finally {
        clearTimeout(timer);
      }
      const message = queue.shift();
      return message ? (message.data as never) : null;
    },
    close() {
      controller.abort();
    },
  };
}
