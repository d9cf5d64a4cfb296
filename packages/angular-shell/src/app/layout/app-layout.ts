import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, CUSTOM_ELEMENTS_SCHEMA, DestroyRef, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import type { Task } from '@taskbase/sdk';
import type { TbTaskOpenEvent } from '@taskbase/widgets';
import '@taskbase/widgets/provider';
import '@taskbase/widgets/notification-bell';
import { RoleLabelPipe } from '../core/labels';
import { Notifier } from '../core/notifier';
import { ProjectStore, taskRef } from '../core/projects';
import { TASKBASE_CLIENT } from '../core/taskbase-client';
import { ThemeSwitcher, type ThemeChoice } from '../core/theme-switcher';
import { UserSession } from '../core/user-session';
import { ViewStore } from '../core/views';
import { ViewActions } from '../shared/view-actions';
import { NewTaskDialog } from '../shared/new-task-dialog';

interface NavLink {
  path: string;
  label: string;
  icon: string;
}

/** The signed-in chrome: toolbar (workspace, "New task", notifications, user menu), side navigation, and the page. */
@Component({
  selector: 'tb-shell-layout',
  imports: [
    MatToolbarModule,
    MatSidenavModule,
    MatListModule,
    MatIconModule,
    MatButtonModule,
    MatMenuModule,
    MatDividerModule,
    MatTooltipModule,
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    RoleLabelPipe,
  ],
  templateUrl: './app-layout.html',
  styleUrl: './app-layout.scss',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AppLayout {
  protected readonly client = inject(TASKBASE_CLIENT);
  protected readonly session = inject(UserSession);
  protected readonly theme = inject(ThemeSwitcher);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);

  protected readonly handset = toSignal(inject(BreakpointObserver).observe('(max-width: 840px)'), {
    initialValue: { matches: false, breakpoints: {} },
  });
  protected readonly compact = computed(() => this.handset().matches);
  protected readonly initials = computed(() =>
    (this.session.user()?.name ?? '?')
      .split(/\s+/)
      .map((part) => part[0])
      .slice(0, 2)
      .join('')
      .toUpperCase(),
  );

  protected readonly projects = inject(ProjectStore);
  protected readonly views = inject(ViewStore);
  protected readonly viewActions = inject(ViewActions);
  /** The path of the page shown, to tell which project is current. */
  private readonly url = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map((event) => event.urlAfterRedirects),
    ),
    { initialValue: this.router.url },
  );
  /** The key of the project whose page is shown (`/p/:key/…`), if one is. */
  protected readonly projectInUrl = computed(() => /^\/p\/([^/?#]+)/.exec(this.url())?.[1] ?? null);
  /** The id of the saved view whose page is shown (`/views/:id`), if one is. */
  protected readonly viewInUrl = computed(() => {
    const id = /^\/views\/(\d+)/.exec(this.url())?.[1];
    return id ? Number(id) : null;
  });
  /** Board and list follow the current project (the default one until another is opened). */
  protected readonly mainLinks = computed<NavLink[]>(() => {
    const key = this.projects.current()?.key;
    return [
      { path: '/dashboard', label: 'Dashboard', icon: 'dashboard' },
      { path: key ? `/p/${key}/board` : '/board', label: 'Board', icon: 'view_kanban' },
      { path: key ? `/p/${key}/list` : '/list', label: 'Tasks', icon: 'list_alt' },
    ];
  });
  protected readonly adminLinks: NavLink[] = [
    { path: '/admin/team', label: 'Team', icon: 'group' },
    { path: '/admin/api-keys', label: 'API keys', icon: 'key' },
    { path: '/admin/webhooks', label: 'Webhooks', icon: 'webhook' },
    { path: '/admin/settings', label: 'Settings', icon: 'settings' },
    { path: '/admin/import', label: 'Import', icon: 'upload' },
  ];
  /** Everyone reads these; managers and admins edit them. */
  protected readonly workspaceLinks: NavLink[] = [
    { path: '/settings/labels', label: 'Labels', icon: 'label' },
    { path: '/settings/fields', label: 'Custom fields', icon: 'dynamic_form' },
    { path: '/export', label: 'Export', icon: 'download' },
  ];
  protected readonly themeChoices: { value: ThemeChoice; label: string; icon: string }[] = [
    { value: 'light', label: 'Light', icon: 'light_mode' },
    { value: 'dark', label: 'Dark', icon: 'dark_mode' },
    { value: 'system', label: 'System', icon: 'brightness_auto' },
  ];

  constructor() {
    void this.projects.load().catch((error: unknown) => this.notifier.fail(error, 'Could not load the projects'));
    this.loadViews();
    inject(DestroyRef).onDestroy(this.views.follow());
  }

  protected loadViews(): void {
    // A failure shows in the navigation itself (with "Retry"), not as a snack-bar on every page.
    void (this.views.loaded() || this.views.failed() ? this.views.refresh() : this.views.load()).catch(() => undefined);
  }

  /** A row of the bell (a task's notifications, grouped) opens that task's page, by its identifier when known. */
  protected openNotification(event: Event): void {
    const { taskId, identifier } = (event as TbTaskOpenEvent).detail;
    void this.router.navigate(['/tasks', identifier ?? taskId]);
  }

  /** Creates a task from any page, then opens it. */
  protected newTask(): void {
    this.dialog
      .open<NewTaskDialog, void, Task>(NewTaskDialog, { width: '520px', maxWidth: '94vw' })
      .afterClosed()
      .subscribe((task) => {
        if (!task) return;
        this.notifier.confirm(`Created “${task.title}”`);
        void this.router.navigate(['/tasks', taskRef(task)]);
      });
  }

  protected async signOut(): Promise<void> {
    await this.session.signOut();
    this.projects.clear();
    this.views.clear();
    await this.router.navigate(['/sign-in']);
  }
}
