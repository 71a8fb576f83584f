import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { sameSecret } from '../security/auth.js';
import { asObject, asString } from '../vendors/json-reader.js';
import type { BatchWatchers } from '../live/batch-watchers.js';
import { REPLAY_WINDOW_MS, type ReplayGuard } from '../live/replay-guard.js';

/**
 * `POST /webhooks/bolna`: Bolna's execution status webhooks (one POST per status change, the
 * execution as its body). A webhook about a watched batch makes its watcher read the batch from
 * Bolna soon (at most one read per poll interval, however many webhooks come), so subscribers get
 * the change without waiting for the next poll, and its polls slow down while webhooks keep
 * coming. The webhook itself is never trusted with data: the read it triggers is what subscribers
 * see.
 *
 * Who may call it, and how a replay is refused:
 * - Bolna sends a static secret, which we check (`x-webhook-secret`, or the last path segment
 *   for senders that cannot set headers). It carries no timestamp or signature, so a captured
 *   request could be sent again: a body already received within REPLAY_WINDOW_MS is refused (409).
 * - A sender that can sign (a relay of our own) sends `x-webhook-timestamp` (Unix seconds) and
 *   `x-webhook-signature: sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<body>` under the same
 *   secret; it is refused unless the signature verifies and the timestamp is within
 *   SIGNATURE_TOLERANCE_MS of now, and a signature is accepted once.
 */

export const BOLNA_WEBHOOK_PATH = '/webhooks/bolna';
const MAX_WEBHOOK_BYTES = 256 * 1024;
const HEX32 = /^[0-9a-fA-F]{32}$/;
/** A signed webhook's timestamp may be this far from now. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export interface BolnaWebhookOptions {
  /** BOLNA_WEBHOOK_SECRET; null: webhooks are off (404). */
  readonly secret: string | null;
  readonly watchers: BatchWatchers;
  readonly replays: ReplayGuard;
  readonly logger: Logger;
}

/** The HMAC a signing sender puts in `x-webhook-signature` (after `sha256=`). */
export function webhookSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export function handleBolnaWebhook(req: IncomingMessage, res: ServerResponse, path: string, options: BolnaWebhookOptions): void {
  const { secret, watchers, replays, logger } = options;
  const reply = (status: number, body: Record<string, unknown>) => {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (secret === null) return reply(404, { error: 'Webhooks are off: set BOLNA_WEBHOOK_SECRET to receive them.' });
  if (req.method !== 'POST') return reply(405, { error: 'POST only.' });
  const signature = single(req.headers['x-webhook-signature']);
  const timestamp = single(req.headers['x-webhook-timestamp']);
  const header = single(req.headers['x-webhook-secret']);
  const given = header ?? path.slice(BOLNA_WEBHOOK_PATH.length + 1);
  // A signed request proves the secret by its signature; an unsigned one must carry the secret.
  if (signature === undefined && (!given || !sameSecret(given, secret))) return reply(401, { error: 'Wrong or missing webhook secret.' });
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
    const raw = Buffer.concat(chunks);
    let replayKey: string;
    if (signature !== undefined) {
      const problem = signatureProblem(secret, signature, timestamp, raw);
      if (problem) return reply(401, { error: problem });
      replayKey = `signature:${signature.toLowerCase()}`;
    } else {
      replayKey = `body:${createHash('sha256').update(raw).digest('hex')}`;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(400, { error: 'The body is not JSON.' });
    }
    void replays.firstTime(replayKey, signature !== undefined ? 2 * SIGNATURE_TOLERANCE_MS : REPLAY_WINDOW_MS).then(
      (first) => {
        if (!first) {
          logger.debug({ replayKey: replayKey.slice(0, 20) }, 'bolna webhook replayed');
          return reply(409, { accepted: false, error: 'This webhook was already received.' });
        }
        const batchId = asString(asObject(body)?.batch_id);
        // An execution of a batch nobody watches (or no batch id at all) changes nothing.
        const watched = batchId !== null && HEX32.test(batchId) && watchers.webhook({ vendor: 'bolna', batchId: batchId.toLowerCase() });
        logger.debug({ batchId, watched }, 'bolna webhook');
        reply(202, { accepted: true, watched });
      },
      () => reply(503, { error: 'Could not check the webhook for a replay; send it again.' }),
    );
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Why a signed webhook is refused, or null when its signature and timestamp hold. */
function signatureProblem(secret: string, signature: string, timestamp: string | undefined, body: Buffer): string | null {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return 'A signed webhook needs `x-webhook-timestamp`, in Unix seconds.';
  if (Math.abs(Date.now() - Number(timestamp) * 1000) > SIGNATURE_TOLERANCE_MS) {
    return `The webhook's timestamp is more than ${SIGNATURE_TOLERANCE_MS / 60_000} minutes from now: refused as a replay (or a clock off).`;
  }
  const given = /^sha256=([0-9a-fA-F]{64})$/.exec(signature.trim())?.[1];
  if (!given) return '`x-webhook-signature` must be `sha256=<64 hex digits>`.';
  const expected = webhookSignature(secret, timestamp, body);
  return timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), Buffer.from(expected, 'hex')) ? null : 'The webhook signature does not verify.';
}
