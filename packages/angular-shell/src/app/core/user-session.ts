import { computed, inject, Injectable, signal } from '@angular/core';
import { type Me, type RegisterInput, type SignInInput, type UpdateMeInput, type User } from '@taskbase/sdk';
import { TASKBASE_CLIENT } from './taskbase-client';

export type Role = User['role'];

/**
 * Who is signed in. The sign-in is a browser session (the refresh token is in
 * the API's HttpOnly cookie), so a reload restores it with one refresh
 * (`restore()`); the access token itself never leaves the SDK's memory.
 */
@Injectable({ providedIn: 'root' })
export class UserSession {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly current = signal<Me | null>(null);
  private restoring: Promise<boolean> | undefined;

  readonly user = computed(() => this.current()?.user ?? null);
  readonly workspace = computed(() => this.current()?.workspace ?? null);
  readonly signedIn = computed(() => this.current() !== null);
  readonly role = computed<Role | null>(() => this.current()?.user.role ?? null);
  readonly isAdmin = computed(() => this.role() === 'admin');

  /** Resolves to whether someone is signed in, restoring the session of the cookie once. */
  restore(): Promise<boolean> {
    this.restoring ??= this.loadStoredSignIn();
    return this.restoring;
  }

  async signIn(input: SignInInput): Promise<void> {
    const session = await this.client.auth.signIn(input);
    this.remember({ user: session.user, workspace: session.workspace });
  }

  /** Creates a workspace with its first admin, and signs in as them. */
  async signUp(input: RegisterInput): Promise<void> {
    const session = await this.client.auth.signUp(input);
    this.remember({ user: session.user, workspace: session.workspace });
  }

  async signOut(): Promise<void> {
    try {
      await this.client.auth.signOut();
    } finally {
      this.client.realtime.close();
      this.current.set(null);
      this.restoring = Promise.resolve(false);
    }
  }

  /** Renames the workspace (admins); the toolbar and every page show the new name at once. */
  async renameWorkspace(name: string): Promise<void> {
    const workspace = await this.client.workspace.update({ name });
    this.current.update((me) => (me ? { ...me, workspace } : me));
  }

  /**
   * Changes the signed-in person's name or password (PATCH /api/auth/me); the
   * toolbar follows at once. A password change ends every session; the SDK
   * adopts the new one it answers, so this page stays signed in.
   */
  async updateProfile(input: UpdateMeInput): Promise<void> {
    const { user, workspace } = await this.client.auth.updateMe(input);
    this.current.set({ user, workspace });
  }

  private remember(me: Me): void {
    this.current.set(me);
    this.restoring = Promise.resolve(true);
  }

  private async loadStoredSignIn(): Promise<boolean> {
    try {
      // Without an access token (a new page), the SDK first refreshes from the session cookie.
      this.current.set(await this.client.auth.me());
      return true;
    } catch {
      // No session cookie, or its session ended: the SDK will not try again until a sign-in.
      this.current.set(null);
      return false;
    }
  }
}
