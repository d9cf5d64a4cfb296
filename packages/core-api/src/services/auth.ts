import { isTimeZone } from './notificationChannels.js';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { Caller } from '../domain/caller.js';
import { isUniqueViolation } from '../domain/databaseErrors.js';
import { DomainError, fieldError, notFound, unauthorized } from '../domain/errors.js';
import { RefreshToken, User, Workspace } from '../models/index.js';
import { randomSecret, sha256, type Passwords } from './crypto.js';
import { toUserDto, toWorkspaceDto } from './dto.js';
import { createDefaultProject } from './projects.js';
import { appendEvent } from '../events/append.js';
import type { LoginThrottle } from './throttle.js';
import type { AccessTokens } from './tokens.js';
import type { UserStatusCache } from './userStatus.js';

const REFRESH_PREFIX = 'tbr_';

export interface AuthDeps {
  knex: Knex;
  config: Config;
  passwords: Passwords;
  tokens: AccessTokens;
  throttle: LoginThrottle;
  userStatus: UserStatusCache;
}

/** Registration, sign-in, refresh-token rotation and the caller's own profile. */
export class AuthService {
  constructor(private readonly deps: AuthDeps) {}

  /** Public sign-up: a new workspace and its first admin, signed in (unless ALLOW_SIGNUP=false). */
  async register(input: { name: string; email: string; password: string; workspaceName: string }) {
    if (!this.deps.config.allowSignup) {
      throw new DomainError(403, { code: 'signup_disabled', detail: 'Sign-up is turned off on this server; ask an admin for an invitation' });
    }
    return this.createWorkspace(input);
  }

  /**
   * A new workspace and its first admin, signed in: sign-up, and
   * `taskbase create-admin` on a server whose sign-up is off.
   */
  async createWorkspace(input: { name: string; email: string; password: string; workspaceName: string }) {
    const passwordHash = await this.deps.passwords.hash(input.password);
    const email = input.email.trim().toLowerCase();
    try {
      return await this.deps.knex.transaction(async (trx) => {
        const workspace = await Workspace.query(trx).insertAndFetch({ name: input.workspaceName.trim() });
        const user = await User.query(trx).insertAndFetch({
          workspaceId: workspace.id,
          name: input.name.trim(),
          email,
          passwordHash,
          role: 'admin',
        });
        await createDefaultProject(trx, workspace.id);
        await appendEvent(trx, {
          workspaceId: workspace.id,
          type: 'workspace.created',
          actorId: user.id,
          payload: { workspace: toWorkspaceDto(workspace), user: toUserDto(user) },
        });
        return this.startSession(trx, user, workspace);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(409, {
          code: 'email_taken',
          detail: 'An account with this email already exists',
          errors: [{ path: 'email', in: 'body', message: 'is already registered' }],
        });
      }
      throw error;
    }
  }

  async login(input: { email: string; password: string }, address: string) {
    const email = input.email.trim().toLowerCase();
    const limits = {
      accounts: new Map([[`email:${email}`, this.deps.config.loginMaxFailures]]),
      addresses: new Map([[`ip:${address}`, this.deps.config.loginMaxFailures * 5]]),
    };
    let user: User | undefined;
    const valid = await this.deps.throttle.attempt(
      limits,
      async () => {
        user = await User.query(this.deps.knex).whereRaw('lower(email) = ?', [email]).whereNotNull('passwordHash').first();
        // Same work and the same answer whether the account exists or not.
        return this.deps.passwords.verify(input.password, user?.passwordHash);
      },
    );
    if (!user || !valid) throw unauthorized('The email or password is incorrect', 'invalid_credentials');
    const account: User = user;
    if (!account.active) throw unauthorized('This account has been deactivated', 'account_deactivated');
    return this.deps.knex.transaction(async (trx) => {
      await User.query(trx).patch({ lastLoginAt: new Date() }).where({ id: account.id, workspaceId: account.workspaceId });
      const workspace = await Workspace.query(trx).findById(account.workspaceId).throwIfNotFound();
      return this.startSession(trx, account, workspace);
    });
  }

  /**
   * Rotates a refresh token. A token presented twice means it was stolen (or
   * replayed): the whole family of tokens from that sign-in is revoked.
   */
  async refresh(presented: string) {
    const invalid = () => unauthorized('The refresh token is invalid or expired', 'invalid_refresh_token');
    if (!presented.startsWith(REFRESH_PREFIX)) throw invalid();
    const tokenHash = sha256(presented);
    const { knex } = this.deps;
    const outcome = await knex.transaction(async (trx) => {
      const token = await RefreshToken.query(trx).where({ tokenHash }).forUpdate().first();
      if (!token) return { error: invalid() };
      // Signed out (or ended by a password change): not a theft, just over.
      if (token.revokedAt && !token.usedAt) return { error: unauthorized('This session has ended; sign in again', 'session_ended') };
      if (token.usedAt) {
        await RefreshToken.query(trx)
          .patch({ revokedAt: new Date() })
          .where({ workspaceId: token.workspaceId, familyId: token.familyId })
          .whereNull('revokedAt');
        return { error: unauthorized('The refresh token was already used; the session has been revoked', 'refresh_token_reused') };
      }
      if (token.expiresAt.getTime() <= Date.now()) return { error: invalid() };
      const user = await User.query(trx).where({ id: token.userId, workspaceId: token.workspaceId }).first();
      if (!user?.active) return { error: unauthorized('This account has been deactivated', 'account_deactivated') };
      await RefreshToken.query(trx).patch({ usedAt: new Date() }).where({ id: token.id, workspaceId: token.workspaceId });
      const workspace = await Workspace.query(trx).findById(user.workspaceId).throwIfNotFound();
      return { session: await this.startSession(trx, user, workspace, token.familyId) };
    });
    // The revocation above must commit, so the error is thrown outside the transaction.
    if ('error' in outcome) throw outcome.error;
    return outcome.session;
  }

  /** Ends the sign-in the refresh token belongs to. Unknown tokens are ignored. */
  async logout(presented: string): Promise<void> {
    const token = await RefreshToken.query(this.deps.knex).where({ tokenHash: sha256(presented) }).first();
    if (!token) return;
    await RefreshToken.query(this.deps.knex)
      .patch({ revokedAt: new Date() })
      .where({ workspaceId: token.workspaceId, familyId: token.familyId })
      .whereNull('revokedAt');
  }

  async me(caller: Caller) {
    const user = await User.query(this.deps.knex).where({ id: caller.userId, workspaceId: caller.workspaceId }).first();
    if (!user) throw notFound('User');
    const workspace = await Workspace.query(this.deps.knex).findById(caller.workspaceId).throwIfNotFound();
    return { user: toUserDto(user), workspace: toWorkspaceDto(workspace) };
  }

  async updateMe(caller: Caller, input: { name?: string; email?: string; currentPassword?: string; newPassword?: string; timezone?: string }) {
    const user = await User.query(this.deps.knex).where({ id: caller.userId, workspaceId: caller.workspaceId }).first();
    if (!user) throw notFound('User');
    const patch: Partial<User> = {};
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.email !== undefined) patch.email = input.email.trim().toLowerCase();
    if (input.timezone !== undefined) {
      if (!isTimeZone(input.timezone)) throw fieldError('timezone', 'is not a known IANA time zone');
      patch.timezone = input.timezone;
    }
    const identity = (['email', 'newPassword'] as const).filter((field) => input[field] !== undefined);
    if (identity.length > 0) {
      // An embedded user's email and password are the host app's; an embed token never changes how anyone signs in.
      if (caller.via === 'embed' || !user.passwordHash) throw identityManagedByHost(identity);
      if (input.currentPassword === undefined) throw fieldError('currentPassword', 'is required to change the email or password');
      // Throttled like sign-in, so a stolen access token cannot guess the password.
      const limits = { accounts: new Map([[`user:${user.id}`, this.deps.config.loginMaxFailures]]) };
      const hash = user.passwordHash;
      if (!(await this.deps.throttle.attempt(limits, () => this.deps.passwords.verify(input.currentPassword!, hash)))) {
        throw fieldError('currentPassword', 'is incorrect');
      }
      if (input.newPassword !== undefined) patch.passwordHash = await this.deps.passwords.hash(input.newPassword);
    }
    try {
      const session = await this.deps.knex.transaction(async (trx) => {
        if (!patch.passwordHash) {
          await User.query(trx).patch({ ...patch, updatedAt: new Date() }).where({ id: user.id, workspaceId: user.workspaceId });
          return undefined;
        }
        // Every session ends with the password: refresh tokens by row, access tokens issued before now by
        // `sessionsValidAfter` (in whole seconds, as tokens count time). This client gets a new session.
        const endedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
        const updated = await User.query(trx).patchAndFetchById(user.id, { ...patch, sessionsValidAfter: endedAt, updatedAt: new Date() });
        await RefreshToken.query(trx).patch({ revokedAt: new Date() }).where({ workspaceId: user.workspaceId, userId: user.id }).whereNull('revokedAt');
        await appendEvent(trx, {
          workspaceId: user.workspaceId,
          type: 'user.updated',
          actorId: caller.userId,
          payload: { user: toUserDto(updated), sessionsEndedAt: endedAt.toISOString() },
        });
        const workspace = await Workspace.query(trx).findById(user.workspaceId).throwIfNotFound();
        return this.startSession(trx, updated, workspace);
      });
      this.deps.userStatus.invalidate(user.id);
      return { ...(await this.me(caller)), ...(session ? { session } : {}) };
    } catch (error) {
      if (isUniqueViolation(error)) {
        // Name the field, as registration and invitations do.
        throw new DomainError(409, {
          code: 'email_taken',
          detail: 'This email is already in use',
          errors: [{ path: 'email', in: 'body', message: 'is already in use' }],
        });
      }
      throw error;
    }
  }

  private async startSession(trx: Knex.Transaction, user: User, workspace: Workspace, familyId: string = randomUUID()) {
    const refreshToken = REFRESH_PREFIX + randomSecret(32);
    await RefreshToken.query(trx).insert({
      workspaceId: user.workspaceId,
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.deps.config.jwt.refreshTtlSeconds * 1000),
    });
    return {
      accessToken: this.deps.tokens.sign({ userId: user.id, workspaceId: user.workspaceId, role: user.role }),
      tokenType: 'Bearer' as const,
      expiresIn: this.deps.config.jwt.accessTtlSeconds,
      refreshToken,
      user: toUserDto(user),
      workspace: toWorkspaceDto(workspace),
    };
  }
}

function identityManagedByHost(fields: readonly string[]): DomainError {
  return new DomainError(403, {
    code: 'identity_managed_by_host',
    detail: 'This user signs in through the host app: their email and password are changed there',
    errors: fields.map((path) => ({ path, in: 'body' as const, message: 'is managed by the host app' })),
  });
}
