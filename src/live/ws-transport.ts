import type { Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerContext } from '../app.js';
import type { Context } from '../context.js';
import { OutboundGraphError } from '../domain/errors.js';
import { newRequestRecord } from '../ops/request-record.js';
import type { Authenticator, Caller } from '../security/auth.js';

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the same path as HTTP, so Apollo Client,
 * urql and Relay subscribe without adapters. Operations run through yoga's own plugin chain
 * (parsing limits, masking, the operation plan); the caller is authenticated once per connection,
 * from `connectionParams.authorization` or the upgrade request's `Authorization` header.
 */

export interface WsTransportOptions {
  readonly path: string;
  readonly authenticator: Authenticator;
  /** Subscriptions one connection may hold at once. */
  readonly maxSubscriptionsPerConnection: number;
  /** Largest message accepted, in bytes. */
  readonly maxPayloadBytes: number;
}

interface ConnectionState {
  caller: Caller | null;
  /** Ids of the subscriptions running on this connection. */
  readonly active: Set<string>;
}

export interface WsTransport {
  close(): Promise<void>;
}

export function attachGraphqlWs(server: Server, yoga: YogaServerInstance<ServerContext, Context>, options: WsTransportOptions): WsTransport {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  const states = new WeakMap<WebSocket, ConnectionState>();
  const stateOf = (socket: WebSocket): ConnectionState => {
    let state = states.get(socket);
    if (!state) states.set(socket, (state = { caller: null, active: new Set() }));
    return state;
  };

  const cleanup = useServer(
    {
      onConnect: async (ctx) => {
        const state = stateOf(ctx.extra.socket);
        const fromParams = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : undefined;
        const headers = new Headers();
        const given = fromParams ?? ctx.extra.request.headers.authorization;
        if (given) headers.set('authorization', given);
        try {
          state.caller = await options.authenticator.authenticate(headers);
          return true;
        } catch (error) {
          if (error instanceof OutboundGraphError) return false;
          throw error;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const { socket, request } = ctx.extra;
        const state = stateOf(socket);
        if (state.active.size >= options.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`This connection holds its limit of ${options.maxSubscriptionsPerConnection} subscriptions (MAX_SUBSCRIPTIONS_PER_CONNECTION).`, {
              extensions: { code: 'SUBSCRIPTION_LIMIT', limit: options.maxSubscriptionsPerConnection },
            }),
          ];
        }
        const record = newRequestRecord(request.headers);
        record.caller = state.caller;
        const closed = new AbortController();
        socket.once('close', () => closed.abort());
        // yoga's own plugin chain for this operation; the request is the socket's: its close cancels the work.
        const enveloped = yoga.getEnveloped({ record, request: { signal: closed.signal, headers: new Headers() }, params: payload });
        const schema = enveloped.schema as GraphQLSchema;
        const parse = enveloped.parse as (source: string) => DocumentNode;
        const validate = enveloped.validate as (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
        const contextFactory = enveloped.contextFactory as unknown as () => Promise<Context>;
        const { execute, subscribe } = enveloped as unknown as { execute: unknown; subscribe: unknown };
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The operation could not be parsed.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        state.active.add(id);
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        return args;
      },
      onComplete: (ctx, id) => {
        stateOf(ctx.extra.socket).active.delete(id);
      },
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
    },
    sockets,
  );

  return {
    async close() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
