import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './vendor.js';
import './error.js';
import './status-count.js';
import './batch-result.js';
import './batch.js';
import './node.js';

export function buildSchema(): GraphQLSchema {
  return builder.toSchema({ sortSchema: true });
}
