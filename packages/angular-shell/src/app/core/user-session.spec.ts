import { TestBed } from '@angular/core/testing';
import { AuthenticationError, type Me } from '@taskbase/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClient } from '../testing';
import { TASKBASE_CLIENT } from './taskbase-client';
import { UserSession } from './user-session';

const me: Me = {
  user: { id: 1, workspaceId: 1, name: 'Ada Admin', email: 'ada@example.test', role: 'admin', active: true, externalId: null, timezone: 'UTC', createdAt: '', updatedAt: '' },
  workspace: { id: 1, name: 'Acme', createdAt: '' },
};

function setUp(auth: object) {
  const client = fakeClient({ auth: auth as never });
  TestBed.configureTestingModule({ providers: [{ provide: TASKBASE_CLIENT, useValue: client }] });
  return { session: TestBed.inject(UserSession), client };
}

describe('UserSession', () => {
  afterEach(() => {
    localStorage.clear();
    TestBed.resetTestingModule();
  });

  it('restores the session of the cookie once (the SDK refreshes from it, then asks who is signed in)', async () => {
    const me$ = vi.fn().mockResolvedValue(me);
    const { session } = setUp({ me: me$ });
    expect(await session.restore()).toBe(true);
    expect(await session.restore()).toBe(true);
    expect(me$).toHaveBeenCalledTimes(1);
    expect(session.workspace()?.name).toBe('Acme');
    expect(session.isAdmin()).toBe(true);
  });

  it('treats a page without a session (a refused refresh) as signed out', async () => {
    const { session } = setUp({ me: vi.fn().mockRejectedValue(new AuthenticationError('no session', { status: 401 })) });
    expect(await session.restore()).toBe(false);
    expect(session.user()).toBeNull();
  });

  it('keeps the user and workspace of a password change, not the session the SDK adopted', async () => {
    const updateMe = vi.fn().mockResolvedValue({ ...me, session: { accessToken: 'fresh', tokenType: 'Bearer', expiresIn: 900, ...me } });
    const { session } = setUp({ signIn: vi.fn().mockResolvedValue({ ...me, accessToken: 'a' }), updateMe });
    await session.signIn({ email: 'ada@example.test', password: 'x' });
    await session.updateProfile({ currentPassword: 'x', newPassword: 'a new long password' });
    expect(updateMe).toHaveBeenCalled();
    expect(session.signedIn()).toBe(true);
    expect(session.user()?.name).toBe('Ada Admin');
  });

  it('signs up, keeps the user and workspace, then signs out and closes the socket', async () => {
    const signOut = vi.fn().mockResolvedValue(undefined);
    const { session, client } = setUp({ signUp: vi.fn().mockResolvedValue({ ...me, accessToken: 'a', refreshToken: 'r' }), signOut });
    await session.signUp({ name: 'Ada Admin', email: 'ada@example.test', password: 'long enough', workspaceName: 'Acme' });
    expect(session.role()).toBe('admin');
    expect(await session.restore()).toBe(true);
    await session.signOut();
    expect(signOut).toHaveBeenCalled();
    expect(client.realtime.close).toHaveBeenCalled();
    expect(session.signedIn()).toBe(false);
    expect(await session.restore()).toBe(false);
  });

  it('forgets the user even when the sign-out request fails', async () => {
    const { session } = setUp({ signIn: vi.fn().mockResolvedValue(me), signOut: vi.fn().mockRejectedValue(new Error('offline')) });
    await session.signIn({ email: 'ada@example.test', password: 'x' });
    await expect(session.signOut()).rejects.toThrow('offline');
    expect(session.signedIn()).toBe(false);
  });
});
