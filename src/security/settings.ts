/** Who may call: bearer tokens (JWT) with scopes, and the federation router's shared secret. */
export interface AuthSettings {
  /** False only in demo mode without auth settings, or with AUTH_DISABLED=true. */
  readonly enabled: boolean;
  /** HS256 secret (AUTH_JWT_SECRET); null when tokens are checked against a JWKS. */
  readonly jwtSecret: string | null;
  /** Where the signing keys are published (AUTH_JWKS_URL); null with an HS256 secret. */
  readonly jwksUrl: string | null;
  /** Required `iss` claim; null = not checked. */
  readonly issuer: string | null;
  /** Required `aud` claim; null = not checked. */
  readonly audience: string | null;
  /** Leeway for `exp` and `nbf`. @default 30 */
  readonly clockToleranceSeconds: number;
  /** Secret a federation router sends in `router-authorization` (ROUTER_SECRET); null = no router. */
  readonly routerSecret: string | null;
}

/** What one request may cost; each limit is refused with its own error code. */
export interface LimitSettings {
  /** Bytes of a request body; larger ones get 413 before they are parsed. @default 2000000 */
  readonly maxRequestBodyBytes: number;
  /** Nesting of fields in an operation (fragments followed). @default 9 */
  readonly maxDepth: number;
  /** Nesting inside `__schema`/`__type`: GraphiQL needs 13. @default 20 */
  readonly maxIntrospectionDepth: number;
  /** @default 15 */
  readonly maxAliases: number;
  /** @default 50 */
  readonly maxDirectives: number;
  /** Lexical tokens of the document; the parser stops there. @default 1000 */
  readonly maxTokens: number;
  /** Characters of the document. @default 15000 */
  readonly maxCharacters: number;
  /** Estimated cost: objects counted once per item of every list they sit in. @default 5000 */
  readonly maxCost: number;
  /** Vendor calls one operation may start (cache hits and shared reads are free). @default 50 */
  readonly maxVendorCallsPerOperation: number;
  /** Ids in one `nodes(ids:)`. @default 100 */
  readonly maxNodeIds: number;
  /** Representations in one `_entities` call. @default 500 */
  readonly maxEntityRepresentations: number;
  /** Operations executing at once, over every transport; more get 503 (or OVERLOADED) at once. @default 256 */
  readonly maxInflightOperations: number;
  /** graphql-ws connections open at once; past it an upgrade gets 503. @default 2000 */
  readonly maxWsConnections: number;
  /** Share of each vendor's rate limit one caller's vendor calls may use a minute, in percent. @default 25 */
  readonly callerVendorBudgetPercent: number;
}

/** Which browser pages may call the API with the user's cookies or tokens. */
export interface BrowserSettings {
  /** Origins allowed by CORS; empty = same origin only; `*` = any origin, never with credentials. */
  readonly corsOrigins: readonly string[];
}
