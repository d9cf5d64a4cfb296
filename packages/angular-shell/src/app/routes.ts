import type { Route, Routes } from '@angular/router';
import { requireRole, requireSignedOut, requireSignIn } from './core/guards';
import { toDefaultProject } from './core/project-guards';

/** A lazy page: every route of the shell loads its page on demand and names the tab. */
type PageRoute = Route & Required<Pick<Route, 'path' | 'title'>> & { loadComponent: NonNullable<Route['loadComponent']> };

const adminPages: PageRoute[] = [
  { path: 'team', title: 'Team · Taskbase', loadComponent: () => import('./pages/admin/team').then((m) => m.TeamPage) },
  { path: 'api-keys', title: 'API keys · Taskbase', loadComponent: () => import('./pages/admin/api-keys').then((m) => m.ApiKeysPage) },
  { path: 'webhooks', title: 'Webhooks · Taskbase', loadComponent: () => import('./pages/admin/webhooks').then((m) => m.WebhooksPage) },
  { path: 'settings', title: 'Workspace settings · Taskbase', loadComponent: () => import('./pages/admin/settings').then((m) => m.SettingsPage) },
  { path: 'import', title: 'Import · Taskbase', loadComponent: () => import('./pages/import').then((m) => m.ImportPage) },
];

/** One project's pages, under `/p/:key/`. */
const projectPages: PageRoute[] = [
  { path: 'board', title: 'Board · Taskbase', loadComponent: () => import('./pages/board').then((m) => m.BoardPage) },
  { path: 'list', title: 'Tasks · Taskbase', loadComponent: () => import('./pages/task-list').then((m) => m.TaskListPage) },
  { path: 'settings', title: 'Project settings · Taskbase', loadComponent: () => import('./pages/project-settings').then((m) => m.ProjectSettingsPage) },
];

const appPages: PageRoute[] = [
  { path: 'dashboard', title: 'Dashboard · Taskbase', loadComponent: () => import('./pages/dashboard').then((m) => m.DashboardPage) },
  { path: 'projects', title: 'Projects · Taskbase', loadComponent: () => import('./pages/projects').then((m) => m.ProjectsPage) },
  { path: 'profile', title: 'Your profile · Taskbase', loadComponent: () => import('./pages/profile').then((m) => m.ProfilePage) },
  { path: 'settings/notifications', title: 'Notifications · Taskbase', loadComponent: () => import('./pages/notification-settings').then((m) => m.NotificationSettingsPage) },
  { path: 'views/:id', title: 'Saved view · Taskbase', loadComponent: () => import('./pages/view').then((m) => m.ViewPage) },
  // Everyone reads the workspace's labels and fields; the pages offer editing to managers and admins.
  { path: 'settings/labels', title: 'Labels · Taskbase', loadComponent: () => import('./pages/labels').then((m) => m.LabelsPage) },
  { path: 'settings/fields', title: 'Custom fields · Taskbase', loadComponent: () => import('./pages/fields').then((m) => m.FieldsPage) },
  // Everyone exports what they can see; admins, the whole workspace.
  { path: 'export', title: 'Export · Taskbase', loadComponent: () => import('./pages/export').then((m) => m.ExportPage) },
  { path: 'tasks/:taskRef', title: 'Task · Taskbase', loadComponent: () => import('./pages/task').then((m) => m.TaskPage) },
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
      // The board and list of before projects: the current (else the default) project's.
      { path: 'board', canActivate: [toDefaultProject('board')], children: [] },
      { path: 'list', canActivate: [toDefaultProject('list')], children: [] },
      { path: 'settings', pathMatch: 'full', redirectTo: 'settings/labels' },
      { path: 'p/:key', children: [{ path: '', pathMatch: 'full', redirectTo: 'board' }, ...projectPages] },
      {
        path: 'admin',
        canActivate: [requireRole('admin')],
        children: [{ path: '', pathMatch: 'full', redirectTo: 'team' }, ...adminPages],
      },
      { path: '**', title: 'Not found · Taskbase', loadComponent: () => import('./pages/not-found').then((m) => m.NotFoundPage) },
    ],
  },
];
