import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Caller } from '../security/auth.js';
import type { OperationStore } from '../store/operation-store.js';
import { grantsOf, scopeFailure, type Grants } from '../security/grants.js';

/**
 * What a resolver sees: the operation's store (the only way to vendors, watched batches and their
 * history) and who is calling. Each event of a subscription gets a store of its own.
 */
export interface Context {
  readonly store: OperationStore;
  readonly caller: Caller;
}

export interface SchemaTypes {
  Context: Context;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  AuthScopes: Grants;
}

export const builder = new SchemaBuilder<SchemaTypes>({
  // Scope auth first, so no other plugin's wrapper runs before a caller is authorised; federation
  // last: it must see resolvers as the other plugins leave them.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Field scopes only: what reading a type needs is checked by src/schema/read-guard.ts.
    authScopes: (ctx) => grantsOf(ctx.caller),
    unauthorizedError: (_parent, _ctx, _info, result) => scopeFailure(result),
  },
  errors: {
    // Listed per mutation, never by default, so no internal error reaches a client as data.
    defaultTypes: [],
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // `node`/`nodes` are defined in node.ts so that an unknown id is reported, not silently null.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodeTypeOptions: { description: 'An object with a global id that `node` and `nodes` can fetch again.' },
    idFieldOptions: { description: 'Readable global id: `<vendor>:<batch id>` for a batch, `<vendor>:<batch id>:<reference id>` for a result.' },
    // Every Relay subgraph of a supergraph defines PageInfo the same way: @shareable lets them compose.
    pageInfoTypeOptions: { description: 'Where a page sits in its connection.', shareable: true },
    hasNextPageFieldOptions: { description: 'True when more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'True when items come before this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page; null for an empty page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page; null for an empty page.' },
    cursorFieldOptions: { description: 'Opaque cursor of this item, for `after` or `before`.' },
    nodeFieldOptions: { description: 'The item.' },
    edgesFieldOptions: { description: 'The items of this page with their cursors.' },
    pageInfoFieldOptions: { description: 'Paging state of this page.' },
    firstArgOptions: { description: 'How many items to return from the start (after `after`).' },
    lastArgOptions: { description: 'How many items to return from the end (before `before`).' },
    afterArgOptions: { description: 'Return items after this cursor.' },
    beforeArgOptions: { description: 'Return items before this cursor.' },
  },
});

builder.queryType({ description: 'Reads over the batches of every enabled vendor.' });
// Every change needs `batches:write`, checked before a resolver runs: a refused caller sends no write.
builder.mutationType({ description: 'Changes to batches, applied at the owning vendor.', authScopes: { batchesWrite: true } });
