import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { ConfigError, loadConfig } from './config/index.js';
import { SCOPES } from './security/auth.js';

/**
 * `npm run token -- [--scope "batches:read batches:write"] [--ttl 3600] [--sub dev]`: mints an
 * HS256 token with the server's AUTH_JWT_SECRET (and AUTH_ISSUER / AUTH_AUDIENCE when set), for
 * trying auth locally. Production tokens come from your identity provider.
 */
const { values } = parseArgs({
  options: {
    scope: { type: 'string', default: `${SCOPES.read} ${SCOPES.write}` },
    ttl: { type: 'string', default: '3600' },
    sub: { type: 'string', default: 'developer' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let secret: string | null = null;
let issuer: string | null = null;
let audience: string | null = null;
try {
  // The same settings the server reads, so the token fits it.
  const { auth } = loadConfig({ ...process.env, AUTH_DISABLED: 'false' });
  ({ jwtSecret: secret, issuer, audience } = auth);
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
if (!secret) fail('Set AUTH_JWT_SECRET (at least 32 bytes) to the value the server runs with, e.g.\n  AUTH_JWT_SECRET=<secret> npm run token -- --scope batches:read');
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl is a number of seconds, e.g. --ttl 3600');

let jwt = new SignJWT({ scope: values.scope.trim() }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(values.sub).setIssuedAt().setExpirationTime(`${ttl}s`);
if (issuer) jwt = jwt.setIssuer(issuer);
if (audience) jwt = jwt.setAudience(audience);
const token = await jwt.sign(new TextEncoder().encode(secret));

process.stderr.write(`Token for "${values.sub}" with scope "${values.scope.trim()}", valid ${ttl} s. In GraphiQL, under Headers:\n`);
process.stderr.write(`${JSON.stringify({ Authorization: `Bearer ${token}` })}\n`);
process.stdout.write(`${token}\n`);
