import type { ListArgumentLimit } from '../security/operation-plan.js';
import { builder } from './builder.js';

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'A batch or batch result by global id. Null with a NOT_FOUND error when unknown.',
    args: { id: t.arg.id({ required: true, description: 'Global id of a batch or a batch result.' }) },
    resolve: (_root, { id }, ctx) => ctx.store.reads.node(id),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: 'Several batches or results by global id, in the order given; an unknown or malformed id gives null at its place with an error.',
    args: { ids: t.arg.idList({ required: true, description: 'Global ids of batches or batch results (at most MAX_NODE_IDS, 100 by default).' }) },
    // Checked with the operation's plan, before any id is read.
    extensions: { listArgument: { argument: 'ids', limit: 'maxNodeIds' } satisfies ListArgumentLimit },
    // One promise an item, so a failed id is null at its place: documents selecting this field run
    // uncompiled (src/server/compiled-execution.ts says why).
    resolve: (_root, { ids }, ctx) => ids.map((id) => ctx.store.reads.node(id)),
  }),
}));
