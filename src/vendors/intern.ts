/**
 * One copy of each short repeated value (statuses, line types) across the rows of big batches:
 * JSON.parse gives every row its own copy, and 100,000 rows × five of them add up.
 */
const table = new Map<string, string>();
const MAX_ENTRIES = 10_000;
const MAX_LENGTH = 64;

export function intern<T extends string | null>(value: T): T {
  if (value === null || value.length > MAX_LENGTH) return value;
  const known = table.get(value);
  if (known !== undefined) return known as T;
  if (table.size < MAX_ENTRIES) table.set(value, value);
  return value;
}
