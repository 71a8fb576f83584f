import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSubgraphSchema } from '@apollo/subgraph';
import { printSchema } from 'graphql';
import { schema, subgraphSchema } from './src/app.js';

/**
 * `npm run generate`: the printed SDL (the contract frontends read), the subgraph SDL for a
 * federation router, and typed documents for the
 * test operations. The test suite regenerates both in memory and fails on any difference.
 */
const config: CodegenConfig = {
  schema: printSchema(schema()),
  documents: ['test/operations/**/*.graphql'],
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
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
    },
  },
};

export default config;
