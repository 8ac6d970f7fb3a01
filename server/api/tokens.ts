// Bearer tokens: short-lived access JWTs and rotating refresh JWTs whose ids
// are kept in the database, so that a refresh token works once and a replayed
// one revokes its whole family (RFC 6819 §5.2.2.3).
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { type Caller, userRepository, verifyPassword } from '../accounts/index.js';
import type { Database, UserRow } from '../db/index.js';
import { Unauthorized } from '../errors.js';

export interface TokenSettings {
  key: Buffer;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

const ISSUER = 'callplane';
const WRONG_LOGIN = 'email or password is wrong';

export class Tokens {
  constructor(private readonly deps: { db: Database; settings: TokenSettings }) {}

  async login(email: string, password: string): Promise<TokenPair> {
    const user = await userRepository.userByEmail(this.deps.db, email);
    const ok = await verifyPassword(user?.password_hash, password);
    if (!user || !ok || user.disabled) throw new Unauthorized(WRONG_LOGIN);
    return this.issue(this.deps.db, user.id, crypto.randomUUID());
  }

  async refresh(token: string): Promise<TokenPair> {
    const claims = this.verify(token, 'refresh');
    const now = new Date();
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      const fresh = await userRepository.consumeRefreshToken(trx, claims.jti ?? '', now);
      if (!fresh) return { replayed: await userRepository.refreshTokenFamily(trx, claims.jti ?? '') };
      const user = await userRepository.userById(trx, fresh.user_id);
      if (!user || user.disabled) return { replayed: undefined };
      return { pair: await this.issue(trx, user.id, fresh.family) };
    });
    if (outcome.pair) return outcome.pair;
    // A used or revoked token shown again: whoever holds its successors may be a thief.
    if (outcome.replayed) await userRepository.revokeRefreshFamily(this.deps.db, outcome.replayed.family, now);
    throw new Unauthorized('refresh token is no longer valid; log in again');
  }

  async logout(token: string): Promise<void> {
    const claims = this.verify(token, 'refresh');
    const known = await userRepository.refreshTokenFamily(this.deps.db, claims.jti ?? '');
    if (known) await userRepository.revokeRefreshFamily(this.deps.db, known.family, new Date());
  }

  /** The caller an access token stands for, read fresh from the database. */
  async callerFor(accessToken: string): Promise<Caller> {
    const claims = this.verify(accessToken, 'access');
    const user = await userRepository.userById(this.deps.db, claims.sub ?? '');
    if (!user || user.disabled) throw new Unauthorized('this login no longer exists or is disabled');
    return callerOf(user);
  }

  private async issue(db: Database, userId: string, family: string): Promise<TokenPair> {
    const { key, accessTtlSeconds, refreshTtlSeconds } = this.deps.settings;
    const jti = crypto.randomUUID();
    await userRepository.insertRefreshToken(db, {
      id: jti,
      userId,
      family,
      expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000),
    });
    const sign = (typ: string, ttl: number, extra: jwt.SignOptions = {}) =>
      jwt.sign({ typ }, key, { algorithm: 'HS256', issuer: ISSUER, subject: userId, expiresIn: ttl, ...extra });
    return {
      accessToken: sign('access', accessTtlSeconds),
      refreshToken: sign('refresh', refreshTtlSeconds, { jwtid: jti }),
      tokenType: 'Bearer',
      expiresIn: accessTtlSeconds,
    };
  }

  private verify(token: string, typ: 'access' | 'refresh'): jwt.JwtPayload {
    try {
      const claims = jwt.verify(token, this.deps.settings.key, { algorithms: ['HS256'], issuer: ISSUER });
      if (typeof claims === 'string' || claims.typ !== typ) throw new Error('wrong token type');
      return claims;
    } catch {
      throw new Unauthorized(`invalid or expired ${typ} token`);
    }
  }
}

export function callerOf(user: UserRow): Caller {
  return { userId: user.id, label: user.email, role: user.role, accountId: user.account_id, subaccountId: user.subaccount_id };
}
