import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { UserSession, type Role } from './user-session';

/** Lets signed-in people through; others go to the sign-in page and come back after. */
export const requireSignIn: CanActivateFn = async (_route, state) => {
  const session = inject(UserSession);
  const router = inject(Router);
  if (await session.restore()) return true;
  return router.createUrlTree(['/sign-in'], state.url && state.url !== '/' ? { queryParams: { returnUrl: state.url } } : {});
};

/** Keeps signed-in people off the sign-in and sign-up pages. */
export const requireSignedOut: CanActivateFn = async () => {
  const session = inject(UserSession);
  const router = inject(Router);
  return (await session.restore()) ? router.createUrlTree(['/dashboard']) : true;
};

/** Lets only the given roles through; others see the "forbidden" page. */
export function requireRole(...roles: Role[]): CanActivateFn {
  return async (_route, state) => {
    const session = inject(UserSession);
    const router = inject(Router);
    if (!(await session.restore())) return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
    const role = session.role();
    return role !== null && roles.includes(role) ? true : router.createUrlTree(['/forbidden']);
  };
}
