import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { sameSecret } from '../security/auth.js';
import { asObject, asString } from '../vendors/json-reader.js';
import type { BatchWatchers } from './batch-watchers.js';

/**
 * `POST /webhooks/bolna`: Bolna's execution status webhooks (one POST per status change, the
 * execution as its body). A webhook about a watched batch makes its watcher read the batch from
 * Bolna at once, so subscribers get the change without waiting for the next poll, and its polls
 * slow down while webhooks keep coming. The webhook itself is never trusted with data: the read
 * it triggers is what subscribers see. Authenticated by BOLNA_WEBHOOK_SECRET, in the
 * `x-webhook-secret` header or as the last path segment (`/webhooks/bolna/<secret>`), for
 * senders that cannot set headers.
 */

export const BOLNA_WEBHOOK_PATH = '/webhooks/bolna';
const MAX_WEBHOOK_BYTES = 256 * 1024;
const HEX32 = /^[0-9a-fA-F]{32}$/;

export function handleBolnaWebhook(req: IncomingMessage, res: ServerResponse, path: string, secret: string | null, watchers: BatchWatchers, logger: Logger): void {
  const reply = (status: number, body: Record<string, unknown>) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (secret === null) return reply(404, { error: 'Webhooks are off: set BOLNA_WEBHOOK_SECRET to receive them.' });
  if (req.method !== 'POST') return reply(405, { error: 'POST only.' });
  const header = req.headers['x-webhook-secret'];
  const given = typeof header === 'string' ? header : path.slice(BOLNA_WEBHOOK_PATH.length + 1);
  if (!given || !sameSecret(given, secret)) return reply(401, { error: 'Wrong or missing webhook secret.' });
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BYTES) {
      reply(413, { error: `A webhook body is at most ${MAX_WEBHOOK_BYTES} bytes.` });
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(400, { error: 'The body is not JSON.' });
    }
    const batchId = asString(asObject(body)?.batch_id);
    // An execution of a batch nobody watches (or no batch id at all) changes nothing.
    const watched = batchId !== null && HEX32.test(batchId) && watchers.webhook({ vendor: 'bolna', batchId: batchId.toLowerCase() });
    logger.debug({ batchId, watched }, 'bolna webhook');
    reply(202, { accepted: true, watched });
  });
}
