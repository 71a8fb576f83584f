import type { Timestamp } from './model.js';

// ISO-8601 as the vendors send it: `T` or a space between date and time, optional fraction,
// `Z`, `+05:30`, `+0530` or nothing (Bolna documents UTC for values without an offset).
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a vendor timestamp; an unparsable string keeps its raw text with `date: null`. */
export function parseTimestamp(value: unknown): Timestamp | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const raw = value.trim();
  const match = ISO_TIMESTAMP.exec(raw);
  if (!match) return { raw, date: null };
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const offset = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${offset}`);
  if (Number.isNaN(date.getTime())) return { raw, date: null };
  // Reject values JavaScript would roll over (Feb 31, second 89) instead of reading them wrongly.
  const local = new Date(date.getTime() + offsetMinutes(offset) * 60_000);
  if (
    local.getUTCFullYear() !== Number(year) ||
    local.getUTCMonth() + 1 !== Number(month) ||
    local.getUTCDate() !== Number(day) ||
    local.getUTCHours() !== Number(hour) ||
    local.getUTCMinutes() !== Number(minute) ||
    local.getUTCSeconds() !== Number(second)
  ) {
    return { raw, date: null };
  }
  return { raw, date };
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/**
 * A timestamp parsed when first read: result rows hold three each and a batch may have 100,000
 * rows, of which a page shows a hundred, so rows keep the vendor's text until a field asks.
 */
class RawTimestamp implements Timestamp {
  private parsed: Date | null | undefined;
  constructor(readonly raw: string) {}
  get date(): Date | null {
    if (this.parsed === undefined) this.parsed = parseTimestamp(this.raw)?.date ?? null;
    return this.parsed;
  }
  toJSON(): { raw: string } {
    return { raw: this.raw };
  }
}

export function lazyTimestamp(value: unknown): Timestamp | null {
  return typeof value === 'string' && value.trim() !== '' ? new RawTimestamp(value) : null;
}

/** A vendor timestamp kept as its text (rows of results), or null when absent. */
export function rawTime(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
