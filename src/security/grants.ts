import { AuthScopeFailureType, type AuthFailure, type ForbiddenResult } from '@pothos/plugin-scope-auth';
import { ForbiddenError } from '../domain/errors.js';
import { SCOPES, type Caller } from './auth.js';

/** What a caller may do, as the schema's `authScopes` name it. */
export interface Grants {
  /** Read batches and results (`batches:read`). */
  batchesRead: boolean;
  /** Pause, resume and change batches (`batches:write`). */
  batchesWrite: boolean;
  /** Call `_service` and `_entities` (the router, or a caller with a valid token). */
  federation: boolean;
}

/** The caller's token lacks `scope`. */
export function missingScope(scope: string): ForbiddenError {
  return new ForbiddenError(`This needs a token with the ${scope} scope.`, scope);
}

export function grantsOf(caller: Caller): Grants {
  return { batchesRead: hasGrant(caller, 'batchesRead'), batchesWrite: hasGrant(caller, 'batchesWrite'), federation: hasGrant(caller, 'federation') };
}

/** Whether the caller has one grant (without making all three). */
export function hasGrant(caller: Caller, grant: keyof Grants): boolean {
  const scope = SCOPE_OF_GRANT[grant];
  return scope === null ? caller.mayFederate : caller.scopes.has(scope);
}

const SCOPE_OF_GRANT: Record<keyof Grants, string | null> = { batchesRead: SCOPES.read, batchesWrite: SCOPES.write, federation: null };

/** The FORBIDDEN error for a caller without `grant`. */
export function missingGrant(grant: keyof Grants): ForbiddenError {
  const scope = SCOPE_OF_GRANT[grant];
  return scope ? missingScope(scope) : new ForbiddenError('Only the federation router or a caller with a valid token may call this.');
}

/** The FORBIDDEN error for a failed scope check, naming the scope the token lacks. */
export function scopeFailure(result: ForbiddenResult): ForbiddenError {
  const grant = firstScope(result.failure);
  return missingGrant(grant ?? 'federation');
}

function firstScope(failure: AuthFailure): keyof Grants | null {
  if (failure.kind === AuthScopeFailureType.AuthScope && failure.scope in SCOPE_OF_GRANT) return failure.scope as keyof Grants;
  if ('failures' in failure) {
    for (const inner of failure.failures) {
      const found = firstScope(inner);
      if (found) return found;
    }
  }
  return null;
}
