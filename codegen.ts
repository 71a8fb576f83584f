import type { CodegenConfig } from '@graphql-codegen/cli';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema } from 'graphql';
import { schema, subgraphSchema } from './src/app.js';

/**
 * `npm run generate`: the printed SDL (the contract frontends read), the subgraph SDL for a
 * federation router, the supergraph of deploy/compose.yaml, and typed documents for the test operations and the dashboard's. The test
 * suite regenerates them all in memory and fails on any difference.
 */
/** The supergraph of deploy/compose.yaml: this API alone, at the replicas' service address. */
function deploySupergraph(): string {
  const composed = composeServices([{ name: 'outbound', url: 'http://api:4000/graphql', typeDefs: parse(printSubgraphSchema(subgraphSchema())) }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return composed.supergraphSdl;
}

const config: CodegenConfig = {
  schema: printSchema(schema()),
  ignoreNoDocuments: true,
  // ESM: relative imports in generated files carry their .js extension.
  importExtension: '.js',
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true, commentDescriptions: false },
    },
    // The subgraph SDL keeps the federation directives (@link, @key, @shareable) for composition.
    'schema/subgraph.graphql': {
      plugins: [{ add: { content: printSubgraphSchema(subgraphSchema()) } }],
    },
    'deploy/supergraph.graphql': {
      plugins: [{ add: { content: deploySupergraph() } }],
    },
    'test/generated/': {
      documents: ['test/operations/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
    },
    // The dashboard's documents as typed strings: the page sends them as they are, with no GraphQL
    // library in the browser, and a schema change that breaks one fails the typecheck.
    'dashboard/generated/': {
      documents: ['dashboard/operations/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, documentMode: 'string', scalars: { DateTime: 'string', JSON: 'unknown' } },
    },
  },
};

export default config;
