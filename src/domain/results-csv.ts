import { resultGlobalId } from './ids.js';
import type { ResultRecord } from './model.js';
import { parseTimestamp } from './time.js';

/**
 * A batch's results as a spreadsheet: one header row, one row per target, the fields of both
 * vendors (a field one vendor lacks is an empty cell), then each prompt variable as a column of
 * its own, in the order the rows first name them.
 */
const FIXED_COLUMNS: ReadonlyArray<readonly [string, (row: ResultRecord) => unknown]> = [
  ['id', (r) => resultGlobalId({ vendor: r.vendor, batchId: r.vendorBatchId, referenceId: r.referenceId })],
  ['vendor', (r) => r.vendor],
  ['batch_id', (r) => r.vendorBatchId],
  ['reference_id', (r) => r.referenceId],
  ['phone_number', (r) => r.target],
  ['status', (r) => r.status],
  ['vendor_status', (r) => r.vendorStatus],
  ['channel_status', (r) => r.channelStatus],
  ['attempts', (r) => r.attemptCount],
  ['created_at', (r) => isoTime(r.createdAt)],
  ['sent_at', (r) => isoTime(r.sentAt)],
  ['updated_at', (r) => isoTime(r.updatedAt)],
  ['duration_seconds', (r) => r.durationSeconds],
  ['cost_cents', (r) => r.costCents],
  ['answered_by_voicemail', (r) => r.answeredByVoicemail],
  ['hangup_by', (r) => r.call?.hangupBy],
  ['hangup_reason', (r) => r.call?.hangupReason],
  ['error_message', (r) => r.call?.errorMessage],
  ['provider', (r) => r.call?.provider],
  ['provider_call_id', (r) => r.providerCallId],
  ['session_id', (r) => r.sessionId],
  ['conversation_id', (r) => r.conversationId],
  ['line_type', (r) => r.lineType],
  ['insights_status', (r) => r.insightsStatus],
  ['insights', (r) => r.insights],
  ['recording_url', (r) => r.recordingUrl],
  ['transcript', (r) => r.transcript],
];

export const RESULTS_CSV_FIXED_COLUMNS: readonly string[] = FIXED_COLUMNS.map(([name]) => name);
const FIXED_NAMES = new Set(RESULTS_CSV_FIXED_COLUMNS);

/** Rows written per chunk: big enough to amortise the writes, small enough to keep memory flat. */
export const RESULTS_CSV_CHUNK_ROWS = 250;

/** A phone number in E.164: it starts with `+`, and a spreadsheet must still be able to dial it. */
const E164 = /^\+[1-9]\d{1,14}$/;
/** A plain number (a duration, a count): never a formula, whatever its sign. */
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;
/** What a spreadsheet would run as a formula when a cell starts with it (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell's text as a spreadsheet may open it safely: text that would start a formula gets a
 * leading `'` (shown as text, never run). E.164 numbers and plain numbers are left as they are.
 */
export function neutraliseCell(text: string): string {
  if (!FORMULA_START.test(text) || E164.test(text) || PLAIN_NUMBER.test(text)) return text;
  return `'${text}`;
}

function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return neutraliseCell(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return neutraliseCell(JSON.stringify(value));
}

/** Already ISO 8601 in UTC: kept as the vendor wrote it. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/**
 * A vendor timestamp in ISO 8601 UTC; the vendor's text when it cannot be read, so nothing is
 * lost. Parsing was a quarter of an export's time (profiled): text already in UTC is kept, and
 * the last one converted is remembered (a batch's rows share their `created_at`).
 */
function isoTime(raw: string | null | undefined): string | null {
  if (!raw) return null;
  if (ISO_UTC.test(raw)) return raw;
  if (raw === lastConverted.raw) return lastConverted.iso;
  const parsed = parseTimestamp(raw);
  lastConverted = { raw, iso: parsed?.date ? parsed.date.toISOString() : raw };
  return lastConverted.iso;
}
let lastConverted = { raw: '', iso: '' };

/** Needs quotes in CSV (RFC 4180): a comma, a quote or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A cell as CSV text, quoted only where RFC 4180 needs it. Written here rather than with
 * csv-stringify: 100,000 rows × 30 cells as arrays for the library were most of the export's
 * time and its garbage (see the README's benchmark).
 */
function quoted(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function csvLine(cells: readonly string[]): string {
  return `${cells.map(quoted).join(',')}\r\n`;
}

/** The variable names of the rows, in the order they first appear. */
export function variableColumns(rows: readonly ResultRecord[]): string[] {
  const names = new Set<string>();
  for (const row of rows) {
    if (row.variables) for (const name of Object.keys(row.variables)) names.add(name);
  }
  return [...names];
}

/** A variable's column: its own name, unless a fixed column has it (then `variable:<name>`). */
function variableHeader(name: string): string {
  return FIXED_NAMES.has(name) ? `variable:${name}` : name;
}

/** Part of a CSV: its text and how many result rows it holds (0 for the header). */
export interface CsvChunk {
  readonly text: string;
  readonly rows: number;
}

/**
 * The CSV of `rows` as chunks of text (RFC 4180, CRLF): the header first, then
 * RESULTS_CSV_CHUNK_ROWS rows at a time, so a writer can pause between chunks.
 */
export function* resultsCsvChunks(rows: readonly ResultRecord[]): Generator<CsvChunk, void, undefined> {
  const variables = variableColumns(rows);
  yield { text: csvLine([...RESULTS_CSV_FIXED_COLUMNS, ...variables.map(variableHeader)].map(neutraliseCell)), rows: 0 };
  for (let start = 0; start < rows.length; start += RESULTS_CSV_CHUNK_ROWS) {
    const end = Math.min(rows.length, start + RESULTS_CSV_CHUNK_ROWS);
    let text = '';
    for (let i = start; i < end; i += 1) {
      const row = rows[i]!;
      let line = '';
      for (let c = 0; c < FIXED_COLUMNS.length; c += 1) line += (c === 0 ? '' : ',') + quoted(cellOf(FIXED_COLUMNS[c]![1](row)));
      const values = row.variables;
      for (const name of variables) line += `,${quoted(cellOf(values?.[name]))}`;
      text += `${line}\r\n`;
    }
    yield { text, rows: end - start };
  }
}

/**
 * The last line of an export that is not the whole batch (it failed after its first byte, or the
 * vendor sent rows that could not be read): a reader sees the file is incomplete.
 */
export function exportErrorLine(code: string, rowsWritten: number, message = `The export stopped after ${rowsWritten} rows; this file is incomplete. Download it again.`): string {
  return csvLine(['#ERROR', code, neutraliseCell(message)]);
}

/** The link to a batch's results as CSV (`GET /batches/{id}/results.csv`), with the filters of `results`. */
export function resultsCsvUrl(batchId: string, filters: { readonly status?: string | null; readonly insightsStatus?: string | null }): string {
  const search = new URLSearchParams();
  if (filters.status) search.set('status', filters.status);
  if (filters.insightsStatus) search.set('insightsStatus', filters.insightsStatus);
  const tail = search.size > 0 ? `?${search.toString()}` : '';
  return `/batches/${encodeURIComponent(batchId)}/results.csv${tail}`;
}

/** A file name after the batch: `<vendor>-<batch id>-results[-<status>].csv`, safe in any file system. */
export function resultsFileName(vendor: string, batchId: string, status: string | null): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${vendor}-${safe(batchId)}-results${status ? `-${status.toLowerCase().replace(/_/g, '-')}` : ''}.csv`;
}
