import { once } from 'node:events';
import { parse, CsvError } from 'csv-parse';
import { InvalidInputError } from '../domain/errors.js';
import type { TargetList } from '../domain/targets.js';

/**
 * An uploaded target list (`POST /uploads`): a CSV read as it streams in (csv-parse: quoted
 * fields, line breaks inside quotes, RFC 4180), kept as a table of its cells. UTF-8 only, with or
 * without a byte-order mark; the first row names the columns.
 */

/** The columns that may hold the phone number, in the names each vendor's CSV uses. */
export const PHONE_COLUMNS = ['phone_number', 'target', 'contact_number'] as const;
export const REFERENCE_COLUMN = 'reference_id';

export interface TableLimits {
  readonly maxBytes: number;
  readonly maxRows: number;
}

/** The rows of an upload, as cells: `phone`, then the reference id when the file has that column, then the variables. */
export interface TargetTable {
  /** The header of the phone column, as written. */
  readonly phoneColumn: string;
  readonly hasReference: boolean;
  readonly variableNames: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

/** What is wrong with an upload, with the HTTP status it answers. */
export class UploadRejectedError extends InvalidInputError {
  constructor(
    message: string,
    /** 400 malformed, 413 too large, 415 not CSV. */
    readonly status: 400 | 413 | 415,
    field: string | null = 'file',
  ) {
    super(message, field);
  }
}

/** One cell longer than this is not a target list. */
const MAX_CELL_BYTES = 64 * 1024;

function header(cells: readonly string[]): Omit<TargetTable, 'rows'> & { readonly width: number } {
  const names = cells.map((cell) => cell.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new UploadRejectedError('The header row has an empty column name: the first row must name every column.', 400);
    const folded = name.toLowerCase();
    if (seen.has(folded)) throw new UploadRejectedError(`The header row names "${name.slice(0, 60)}" twice.`, 400);
    seen.add(folded);
  }
  const phones = names.filter((name) => (PHONE_COLUMNS as readonly string[]).includes(name.toLowerCase()));
  if (phones.length === 0) {
    throw new UploadRejectedError(`The file has no phone column: name one of ${PHONE_COLUMNS.join(', ')} in the header row (it has ${names.slice(0, 10).join(', ')}).`, 400);
  }
  if (phones.length > 1) throw new UploadRejectedError(`The file has ${phones.length} phone columns (${phones.join(', ')}): keep one.`, 400);
  const phoneColumn = phones[0]!;
  const hasReference = names.some((name) => name.toLowerCase() === REFERENCE_COLUMN);
  const variableNames = names.filter((name) => name !== phoneColumn && name.toLowerCase() !== REFERENCE_COLUMN);
  return { phoneColumn, hasReference, variableNames, width: names.length };
}

/**
 * Reads a CSV body as it arrives, refusing it as soon as it passes `maxBytes` or `maxRows`, is not
 * UTF-8, or holds binary (NUL bytes). Cells are reordered as `TargetTable` keeps them.
 */
export async function readTargetTable(body: AsyncIterable<Uint8Array>, limits: TableLimits): Promise<TargetTable> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = parse({ skip_empty_lines: true, max_record_size: MAX_CELL_BYTES });
  let shape: ReturnType<typeof header> | null = null;
  let order: number[] = [];
  const rows: string[][] = [];
  let failure: unknown = null;
  parser.on('readable', () => {
    let record: unknown;
    while (failure === null && (record = parser.read()) !== null) {
      const cells = record as string[];
      try {
        if (shape === null) {
          shape = header(cells);
          const names = cells.map((cell) => cell.trim());
          const phone = names.indexOf(shape.phoneColumn);
          const reference = names.findIndex((name) => name.toLowerCase() === REFERENCE_COLUMN);
          order = [phone, ...(reference >= 0 ? [reference] : []), ...shape.variableNames.map((name) => names.indexOf(name))];
          continue;
        }
        if (rows.length >= limits.maxRows) throw new UploadRejectedError(`The file has more than ${limits.maxRows.toLocaleString('en-US')} rows: split it.`, 413);
        rows.push(order.map((column) => cells[column] ?? ''));
      } catch (error) {
        failure = error;
      }
    }
  });
  parser.on('error', (error) => (failure ??= error));
  const ended = once(parser, 'end').catch(() => {});

  let bytes = 0;
  try {
    for await (const chunk of body) {
      bytes += chunk.byteLength;
      if (bytes > limits.maxBytes) throw new UploadRejectedError(`The file is larger than ${Math.round(limits.maxBytes / 1_048_576)} MB: split it.`, 413);
      const text = decodeChunk(decoder, chunk);
      if (!parser.write(text)) await Promise.race([once(parser, 'drain'), ended]);
      if (failure !== null) break;
    }
    if (failure === null) {
      const rest = decodeChunk(decoder, undefined);
      parser.end(rest);
      await ended;
    }
  } catch (error) {
    failure ??= error;
  }
  parser.destroy();
  if (failure !== null) throw asUploadError(failure);
  if (shape === null) throw new UploadRejectedError('The file is empty: it needs a header row and one row per target.', 400);
  const { phoneColumn, hasReference, variableNames } = shape as ReturnType<typeof header>;
  return { phoneColumn, hasReference, variableNames, rows };
}

/** Decodes a chunk (or, with none, what the decoder still holds), refusing what is not UTF-8 text. */
function decodeChunk(decoder: TextDecoder, chunk: Uint8Array | undefined): string {
  let text: string;
  try {
    text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch {
    throw new UploadRejectedError('The file is not UTF-8 text: save it as "CSV UTF-8".', 415);
  }
  if (text.includes('\u0000')) throw new UploadRejectedError('The file holds binary data, not CSV text.', 415);
  return text;
}

function asUploadError(error: unknown): Error {
  if (error instanceof UploadRejectedError) return error;
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    const where = typeof line === 'number' ? ` (line ${line})` : '';
    if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') return new UploadRejectedError(`A row has a different number of columns than the header${where}.`, 400);
    if (error.code === 'CSV_MAX_RECORD_SIZE') return new UploadRejectedError(`A cell is longer than ${MAX_CELL_BYTES / 1024} KB${where}.`, 413);
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') return new UploadRejectedError(`A quoted cell is never closed${where}.`, 400);
    return new UploadRejectedError(`The file is not valid CSV${where}: ${error.message.slice(0, 200)}`, 400);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The table's rows as target rows, each made when it is read: a 100,000-row upload is not copied. */
export function tableTargets(table: TargetTable): TargetList {
  const offset = table.hasReference ? 2 : 1;
  return {
    length: table.rows.length,
    at(index) {
      const cells = table.rows[index];
      if (!cells) return undefined;
      return {
        phoneNumber: cells[0] ?? '',
        referenceId: table.hasReference ? (cells[1] ?? '') : null,
        variables: table.variableNames.map((name, i) => [name, cells[offset + i] ?? ''] as const),
      };
    },
  };
}
