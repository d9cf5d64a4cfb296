import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import type { Project } from '@taskbase/sdk';
import { errorMessage } from '../../core/error-message';
import { Notifier } from '../../core/notifier';
import { ProjectStore } from '../../core/projects';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';
import { UserSession } from '../../core/user-session';
import { askToConfirm } from '../../shared/confirm-dialog';
import { MembersDialog } from './members-dialog';
import { ProjectDialog } from './project-dialog';

/** Every project you can see: active or archived, searchable; create, archive, restore, delete, members. */
@Component({
  selector: 'tb-shell-projects-page',
  imports: [MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatIconModule, MatInputModule, MatMenuModule, MatProgressBarModule, MatTooltipModule, RouterLink],
  templateUrl: './projects-page.html',
  styleUrl: './projects-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProjectsPage {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly router = inject(Router);
  private readonly store = inject(ProjectStore);
  protected readonly session = inject(UserSession);

  protected readonly archived = signal(false);
  protected readonly query = signal('');
  protected readonly projects = signal<Project[]>([]);
  protected readonly loading = signal(true);
  protected readonly failure = signal<string | null>(null);
  protected readonly canCreate = computed(() => this.session.role() === 'admin' || this.session.role() === 'manager');
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor() {
    void this.load();
  }

  protected show(archived: boolean): void {
    this.archived.set(archived);
    void this.load();
  }

  protected search(text: string): void {
    this.query.set(text);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.load(), 250);
  }

  protected async load(): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    this.failure.set(null);
    try {
      const q = this.query().trim();
      const found: Project[] = [];
      for await (const project of this.client.projects.iterate({ archived: this.archived(), ...(q ? { q } : {}) })) found.push(project);
      if (generation === this.generation) this.projects.set(found);
    } catch (error) {
      if (generation === this.generation) this.failure.set(errorMessage(error));
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  protected create(): void {
    this.dialog
      .open<ProjectDialog, void, Project>(ProjectDialog, { width: '560px', maxWidth: '94vw' })
      .afterClosed()
      .subscribe((project) => {
        if (!project) return;
        this.notifier.confirm(`Created ${project.name} (${project.key})`);
        void this.store.refresh();
        void this.router.navigate(['/p', project.key, 'settings']);
      });
  }

  protected members(project: Project): void {
    this.dialog.open(MembersDialog, { data: project, width: '520px', maxWidth: '94vw' });
  }

  protected async setArchived(project: Project, archived: boolean): Promise<void> {
    if (archived && !(await askToConfirm(this.dialog, {
      title: `Archive ${project.name}?`,
      message: 'It leaves the navigation and the boards; its tasks stay, and you can restore it from “Archived”.',
      action: 'Archive',
    }))) return;
    try {
      await this.client.projects.update(project.id, { archived });
      this.notifier.confirm(archived ? `Archived ${project.name}` : `Restored ${project.name}`);
      await Promise.all([this.load(), this.store.refresh()]);
    } catch (error) {
      this.notifier.fail(error, archived ? 'Could not archive' : 'Could not restore');
    }
  }

  protected async remove(project: Project): Promise<void> {
    if (!(await askToConfirm(this.dialog, {
      title: `Delete ${project.name}?`,
      message: 'A project without tasks is deleted for good. One that holds tasks is archived instead, so no task is lost: you can restore it from “Archived”.',
      action: 'Delete',
      danger: true,
    }))) return;
    try {
      const { outcome } = await this.client.projects.delete(project.id);
      this.notifier.confirm(outcome === 'deleted' ? `Deleted ${project.name}` : `${project.name} holds tasks, so it was archived instead`);
      await Promise.all([this.load(), this.store.refresh()]);
    } catch (error) {
      this.notifier.fail(error, 'Could not delete');
    }
  }
}
