import { readFileSync } from 'node:fs';
import { isInputObjectType, isInterfaceType, isObjectType, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GRAPHIQL_DOCUMENT, schema } from '../src/app.js';
import { BatchListDocument } from './generated/graphql.js';
import { dataOf, harnessPerDescribe } from './helpers/harness.js';

/** The README says what the API does: its operations validate, its names exist, its control table holds. */

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function fenced(language: string): string[] {
  return [...README.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);
}

/** The text of a `## heading` section, up to the next heading of the same level. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('the README', () => {
  it('every GraphQL operation in it, the curl examples and the GraphiQL default validate against the schema', () => {
    const operations = fenced('graphql').filter((block) => parse(block).definitions.every((d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION));
    const curled = fenced('sh').flatMap((block) => [...block.matchAll(/"query":"((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`) as string));
    expect(operations.length).toBeGreaterThanOrEqual(2);
    expect(curled.length).toBeGreaterThanOrEqual(1);
    for (const text of [...operations, ...curled, GRAPHIQL_DOCUMENT]) {
      expect(validate(schema(), parse(text)).map((error) => error.message), text).toEqual([]);
    }
  });

  it('every field and argument named in "The schema in brief" exists', () => {
    const names = new Set<string>();
    for (const type of Object.values(schema().getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          names.add(field.name);
          for (const arg of field.args) names.add(arg.name);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) names.add(field.name);
      }
    }
    const text = section('The schema in brief');
    const mentioned = [...text.matchAll(/`([a-z][A-Za-z]*)(\(([^)`]*)\))?`/g)].flatMap((match) => [match[1]!, ...(match[3] ? match[3].split(',').map((arg) => arg.trim().split(':')[0]!.trim()) : [])]);
    // Vendor wire names are snake_case and never match; words such as `null` are not names.
    const unknown = [...new Set(mentioned)].filter((name) => !names.has(name) && !['null', 'true', 'false'].includes(name));
    expect(mentioned.length).toBeGreaterThan(40);
    expect(unknown).toEqual([]);
  });
});

describe('the README control table', () => {
  const t = harnessPerDescribe();
  type Row = { control: string; flag: string; syllable: string; bolna: string };

  function rows(): Row[] {
    const table = section('The schema in brief').split('\n').filter((line) => /^\| `[a-zA-Z]+` \| `can/.test(line));
    return table.map((line) => {
      const [control, flag, syllable, bolna] = line.split('|').slice(1, 5).map((cell) => cell.trim());
      return { control: control!.replace(/`/g, ''), flag: flag!.replace(/`/g, ''), syllable: syllable!, bolna: bolna! };
    });
  }

  it('lists every control mutation, and says which vendor offers each exactly as the flags behave', async () => {
    const table = rows();
    const mutations = Object.keys(schema().getMutationType()!.getFields()).sort();
    expect(table.map((row) => row.control).sort()).toEqual(mutations);
    const { batches } = dataOf(await t.h.gql(BatchListDocument, { first: 100, includeDeleted: true }));
    for (const row of table) {
      for (const vendor of ['SYLLABLE', 'BOLNA'] as const) {
        const cell = vendor === 'SYLLABLE' ? row.syllable : row.bolna;
        const offered = cell.startsWith('yes');
        expect(offered || cell.startsWith('no'), cell).toBe(true);
        const nodes = batches.edges.map((e) => e.node).filter((n) => n.vendor === vendor);
        const allowed = nodes.filter((n) => (n as unknown as Record<string, boolean>)[row.flag]);
        expect(allowed.length > 0, `${row.control} at ${vendor}`).toBe(offered);
        // Where the table names the statuses it allows, the flags allow exactly those.
        const statuses = [...cell.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]!);
        if (offered && statuses.length > 0) expect(new Set(allowed.map((n) => n.status)), `${row.control} at ${vendor}`).toEqual(new Set(statuses));
      }
    }
  });
});
