import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { type GraphQLArgument, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType, type GraphQLNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY, schema } from '../src/server/app.js';
import codegenConfig from '../codegen.js';
import { startHarness, type Harness } from './helpers/harness.js';

describe('generated artifacts', () => {
  it('schema/schema.graphql and the typed documents match the code (run `npm run generate`)', async () => {
    const outputs = (await generate({ ...codegenConfig, silent: true }, false)) as Array<{ filename: string; content: string }>;
    expect(outputs.length).toBeGreaterThanOrEqual(2);
    for (const output of outputs) {
      const committed = readFileSync(new URL(`../${output.filename}`, import.meta.url), 'utf8');
      expect(committed, `${output.filename} is stale: run npm run generate`).toBe(output.content);
    }
  }, 60_000);
});

describe('documentation', () => {
  const BUILT_IN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
  const ours = (type: GraphQLNamedType) => !type.name.startsWith('__') && !BUILT_IN.has(type.name);

  it('every public type, field, argument and enum value has a description', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema().getTypeMap()).filter(ours)) {
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        const fields: Array<{ name: string; description?: string | null; args?: readonly GraphQLArgument[] }> = isInputObjectType(type)
          ? Object.values(type.getFields())
          : Object.values(type.getFields());
        for (const field of fields) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args ?? []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      expect(isScalarType(type) || isUnionType(type) || isObjectType(type) || isInterfaceType(type) || isEnumType(type) || isInputObjectType(type)).toBe(true);
    }
    expect(missing).toEqual([]);
  });

  it('has the contract names', () => {
    const s = schema();
    for (const name of ['Batch', 'BatchResult', 'StatusCount', 'BatchMutationResult', 'BatchMutationSuccess', 'BatchNotFoundError', 'UnsupportedOperationError', 'InvalidInputError', 'VendorError', 'Error', 'Node']) {
      expect(s.getType(name), name).toBeDefined();
    }
    const union = s.getType('BatchMutationResult');
    expect(isUnionType(union) && union.getTypes().map((t) => t.name).sort()).toEqual(
      ['BatchIncompleteError', 'BatchMutationSuccess', 'BatchNotFoundError', 'InvalidInputError', 'UnsupportedOperationError', 'VendorError', 'WriteOutcomeUnknownError'].sort(),
    );
  });
});

describe('GraphiQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('is served at /graphql with the example query, and the example query works on the demo data', async () => {
    const page = await fetch(h.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('graphiql');
    expect(html).toContain('query Dashboard');
    expect(html).toContain('subscription Watch');
    // Served from the package, so it works offline: no script or style from another host.
    expect(html).not.toMatch(/(src|href)=["']?https?:\/\//);
    const response = await h.gql<{ batches: { totalCount: number; edges: unknown[] } }, Record<string, never>>(EXAMPLE_QUERY);
    expect(response.errors).toBeUndefined();
    expect(response.data?.batches.edges).toHaveLength(10);
  });
});
