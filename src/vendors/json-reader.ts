/**
 * Defensive readers for vendor JSON: a field of the wrong type reads as absent instead of
 * throwing, because vendors change their shapes more often than their documents.
 */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
}

export function asArray(value: unknown): unknown[] | null {
  return Array.isArray(value) ? value : null;
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Ids arrive as strings or integers depending on the vendor and the document version. */
export function asId(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // Bolna documents `telephony_data.duration` as a string of digits.
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return null;
}

export function asBoolean(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** A `{key: integer}` map such as a status count table; non-integer entries are skipped. */
export function asCountMap(value: unknown): Map<string, number> | null {
  const object = asObject(value);
  if (!object) return null;
  const counts = new Map<string, number>();
  for (const [key, count] of Object.entries(object)) {
    if (typeof count === 'number' && Number.isInteger(count) && count >= 0) counts.set(key, count);
  }
  return counts;
}

/** The strings of a JSON array; other items are left out. */
export function asStringArray(value: unknown): string[] | null {
  const items = asArray(value);
  return items ? items.filter((item): item is string => typeof item === 'string' && item !== '') : null;
}

/**
 * Maps each object of a JSON array. Items that are not objects, or that `map` rejects (null),
 * are left out and counted, so a caller can say that data is missing instead of hiding it.
 */
export function readObjects<T>(value: unknown, map: (item: JsonObject) => T | null): { items: T[]; unreadable: number } {
  const items: T[] = [];
  let unreadable = 0;
  for (const item of asArray(value) ?? []) {
    const object = asObject(item);
    const mapped = object ? map(object) : null;
    if (mapped !== null) items.push(mapped);
    else unreadable += 1;
  }
  return { items, unreadable };
}

/** `readObjects` without the count. */
export function mapObjects<T>(value: unknown, map: (item: JsonObject) => T | null): T[] {
  return readObjects(value, map).items;
}
