/**
 * Identity: every API call but health (and the demo login) carries a bearer JWT, verified with
 * jose against the region's JWKS URL or public key, or, in demo mode, against a key pair made at
 * start (so demo tokens die with the process). The claims name the user, the unit with its party,
 * region and kommuner, and the roles; `principalSchema` checks them. Tokens are never logged.
 */
import { createRemoteJWKSet, generateKeyPair, importSPKI, jwtVerify, SignJWT, errors, type CryptoKey, type JWTVerifyGetKey, type KeyObject } from 'jose';
import { principalSchema, type Principal } from '../engine/access.ts';

export type AuthConfig =
  | { mode: 'demo' }
  | {
    mode: 'jwt';
    /** A public key (PEM SPKI text, a KeyObject or CryptoKey) … */
    publicKey?: string | KeyObject | CryptoKey;
    /** … or the identity provider's JWKS URL. */
    jwksUrl?: string;
    /** Allowed algorithms (default RS256, ES256, PS256, EdDSA). */
    algorithms?: string[];
    issuer?: string;
    audience?: string;
  };

const DEMO_ISSUER = 'samverkan-demo';
const AUDIENCE = 'samverkan';

export class AuthError extends Error {
  constructor(readonly code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'CLAIMS_INVALID', message: string) {
    super(message);
  }
}

/** The configuration `npm start` and `samverkan serve` take from the environment. */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const mode = env.SAMVERKAN_AUTH;
  const publicKey = env.SAMVERKAN_JWT_PUBLIC_KEY;
  const jwksUrl = env.SAMVERKAN_JWKS_URL;
  if (mode === 'demo' || (mode === undefined && !publicKey && !jwksUrl)) return { mode: 'demo' };
  if (!publicKey && !jwksUrl) throw new Error('SAMVERKAN_AUTH=jwt needs SAMVERKAN_JWKS_URL or SAMVERKAN_JWT_PUBLIC_KEY');
  return {
    mode: 'jwt',
    ...(publicKey ? { publicKey: publicKey.replace(/\\n/g, '\n') } : {}),
    ...(jwksUrl ? { jwksUrl } : {}),
    ...(env.SAMVERKAN_JWT_ALGORITHMS ? { algorithms: env.SAMVERKAN_JWT_ALGORITHMS.split(',').map((a) => a.trim()) } : {}),
    ...(env.SAMVERKAN_JWT_ISSUER ? { issuer: env.SAMVERKAN_JWT_ISSUER } : {}),
    ...(env.SAMVERKAN_JWT_AUDIENCE ? { audience: env.SAMVERKAN_JWT_AUDIENCE } : {}),
  };
}

type VerifyKey = KeyObject | CryptoKey | JWTVerifyGetKey;

export class Authenticator {
  /** Verified tokens for a short while: a signature check per request is the costliest step. */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  private constructor(
    readonly demo: boolean,
    private readonly key: VerifyKey,
    private readonly options: { algorithms: string[]; issuer?: string; audience?: string },
    private readonly signingKey: CryptoKey | KeyObject | null,
  ) {}

  static async create(config: AuthConfig): Promise<Authenticator> {
    if (config.mode === 'demo') {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      return new Authenticator(true, publicKey, { algorithms: ['ES256'], issuer: DEMO_ISSUER, audience: AUDIENCE }, privateKey);
    }
    const algorithms = config.algorithms ?? ['RS256', 'ES256', 'PS256', 'EdDSA'];
    let key: VerifyKey;
    if (config.jwksUrl) key = createRemoteJWKSet(new URL(config.jwksUrl));
    else if (typeof config.publicKey === 'string') key = await importSPKI(config.publicKey, algorithms[0]!);
    else if (config.publicKey) key = config.publicKey;
    else throw new Error('jwt mode needs a public key or a JWKS URL');
    return new Authenticator(false, key, {
      algorithms, ...(config.issuer ? { issuer: config.issuer } : {}), ...(config.audience ? { audience: config.audience } : {}),
    }, null);
  }

  /** The principal a bearer token names, or an AuthError (answered 401). */
  async verify(token: string): Promise<Principal> {
    const hit = this.verified.get(token);
    if (hit && hit.until > Date.now()) return hit.principal;
    if (hit) this.verified.delete(token);
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key as KeyObject, { ...this.options, requiredClaims: ['exp', 'sub'], clockTolerance: 30 }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AuthError('TOKEN_EXPIRED', 'Inloggningen har gått ut: logga in igen');
      throw new AuthError('TOKEN_INVALID', 'Ogiltig token');
    }
    const claims = principalSchema.safeParse({ id: payload.sub, name: payload.name, unit: payload.unit, roles: payload.roles });
    if (!claims.success) {
      const issue = claims.error.issues[0]!;
      throw new AuthError('CLAIMS_INVALID', `Token saknar giltiga anspråk (${issue.path.join('.') || 'claims'}): ${issue.message}`);
    }
    if (this.verified.size >= 5000) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal: claims.data, until: Math.min(Number(payload.exp) * 1000, Date.now() + 60_000) });
    return claims.data;
  }

  /** Demo mode only: a token for a demo user, valid for eight hours. */
  async issue(principal: Principal): Promise<string> {
    if (!this.signingKey) throw new Error('tokens are issued only in demo mode');
    return new SignJWT({ name: principal.name, unit: principal.unit, roles: principal.roles })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setSubject(principal.id)
      .setIssuer(DEMO_ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('8h')
      .sign(this.signingKey);
  }
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([\w-]+\.[\w-]+\.[\w-]*)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/**
 * Requests per user as a token bucket: `perMinute` on average, bursts of a tenth of that (at
 * least 20). Answers the seconds to wait when empty.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(readonly perMinute: number) {
    this.capacity = Math.max(20, Math.ceil(perMinute / 10));
    this.perMs = perMinute / 60_000;
  }

  take(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
    if (this.perMinute <= 0) return { ok: true };
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (this.buckets.size > 50_000) this.buckets.clear();
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return { ok: false, retryAfter: Math.ceil((1 - bucket.tokens) / this.perMs / 1000) };
    bucket.tokens -= 1;
    return { ok: true };
  }
}
