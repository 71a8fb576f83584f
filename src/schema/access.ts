import { SCOPES, type Caller } from '../security/auth.js';
import { grantsOf } from '../security/grants.js';
import { builder } from './builder.js';

const BatchAccessRef = builder.objectRef<Caller>('BatchAccess').implement({
  description: 'What the caller of this request may do with batches, as this server sees it, so a client can tell what to offer (a dashboard hides its controls without `canWrite`).',
  fields: (t) => ({
    authenticated: t.boolean({
      description: 'True when the request carried a token this server checked; false when the server does not authenticate callers (demo mode, AUTH_DISABLED), where every scope is open.',
      resolve: (caller) => caller.authenticated,
    }),
    subject: t.string({ nullable: true, description: "The token's subject (`sub`); null without a token.", resolve: (caller) => caller.subject }),
    scopes: t.stringList({ description: 'Scopes the caller holds, sorted (`batches:read`, `batches:write`).', resolve: (caller) => [...caller.scopes].sort() }),
    canRead: t.boolean({ description: `May read batches and results (\`${SCOPES.read}\`).`, resolve: (caller) => grantsOf(caller).batchesRead }),
    canWrite: t.boolean({ description: `May steer batches: every mutation (\`${SCOPES.write}\`).`, resolve: (caller) => grantsOf(caller).batchesWrite }),
  }),
});

builder.queryField('batchAccess', (t) =>
  t.field({
    type: BatchAccessRef,
    description: 'Who is asking, and what they may do with batches (their scopes). Needs no scope and calls no vendor.',
    resolve: (_root, _args, ctx) => ctx.caller,
  }),
);
