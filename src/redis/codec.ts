import { parseTimestamp } from '../domain/time.js';

/**
 * Domain records as text in Redis (answers of the read cache, the fleet's live events): plain
 * JSON, with the parsed vendor timestamps revived from their raw text on the way back.
 */

/** Fields of the domain records that hold a parsed vendor timestamp. */
const TIMESTAMP_FIELDS = new Set(['expiresOn', 'scheduledAt', 'createdAt', 'updatedAt', 'sentAt', 'deletedAt']);

export function encodeRecords(value: unknown): string {
  return JSON.stringify(value);
}

export function decodeRecords(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (TIMESTAMP_FIELDS.has(key) && value !== null && typeof value === 'object' && typeof (value as { raw?: unknown }).raw === 'string') {
      return parseTimestamp((value as { raw: string }).raw);
    }
    return value;
  });
}
