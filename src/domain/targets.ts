import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { InvalidInputError } from './errors.js';

/**
 * The check of a target list before anything is sent (`validateTargets`, `createBatch`,
 * `addBatchTargets`, `POST /uploads`): every phone number parsed and normalised to E.164 with
 * libphonenumber-js's full metadata (a number must be valid for its country, not merely of a
 * possible length), duplicates found on the normalised number, reference ids and variables checked
 * so the vendor's CSV comes out whole. The counts are exact; the issues are the first 1,000.
 */

/** One target as a client gave it: a JSON row, or a row of an uploaded CSV. */
export interface TargetRow {
  readonly phoneNumber: string;
  readonly referenceId?: string | null;
  /** Name and value pairs, in the client's order. */
  readonly variables?: ReadonlyArray<readonly [string, string]> | null;
}

/** Variables a vendor sent back (any JSON) as a row's name and value pairs: text as it is, anything else as JSON. */
export function variableRow(values: Readonly<Record<string, unknown>>): Array<readonly [string, string]> {
  return Object.entries(values).map(([name, value]) => [name, typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value)] as const);
}

/** Rows read by index: an array, or a table that makes each row when it is read (an upload of 100,000). */
export interface TargetList {
  readonly length: number;
  at(index: number): TargetRow | undefined;
}

export const TARGET_ISSUE_CODES = [
  'PHONE_NUMBER_MISSING',
  'PHONE_NUMBER_INVALID',
  'PHONE_NUMBER_DUPLICATE',
  'REFERENCE_ID_MISSING',
  'REFERENCE_ID_DUPLICATE',
  'REFERENCE_ID_INVALID',
  'REFERENCE_ID_TAKEN',
  'VARIABLE_MISSING',
  'VARIABLE_NAME_INVALID',
  'VARIABLE_DUPLICATE',
  'VALUE_INVALID',
] as const;
export type TargetIssueCode = (typeof TARGET_ISSUE_CODES)[number];

export interface TargetIssue {
  /** 1-based: row 1 is the first target (in a CSV, the line after the header). */
  readonly row: number;
  /** `phoneNumber`, `referenceId` or `variables.<name>`. */
  readonly field: string;
  readonly code: TargetIssueCode;
  readonly message: string;
  /** The value at fault, shortened; null when it is missing. */
  readonly value: string | null;
}

export interface TargetValidation {
  readonly total: number;
  /** Rows that would be sent. */
  readonly valid: number;
  /** Rows with an issue other than a repeated number: never sent. */
  readonly invalid: number;
  /** Rows whose number an earlier row already has: never sent (the vendor would call once, or mark them DUPLICATE). */
  readonly duplicates: number;
  /** The first `MAX_REPORTED_ISSUES`, in row order. */
  readonly issues: readonly TargetIssue[];
  /** Every variable name any row has, in first-seen order: the CSV's columns after the number and reference id. */
  readonly variableNames: readonly string[];
}

/** A row that passed: what the vendor is sent. */
export interface PreparedTarget {
  /** The row's number in the list (1-based). */
  readonly row: number;
  /** E.164. */
  readonly phoneNumber: string;
  /** The client's, or generated where the vendor needs one and the list has none. */
  readonly referenceId: string | null;
  /** Values in `variableNames` order. */
  readonly values: readonly string[];
}

export interface CheckedTargets {
  readonly validation: TargetValidation;
  readonly targets: readonly PreparedTarget[];
}

/** What a vendor needs of a list, from its adapter. */
export interface TargetRules {
  /** Syllable keys every target by a reference id, unique in the batch. */
  readonly referenceIdRequired: boolean;
  /** Column names the vendor's CSV gives a meaning of its own: no variable may take them. */
  readonly reservedColumns: ReadonlySet<string>;
}

export interface TargetCheckOptions {
  readonly rules: TargetRules;
  /** ISO 3166 code for numbers written without a country code. */
  readonly defaultCountry: string;
  /** Reference ids the batch already has (adding targets): a row may not take one. */
  readonly takenReferenceIds?: ReadonlySet<string>;
  /** Numbers (E.164) the batch already has (adding targets): a row with one is a duplicate. */
  readonly knownNumbers?: ReadonlySet<string>;
  /** Reference ids for a list that has none, where the vendor needs them. @default `row-<n>` */
  readonly generateReferenceId?: (row: number) => string;
  /** False: only the check is wanted (an upload), not the rows to send. @default true */
  readonly keepTargets?: boolean;
}

export const MAX_REPORTED_ISSUES = 1_000;
export const MAX_REFERENCE_ID_LENGTH = 128;
export const MAX_VARIABLE_NAME_LENGTH = 64;
export const MAX_VALUE_LENGTH = 2_000;
/** A prompt placeholder is `{name}`: letters, digits and underscores, not starting with a digit. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Control characters (line breaks included) split or corrupt a vendor's CSV row; tab is allowed. */
const CONTROL = /[^\P{Cc}\t]/u;

/** Whether text holds a control character other than tab (a line break, NUL…). */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A list refused (invalid rows, or nothing to send): why, with the whole check. Nothing was sent. */
export class TargetListRefusedError extends InvalidInputError {
  constructor(
    message: string,
    field: string,
    readonly validation: TargetValidation,
  ) {
    super(message, field);
  }
}

/**
 * Refuses a list with invalid rows (unless they are to be skipped) or with nothing to send.
 * `outcome` says what did not happen: "Nothing was created."
 */
export function refuseList(validation: TargetValidation, skipInvalid: boolean, outcome: string): void {
  if (validation.invalid > 0 && !skipInvalid) {
    throw new TargetListRefusedError(
      `${validation.invalid} of ${validation.total} targets are invalid (see \`validation.issues\`): fix them, or pass \`skipInvalidTargets: true\` to go on without them. ${outcome}`,
      'targets',
      validation,
    );
  }
  if (validation.valid === 0) throw new TargetListRefusedError(`No target of the list can be called (see \`validation.issues\`). ${outcome}`, 'targets', validation);
}

/** The country code, upper-cased, or a typed error naming `field`. */
export function checkCountry(value: string, field = 'defaultCountry'): CountryCode {
  const code = value.trim().toUpperCase();
  if (!isSupportedCountry(code)) throw new InvalidInputError(`\`${field}\` is a two-letter country code such as US or GB (got "${value.slice(0, 10)}").`, field);
  return code;
}

function shorten(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

function valueProblem(value: string): string | null {
  if (CONTROL.test(value)) return 'holds a line break or a control character, which would split the row in the vendor’s CSV';
  if (LONE_SURROGATE.test(value)) return 'is not valid text (a broken character)';
  if (value.length > MAX_VALUE_LENGTH) return `is longer than ${MAX_VALUE_LENGTH} characters`;
  return null;
}

/** Rows checked between two yields of `checkTargetsSoon`: a few ms of work. */
const ROWS_PER_SLICE = 2_000;

/** Checks a list at once; for a long list in a server, `checkTargetsSoon`. */
export function checkTargets(rows: TargetList, options: TargetCheckOptions): CheckedTargets {
  const steps = checkSteps(rows, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Checks a list, letting other work run every few thousand rows (a 100,000-row list takes about a second). */
export async function checkTargetsSoon(rows: TargetList, options: TargetCheckOptions): Promise<CheckedTargets> {
  const steps = checkSteps(rows, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The check, yielding every ROWS_PER_SLICE rows, in two passes over `rows` (the variables are known only after the first). */
function* checkSteps(rows: TargetList, options: TargetCheckOptions): Generator<void, CheckedTargets> {
  const country = checkCountry(options.defaultCountry);
  const { rules } = options;
  // First pass: every variable name and how many rows have it; whether any row has a reference id.
  const rowsWithName = new Map<string, number>();
  let withReference = 0;
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows.at(index)!;
    if (row.referenceId != null && row.referenceId !== '') withReference += 1;
    const seen = new Set<string>();
    for (const [name] of row.variables ?? []) {
      if (seen.has(name)) continue;
      seen.add(name);
      rowsWithName.set(name, (rowsWithName.get(name) ?? 0) + 1);
    }
  }
  const variableNames = [...rowsWithName.keys()];
  const column = new Map(variableNames.map((name, i) => [name, i]));
  const nameProblems = new Map<string, string>();
  for (const name of variableNames) {
    if (name === '' || !VARIABLE_NAME.test(name) || name.length > MAX_VARIABLE_NAME_LENGTH) {
      nameProblems.set(name, `"${shorten(name)}" is not a variable name: letters, digits and underscores, not starting with a digit, at most ${MAX_VARIABLE_NAME_LENGTH}`);
    } else if (rules.reservedColumns.has(name.toLowerCase())) {
      nameProblems.set(name, `"${name}" is a column the vendor reads itself, so it cannot be a variable`);
    }
  }
  const generate = rules.referenceIdRequired && withReference === 0 ? (options.generateReferenceId ?? ((n: number) => `row-${n}`)) : null;

  const issues: TargetIssue[] = [];
  const targets: PreparedTarget[] = [];
  const firstRowOfNumber = new Map<string, number>();
  const firstRowOfReference = new Map<string, number>();
  let valid = 0;
  let invalid = 0;
  let duplicates = 0;
  const keep = options.keepTargets ?? true;
  for (let index = 0; index < rows.length; index += 1) {
    if (index > 0 && index % ROWS_PER_SLICE === 0) yield;
    const row = rows.at(index)!;
    const n = index + 1;
    // Whether the row has an issue that keeps it from being sent (a repeated number only skips it).
    const state = { bad: false };
    const report = (field: string, code: TargetIssueCode, message: string, value: string | null) => {
      if (code !== 'PHONE_NUMBER_DUPLICATE') state.bad = true;
      if (issues.length < MAX_REPORTED_ISSUES) issues.push({ row: n, field, code, message: `Row ${n}: ${message}.`, value: value === null ? null : shorten(value) });
    };

    const raw = row.phoneNumber.trim();
    let e164: string | null = null;
    if (raw === '') report('phoneNumber', 'PHONE_NUMBER_MISSING', 'the phone number is missing', null);
    else {
      const parsed = raw.length <= 40 ? parsePhoneNumberFromString(raw, country) : undefined;
      if (!parsed || !parsed.isValid()) {
        report('phoneNumber', 'PHONE_NUMBER_INVALID', `"${shorten(raw)}" is not a valid phone number${raw.startsWith('+') ? '' : ` (read as a ${country} number: write others with their +country code)`}`, raw);
      } else e164 = parsed.number;
    }

    let referenceId: string | null = row.referenceId == null || row.referenceId === '' ? null : row.referenceId;
    if (referenceId === null) {
      if (generate) referenceId = generate(n);
      else if (withReference > 0) report('referenceId', 'REFERENCE_ID_MISSING', 'the reference id is missing, and the other rows have one (give all rows one, or none)', null);
    } else if (referenceId.length > MAX_REFERENCE_ID_LENGTH || CONTROL.test(referenceId) || LONE_SURROGATE.test(referenceId) || referenceId.trim() !== referenceId) {
      report('referenceId', 'REFERENCE_ID_INVALID', `the reference id is at most ${MAX_REFERENCE_ID_LENGTH} printable characters, without spaces around it`, referenceId);
    } else if (options.takenReferenceIds?.has(referenceId)) {
      report('referenceId', 'REFERENCE_ID_TAKEN', `the batch already has a target with reference id "${shorten(referenceId)}"`, referenceId);
    } else {
      const first = firstRowOfReference.get(referenceId);
      if (first !== undefined) report('referenceId', 'REFERENCE_ID_DUPLICATE', `reference id "${shorten(referenceId)}" is also on row ${first}`, referenceId);
      else firstRowOfReference.set(referenceId, n);
    }

    const values: string[] = new Array<string>(variableNames.length).fill('');
    const given = new Set<string>();
    for (const [name, value] of row.variables ?? []) {
      const field = `variables.${name}`;
      if (given.has(name)) {
        report(field, 'VARIABLE_DUPLICATE', `variable "${shorten(name)}" is given twice`, value);
        continue;
      }
      given.add(name);
      const nameProblem = nameProblems.get(name);
      if (nameProblem) report(field, 'VARIABLE_NAME_INVALID', nameProblem, name);
      const problem = valueProblem(value);
      if (problem) report(field, 'VALUE_INVALID', `the value of "${shorten(name)}" ${problem}`, value);
      values[column.get(name)!] = value;
    }
    if (given.size < variableNames.length) {
      for (const name of variableNames) {
        if (!given.has(name)) report(`variables.${name}`, 'VARIABLE_MISSING', `variable "${shorten(name)}" is missing, and ${rowsWithName.get(name)} other rows have it (the prompt would read it empty)`, null);
      }
    }

    if (e164 !== null && !state.bad) {
      const first = firstRowOfNumber.get(e164);
      if (first !== undefined) report('phoneNumber', 'PHONE_NUMBER_DUPLICATE', `${e164} is also on row ${first}: it is called once`, raw);
      else if (options.knownNumbers?.has(e164)) report('phoneNumber', 'PHONE_NUMBER_DUPLICATE', `${e164} is already in the batch: it is called once`, raw);
      else {
        firstRowOfNumber.set(e164, n);
        valid += 1;
        if (keep) targets.push({ row: n, phoneNumber: e164, referenceId, values });
        continue;
      }
      duplicates += 1;
      continue;
    }
    invalid += 1;
  }
  return {
    validation: { total: rows.length, valid, invalid, duplicates, issues, variableNames },
    targets,
  };
}
