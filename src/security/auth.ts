import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { OutboundGraphError} from '../domain/errors.js';
import { AuthUnavailableError, UnauthenticatedError } from '../domain/errors.js';
import type { AuthSettings } from './settings.js';

/** Scopes a token may carry, as OAuth 2.0 access tokens name them. */
export const SCOPES = { read: 'batches:read', write: 'batches:write' } as const;

/** Who sent a request, as far as this server could tell. */
export interface Caller {
  /** A bearer token was checked; false where this server does not authenticate callers. */
  readonly authenticated: boolean;
  /** The token's `sub`; null without a token. */
  readonly subject: string | null;
  /** Scopes the caller holds: the token's, or every scope when auth is off. */
  readonly scopes: ReadonlySet<string>;
  /** The request carried the federation router's shared secret. */
  readonly viaRouter: boolean;
  /** May call `_service` and `_entities`: the router, or a caller with a valid token. */
  readonly mayFederate: boolean;
  /**
   * Whom per-caller limits count against: the token's subject, else the client's address (the
   * first `x-forwarded-for` entry when the federation router sent the request, since every
   * request through it comes from its address).
   */
  readonly key: string;
}

/** The key per-caller limits use: `sub:<subject>` with a token that names one, else `ip:<address>`. */
export function callerKey(subject: string | null, viaRouter: boolean, headers: Headers, address: string | null): string {
  if (subject !== null) return `sub:${subject}`;
  const forwarded = viaRouter ? headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return `ip:${forwarded || address || 'unknown'}`;
}

const ALL_SCOPES: ReadonlySet<string> = new Set(Object.values(SCOPES));
const NO_SCOPES: ReadonlySet<string> = new Set();
/** Asymmetric algorithms accepted from a JWKS; `none` and HMAC never are. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
export const ROUTER_SECRET_HEADER = 'router-authorization';

/**
 * Checks bearer tokens (JWT, HS256 secret or a JWKS) and the router's shared secret. Every
 * failure is a typed error with a message that says what to fix, never the token itself.
 */
export class Authenticator {
  /** Exactly one of the two, when auth is configured. */
  private readonly secretKey: Uint8Array | null;
  private readonly keySet: JWTVerifyGetKey | null;

  constructor(private readonly settings: AuthSettings) {
    this.secretKey = settings.jwtSecret ? new TextEncoder().encode(settings.jwtSecret) : null;
    // jose caches the key set, refetches on an unknown `kid` at most every 30 s, and times out at 5 s.
    this.keySet = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 }) : null;
  }

  /** Whether callers must present a token (false in demo mode without auth, or AUTH_DISABLED). */
  get required(): boolean {
    return this.settings.enabled && (this.secretKey !== null || this.keySet !== null);
  }

  /** The caller of a request with these headers, from `address` (the client's socket address). */
  async authenticate(headers: Headers, address: string | null = null): Promise<Caller> {
    const viaRouter = this.checkRouterSecret(headers.get(ROUTER_SECRET_HEADER));
    const anonymous = (scopes: ReadonlySet<string>, mayFederate: boolean): Caller => ({
      authenticated: false,
      subject: null,
      scopes,
      viaRouter,
      mayFederate,
      key: callerKey(null, viaRouter, headers, address),
    });
    // Without auth every scope is open; federation fields stay the router's when it has a secret.
    if (!this.required) return anonymous(ALL_SCOPES, viaRouter || !this.settings.routerSecret);
    const authorization = headers.get('authorization');
    if (authorization === null) {
      // The router may fetch `_service` on its own; data still needs the user's token, forwarded.
      if (viaRouter) return anonymous(NO_SCOPES, true);
      throw new UnauthenticatedError('Authentication required: send `Authorization: Bearer <token>`.');
    }
    const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization.trim());
    if (!match) throw new UnauthenticatedError('Malformed Authorization header: expected `Bearer <token>`.');
    const payload = await this.verify(match[1]!);
    const subject = typeof payload.sub === 'string' ? payload.sub : null;
    return { authenticated: true, subject, scopes: scopesOf(payload), viaRouter, mayFederate: true, key: callerKey(subject, viaRouter, headers, address) };
  }

  private checkRouterSecret(value: string | null): boolean {
    const expected = this.settings.routerSecret;
    if (value === null || !expected) return false;
    if (!sameSecret(value.replace(/^Bearer /i, ''), expected)) {
      throw new UnauthenticatedError(`The ${ROUTER_SECRET_HEADER} header does not match ROUTER_SECRET.`);
    }
    return true;
  }

  private async verify(token: string): Promise<JWTPayload> {
    const options = {
      issuer: this.settings.issuer ?? undefined,
      audience: this.settings.audience ?? undefined,
      clockTolerance: this.settings.clockToleranceSeconds,
      algorithms: this.settings.jwtSecret ? ['HS256'] : JWKS_ALGORITHMS,
      requiredClaims: ['exp'],
    };
    try {
      const { payload } = this.secretKey ? await jwtVerify(token, this.secretKey, options) : await jwtVerify(token, this.keySet!, options);
      return payload;
    } catch (error) {
      throw tokenError(error);
    }
  }
}

/**
 * Compares a secret a caller sent with the expected one in constant time: both are hashed first,
 * so the comparison takes the same time whatever length or value was sent.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** `scope` is a space-separated string (RFC 8693); `scp` an array or a string (Azure, Okta). */
function scopesOf(payload: JWTPayload): ReadonlySet<string> {
  const scopes = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    const values = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
    for (const value of values) if (typeof value === 'string' && value) scopes.add(value);
  }
  return scopes;
}

function tokenError(error: unknown): OutboundGraphError {
  if (error instanceof joseErrors.JWTExpired) return new UnauthenticatedError('The token has expired: get a new one.');
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new UnauthenticatedError(`The token's "${error.claim}" claim is not accepted (${error.reason}).`);
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new UnauthenticatedError('The token is signed with an algorithm this server does not accept.');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new UnauthenticatedError('The token signature does not verify.');
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new UnauthenticatedError('No published key matches the token (its `kid`).');
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || (error instanceof Error && !(error instanceof joseErrors.JOSEError))) {
    return new AuthUnavailableError('The keys that sign tokens could not be fetched; try again shortly.');
  }
  return new UnauthenticatedError('The token is malformed or not a signed JWT.');
}
