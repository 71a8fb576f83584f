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

const records = new Map<string, object>();

/** One shared copy of each small record of short values (how a call ended): `key` names its content. */
export function internRecord<T extends object>(key: string, make: () => T): T {
  const known = records.get(key);
  if (known !== undefined) return known as T;
  const value = make();
  if (records.size < MAX_ENTRIES && key.length <= MAX_LENGTH * 4) records.set(key, value);
  return value;
}

/**
 * For the rows of one answer: a value equal to the previous row's is replaced by that row's copy.
 * Rows of a batch often repeat one (its creation time), and each JSON row brings its own copy.
 */
export function reusePrevious(): <T extends string | null>(value: T) => T {
  let previous: string | null = null;
  return <T extends string | null>(value: T): T => {
    if (value !== null && value === previous) return previous as T;
    previous = value;
    return value;
  };
}
