import { MAX_REPORTED_ISSUES, TARGET_ISSUE_CODES, type TargetIssue, type TargetIssueCode, type TargetValidation } from '../domain/targets.js';
import { builder } from './builder.js';

/** The check of a target list, as `validateTargets`, `POST /uploads` and a refused list (`InvalidInputError.validation`) give it. */

const ISSUE_DESCRIPTIONS: Record<TargetIssueCode, string> = {
  PHONE_NUMBER_MISSING: 'The row has no phone number.',
  PHONE_NUMBER_INVALID: 'The phone number is not a valid number of its country (checked with full metadata, not only its length).',
  PHONE_NUMBER_DUPLICATE: 'Another row (or the batch) already has this number, once normalised: this row is not sent.',
  REFERENCE_ID_MISSING: 'The row has no reference id while other rows have one.',
  REFERENCE_ID_DUPLICATE: 'Another row has the same reference id.',
  REFERENCE_ID_INVALID: 'The reference id is too long, or has spaces around it or control characters.',
  REFERENCE_ID_TAKEN: 'The batch already has a target with this reference id (adding targets).',
  VARIABLE_MISSING: 'Other rows have a variable this row lacks: the prompt would read it empty.',
  VARIABLE_NAME_INVALID: "The variable's name is not a plain name, or is a column the vendor reads itself.",
  VARIABLE_DUPLICATE: 'The row gives the same variable twice.',
  VALUE_INVALID: "A value has a line break or control character (it would break the vendor's CSV), is not valid text, or is too long.",
};

export const TargetIssueCodeEnum = builder.enumType('TargetIssueCode', {
  description: 'What is wrong with a row of a target list.',
  values: Object.fromEntries(TARGET_ISSUE_CODES.map((code) => [code, { value: code, description: ISSUE_DESCRIPTIONS[code] }])) as Record<TargetIssueCode, { value: TargetIssueCode; description: string }>,
});

const TargetIssueRef = builder.objectRef<TargetIssue>('TargetIssue').implement({
  description: 'One problem of one row of a target list.',
  fields: (t) => ({
    row: t.exposeInt('row', { description: 'The row, from 1: row 1 is the first target (in a CSV, the line after the header).' }),
    field: t.exposeString('field', { description: '`phoneNumber`, `referenceId`, or `variables.<name>`.' }),
    code: t.field({ type: TargetIssueCodeEnum, description: 'What is wrong, for programs.', resolve: (issue) => issue.code }),
    message: t.exposeString('message', { description: 'What is wrong, in words, with the row number.' }),
    value: t.exposeString('value', { nullable: true, description: 'The value at fault (shortened to 80 characters); null when it is missing.' }),
  }),
});

export const TargetValidationRef = builder.objectRef<TargetValidation>('TargetValidation').implement({
  description: 'A target list checked before anything is sent: exact counts, and the first issues in row order.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Rows in the list.' }),
    valid: t.exposeInt('valid', { description: 'Rows that would be sent.' }),
    invalid: t.exposeInt('invalid', { description: 'Rows with an issue: never sent (a create refuses the list unless `skipInvalidTargets`).' }),
    duplicates: t.exposeInt('duplicates', { description: "Rows whose number an earlier row has: not sent (the vendor would call once, or mark them DUPLICATE). They do not refuse a list." }),
    issues: t.field({
      type: [TargetIssueRef],
      description: `The first ${MAX_REPORTED_ISSUES.toLocaleString('en-US')} issues in row order (a row may have several); the counts cover every row.`,
      resolve: (validation) => validation.issues,
    }),
    variableNames: t.exposeStringList('variableNames', { description: "Every variable any row has, in first-seen order: the CSV's columns after the number and reference id." }),
  }),
});
