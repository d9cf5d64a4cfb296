import type { Route, Routes } from '@angular/router';
import { requireRole, requireSignedOut, requireSignIn } from './core/guards';

/** A lazy page: every route of the shell loads its page on demand and names the tab. */
type PageRoute = Route & Required<Pick<Route, 'path' | 'title'>> & { loadComponent: NonNullable<Route['loadComponent']> };

const adminPages: PageRoute[] = [
  { path: 'team', title: 'Team · Taskbase', loadComponent: () => import('./pages/admin/team').then((m) => m.TeamPage) },
  { path: 'api-keys', title: 'API keys · Taskbase', loadComponent: () => import('./pages/admin/api-keys').then((m) => m.ApiKeysPage) },
  { path: 'webhooks', title: 'Webhooks · Taskbase', loadComponent: () => import('./pages/admin/webhooks').then((m) => m.WebhooksPage) },
  { path: 'settings', title: 'Workspace settings · Taskbase', loadComponent: () => import('./pages/admin/settings').then((m) => m.SettingsPage) },
];

const appPages: PageRoute[] = [
  { path: 'dashboard', title: 'Dashboard · Taskbase', loadComponent: () => import('./pages/dashboard').then((m) => m.DashboardPage) },
  { path: 'board', title: 'Board · Taskbase', loadComponent: () => import('./pages/board').then((m) => m.BoardPage) },
  { path: 'list', title: 'Tasks · Taskbase', loadComponent: () => import('./pages/task-list').then((m) => m.TaskListPage) },
  { path: 'profile', title: 'Your profile · Taskbase', loadComponent: () => import('./pages/profile').then((m) => m.ProfilePage) },
  { path: 'tasks/:taskId', title: 'Task · Taskbase', loadComponent: () => import('./pages/task').then((m) => m.TaskPage) },
  { path: 'forbidden', title: 'Not allowed · Taskbase', loadComponent: () => import('./pages/forbidden').then((m) => m.ForbiddenPage) },
];

export const routes: Routes = [
  { path: 'sign-in', title: 'Sign in · Taskbase', canActivate: [requireSignedOut], loadComponent: () => import('./pages/sign-in').then((m) => m.SignInPage) },
  { path: 'sign-up', title: 'Create a workspace · Taskbase', canActivate: [requireSignedOut], loadComponent: () => import('./pages/sign-up').then((m) => m.SignUpPage) },
  {
    path: '',
    canActivate: [requireSignIn],
    loadComponent: () => import('./layout').then((m) => m.AppLayout),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      ...appPages,
      {
        path: 'admin',
        canActivate: [requireRole('admin')],
        children: [{ path: '', pathMatch: 'full', redirectTo: 'team' }, ...adminPages],
      },
      { path: '**', title: 'Not found · Taskbase', loadComponent: () => import('./pages/not-found').then((m) => m.NotFoundPage) },
    ],
  },
];
