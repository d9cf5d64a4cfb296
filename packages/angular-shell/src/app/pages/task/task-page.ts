import { Location } from '@angular/common';
import { ChangeDetectionStrategy, Component, CUSTOM_ELEMENTS_SCHEMA, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Title } from '@angular/platform-browser';
import { Router, RouterLink } from '@angular/router';
import { NotFoundError, type Task } from '@taskbase/sdk';
import type { TbTaskChangeEvent } from '@taskbase/widgets';
import { errorMessage } from '../../core/error-message';
import { Notifier } from '../../core/notifier';
import { ProjectStore } from '../../core/projects';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';
import { TaskFields } from './task-fields';
import '@taskbase/widgets/task-detail';
import '@taskbase/widgets/comments';

/**
 * One task (tb-task-detail) and its thread (tb-comments). `/tasks/:taskRef`
 * takes an identifier (`CRM-42`, also one the task had before a move) or an
 * id; the address then shows the task's current identifier.
 * Deleting happens in the widget (it asks for confirmation); the page then returns to the project's board.
 */
@Component({
  selector: 'tb-shell-task-page',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, RouterLink, TaskFields],
  templateUrl: './task-page.html',
  styleUrl: './task-page.scss',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskPage {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly location = inject(Location);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly title = inject(Title);
  protected readonly store = inject(ProjectStore);
  /** The `:taskRef` route parameter: an identifier or an id. */
  readonly taskRef = input.required<string>();
  protected readonly task = signal<Task | null>(null);
  protected readonly loading = signal(true);
  protected readonly failure = signal<string | null>(null);

  constructor() {
    effect(() => void this.resolve(this.taskRef()));
    void this.store.load().catch(() => undefined);
  }

  private async resolve(ref: string): Promise<void> {
    this.loading.set(true);
    this.failure.set(null);
    try {
      const task = await this.client.tasks.get(/^\d+$/.test(ref) ? Number(ref) : ref.toUpperCase());
      this.task.set(task);
      this.title.setTitle(`${task.identifier} ${task.title} · Taskbase`);
      const project = this.store.projects().find((p) => p.id === task.projectId);
      if (project) this.store.currentKey.set(project.key);
      // An id, a former identifier or lower case: show the task's address as it is now.
      if (task.identifier && ref !== task.identifier) this.location.replaceState(`/tasks/${task.identifier}`);
    } catch (error) {
      this.task.set(null);
      this.failure.set(error instanceof NotFoundError ? 'There is no task with this address, or you cannot see it.' : errorMessage(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected projectKey(): string | null {
    const task = this.task();
    return this.store.projects().find((p) => p.id === task?.projectId)?.key ?? task?.identifier?.split('-')[0] ?? null;
  }

  protected onTaskChange(event: Event): void {
    const { action, task } = (event as TbTaskChangeEvent).detail;
    if (action !== 'delete') return;
    this.notifier.confirm(`Deleted “${task.title}”`);
    const key = this.projectKey();
    void this.router.navigate(key ? ['/p', key, 'board'] : ['/board']);
  }

  protected back(): void {
    this.location.back();
  }
}
