import { stringify } from 'csv-stringify/sync';
import type { TargetFile } from '../domain/launch.js';

/**
 * A checked target list as the CSV a vendor takes: a header row, then one row per target, quoted
 * per RFC 4180 where a value needs it. `phoneColumn` and `referenceColumn` are the vendor's names;
 * the variables follow, in the list's order.
 */
export function targetCsv(file: TargetFile, phoneColumn: string, referenceColumn: string | null): string {
  const header = referenceColumn ? [referenceColumn, phoneColumn, ...file.variableNames] : [phoneColumn, ...file.variableNames];
  const rows = file.targets.map((target) => (referenceColumn ? [target.referenceId ?? '', target.phoneNumber, ...target.values] : [target.phoneNumber, ...target.values]));
  return stringify([header, ...rows], { record_delimiter: '\r\n' });
}
