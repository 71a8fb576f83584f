import { parse } from 'csv-parse/sync';

/** The rows of an uploaded CSV as a vendor's importer reads them (header first); null when it is not valid CSV. */
export function csvRows(text: string): string[][] | null {
  try {
    const rows: unknown = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true });
    return rows as string[][];
  } catch {
    return null;
  }
}
