import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, UrlTree, type ActivatedRouteSnapshot, type RouterStateSnapshot } from '@angular/router';
import { beforeEach, describe, expect, it } from 'vitest';
import { requireRole, requireSignedOut, requireSignIn } from './guards';
import { UserSession, type Role } from './user-session';

function fakeSession(role: Role | null) {
  return { restore: () => Promise.resolve(role !== null), role: () => role };
}

function run(guard: typeof requireSignIn, url = '/admin/team') {
  return TestBed.runInInjectionContext(() => guard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot)) as Promise<boolean | UrlTree>;
}

function setUp(role: Role | null) {
  TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: UserSession, useValue: fakeSession(role) }] });
}

describe('route guards', () => {
  beforeEach(() => TestBed.resetTestingModule());

  it('requireSignIn lets a signed-in person through', async () => {
    setUp('member');
    expect(await run(requireSignIn)).toBe(true);
  });

  it('requireSignIn sends others to sign in with the page to come back to', async () => {
    setUp(null);
    const answer = await run(requireSignIn, '/tasks/7');
    expect(TestBed.inject(Router).serializeUrl(answer as UrlTree)).toBe('/sign-in?returnUrl=%2Ftasks%2F7');
  });

  it('requireSignedOut keeps signed-in people off the sign-in page', async () => {
    setUp('admin');
    expect(TestBed.inject(Router).serializeUrl((await run(requireSignedOut)) as UrlTree)).toBe('/dashboard');
  });

  it('requireRole lets admins into admin pages', async () => {
    setUp('admin');
    expect(await run(requireRole('admin'))).toBe(true);
  });

  it.each(['member', 'manager'] as const)('requireRole shows the forbidden page to a %s', async (role) => {
    setUp(role);
    expect(TestBed.inject(Router).serializeUrl((await run(requireRole('admin'))) as UrlTree)).toBe('/forbidden');
  });

  it('requireRole sends signed-out people to sign in', async () => {
    setUp(null);
    expect(TestBed.inject(Router).serializeUrl((await run(requireRole('admin'))) as UrlTree)).toBe('/sign-in?returnUrl=%2Fadmin%2Fteam');
  });
});
