import { SignJWT, type JWTPayload } from 'jose';

/** The HS256 secret test servers run with (32 bytes or more, as the server requires). */
export const TEST_JWT_SECRET = 'test-secret-0123456789abcdef-0123456789';
export const TEST_ROUTER_SECRET = 'router-secret-0123456789';

export interface TokenOptions {
  readonly scope?: string;
  readonly claims?: JWTPayload;
  /** Seconds from now; negative for an expired token. @default 300 */
  readonly expiresIn?: number;
  readonly secret?: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** The token's `sub`. @default test-user */
  readonly subject?: string;
}

export async function mintToken(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ ...(options.scope !== undefined ? { scope: options.scope } : {}), ...options.claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.subject ?? 'test-user')
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (options.expiresIn ?? 300));
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** A JWT with `alg: none`: unsigned, and never to be accepted. */
export function unsignedToken(payload: JWTPayload): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}
