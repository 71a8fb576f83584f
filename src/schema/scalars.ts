import { Kind } from 'graphql';
import { InvalidInputError } from '../domain/errors.js';
import { builder } from './builder.js';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value)) {
    throw new InvalidInputError('DateTime must be an ISO-8601 string with a time zone, e.g. 2030-01-31T18:00:00Z.');
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidInputError(`"${value}" is not a valid date and time.`);
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant, written as ISO-8601 in UTC (`2026-11-23T09:30:00.000Z`). Inputs need a zone: `Z` or `+hh:mm`.',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new InvalidInputError('DateTime must be a string.');
    return parseDateTime(ast.value);
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value, passed through as the vendor sent it.',
  serialize: (value) => value,
  parseValue: (value) => value,
});
