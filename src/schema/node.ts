import type { Context } from '../context.js';
import { NodeNotFoundError } from '../domain/errors.js';
import { batchGlobalId, parseGlobalId, resultGlobalId } from '../domain/ids.js';
import { builder } from './builder.js';

/** Fetches a batch or a result by global id; unknown ids are NOT_FOUND errors, malformed ones INVALID_INPUT. */
async function loadNode(ctx: Context, id: string): Promise<object> {
  const key = parseGlobalId(id);
  ctx.vendors.assertEnabled(key.vendor);
  const node =
    key.kind === 'Batch'
      ? await ctx.loaders.batchById.load(batchGlobalId(key))
      : await ctx.loaders.resultById.load(resultGlobalId(key));
  if (!node) throw new NodeNotFoundError(id);
  return node;
}

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'A batch or batch result by global id. Null with a NOT_FOUND error when unknown.',
    args: { id: t.arg.id({ required: true, description: 'Global id of a batch or a batch result.' }) },
    resolve: (_root, { id }, ctx) => loadNode(ctx, id),
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: 'Several batches or results by global id, in the order given; an unknown or malformed id gives null at its place with an error.',
    args: { ids: t.arg.idList({ required: true, description: 'Global ids of batches or batch results.' }) },
    resolve: (_root, { ids }, ctx) => ids.map((id) => loadNode(ctx, id)),
  }),
}));
