import type { Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerContext } from './app.js';
import type { Context } from '../schema/builder.js';
import { OutboundGraphError } from '../domain/errors.js';
import { OVERLOADED_MESSAGE, type Admission, type AdmissionGate } from './admission.js';
import { newRequestRecord, type RequestRecord } from './request-record.js';
import { inRequestScope } from './request-scope.js';
import type { Authenticator, Caller } from '../security/auth.js';

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the same path as HTTP, so Apollo Client,
 * urql and Relay subscribe without adapters. Operations run through yoga's own plugin chain
 * (parsing limits, masking, the operation plan); the caller is authenticated once per connection,
 * from `connectionParams.authorization` or the upgrade request's `Authorization` header. Each
 * operation takes a place under MAX_INFLIGHT_OPERATIONS like an HTTP request (a subscription gives
 * it back once it streams), and at most MAX_WS_CONNECTIONS connections are open at once.
 */

export interface WsTransportOptions {
  readonly path: string;
  readonly authenticator: Authenticator;
  /** Subscriptions one connection may hold at once. */
  readonly maxSubscriptionsPerConnection: number;
  /** Largest message accepted, in bytes. */
  readonly maxPayloadBytes: number;
  /** MAX_INFLIGHT_OPERATIONS, shared with HTTP. */
  readonly admission: AdmissionGate;
  /** Connections open at once; past it an upgrade gets 503. */
  readonly maxConnections: number;
}

interface ConnectionState {
  caller: Caller | null;
  /** The subscriptions running on this connection, with their place under MAX_INFLIGHT_OPERATIONS until they stream. */
  readonly active: Map<string, Admission>;
}

/** What an operation carries from `onSubscribe` to its execution. */
interface OperationRoot {
  readonly execute: (args: ExecutionArgs) => unknown;
  readonly subscribe: (args: ExecutionArgs) => unknown;
  readonly record: RequestRecord;
}

function overloaded(): GraphQLError {
  return new GraphQLError(OVERLOADED_MESSAGE, { extensions: { code: 'OVERLOADED' } });
}

export interface WsTransport {
  close(): Promise<void>;
}

export function attachGraphqlWs(server: Server, yoga: YogaServerInstance<ServerContext, Context>, options: WsTransportOptions): WsTransport {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  let open = 0;
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) {
      socket.destroy();
      return;
    }
    if (open >= options.maxConnections) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    open += 1;
    socket.once('close', () => (open -= 1));
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  const states = new WeakMap<WebSocket, ConnectionState>();
  const stateOf = (socket: WebSocket): ConnectionState => {
    let state = states.get(socket);
    if (!state) {
      const created: ConnectionState = (state = { caller: null, active: new Map() });
      states.set(socket, created);
      // Whatever way the connection ends, its operations' places are given back.
      socket.once('close', () => {
        for (const admission of created.active.values()) admission.release();
        created.active.clear();
      });
    }
    return state;
  };
  const settle = (socket: WebSocket, id: string) => {
    const state = stateOf(socket);
    state.active.get(id)?.release();
    state.active.delete(id);
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
          state.caller = await options.authenticator.authenticate(headers, ctx.extra.request.socket.remoteAddress ?? null);
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
        const record = newRequestRecord(request.headers, request.socket.remoteAddress ?? null);
        record.caller = state.caller;
        // The socket's close cancels the operation's work.
        socket.once('close', () => record.clientLeft.abort());
        // yoga's own plugin chain for this operation.
        const enveloped = yoga.getEnveloped({ record, request: { headers: new Headers() }, params: payload });
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
        const admission = options.admission.tryEnter();
        if (!admission) return [overloaded()];
        state.active.set(id, admission);
        record.admission = admission;
        const root: OperationRoot = { execute: execute as OperationRoot['execute'], subscribe: subscribe as OperationRoot['subscribe'], record };
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: root,
        };
        return args;
      },
      // A subscription that streams gives its place back; a query or mutation when it completes.
      onOperation: (_ctx, _id, _payload, _args, result) => {
        if (Symbol.asyncIterator in (result as object)) ((_args.rootValue as OperationRoot).record.admission?.release());
      },
      onComplete: (ctx, id) => settle(ctx.extra.socket, id),
      onError: (ctx, id) => settle(ctx.extra.socket, id),
      execute: (args) => {
        const root = args.rootValue as OperationRoot;
        return inRequestScope(root.record, () => root.execute(args)) as never;
      },
      subscribe: (args) => {
        const root = args.rootValue as OperationRoot;
        return inRequestScope(root.record, () => root.subscribe(args)) as never;
      },
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
