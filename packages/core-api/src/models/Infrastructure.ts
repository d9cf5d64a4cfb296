import { BaseModel } from './BaseModel.js';

/** A stored answer to a POST with an `Idempotency-Key`, replayed for 24 hours. */
export class IdempotencyKey extends BaseModel {
  static override tableName = 'idempotency_keys';

  workspaceId!: number;
  userId!: number;
  key!: string;
  fingerprint!: string;
  /** Null while the first request is still running. */
  status!: number | null;
  response!: { headers: Record<string, string>; body: unknown } | null;
  createdAt!: Date;
}

/** Failed sign-ins per address or account in a window, and attempts in flight per account (services/throttle.ts). */
export class AuthThrottle extends BaseModel {
  static override tableName = 'auth_throttle';

  key!: string;
  failures!: number;
  /** Attempts whose password is being checked right now (accounts only). */
  inFlight!: number;
  windowStartedAt!: Date;
}

/** Requests per key and minute, shared by every API process (services/rateLimits.ts). */
export class RateLimitCount extends BaseModel {
  static override tableName = 'rate_limits';

  key!: string;
  windowStart!: number;
  count!: number;
}
