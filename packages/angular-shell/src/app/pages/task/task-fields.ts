import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ConflictError, NotFoundError, type Task, type UpdateTaskInput, type User } from '@taskbase/sdk';
import { PRIORITY_LABELS, STATUS_LABELS } from '../../core/labels';
import { Notifier } from '../../core/notifier';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';

type Field = 'status' | 'priority' | 'assignedTo' | 'dueDate';

/** `YYYY-MM-DD` of an ISO instant in local time, for a date input. */
function dayOf(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Status, priority, assignee and due date as Material fields, slotted into
 * tb-task-detail in place of its native selects. Each change saves at once
 * with the version on screen (If-Match); live events keep it current.
 */
@Component({
  selector: 'tb-shell-task-fields',
  imports: [MatFormFieldModule, MatSelectModule, MatInputModule],
  template: `
    @if (task(); as task) {
      <mat-form-field appearance="outline">
        <mat-label>Status</mat-label>
        <mat-select [value]="task.status" [disabled]="!task.can.includes('update')" (selectionChange)="save('status', $event.value)">
          @for (option of statuses(); track option[0]) { <mat-option [value]="option[0]">{{ option[1] }}</mat-option> }
        </mat-select>
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Priority</mat-label>
        <mat-select [value]="task.priority" [disabled]="!task.can.includes('update')" (selectionChange)="save('priority', $event.value)">
          @for (option of priorities; track option[0]) { <mat-option [value]="option[0]">{{ option[1] }}</mat-option> }
        </mat-select>
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Assignee</mat-label>
        <!-- 0 stands for "nobody": a mat-select shows nothing at all for a null value. -->
        <mat-select [value]="task.assignedTo ?? 0" [disabled]="!task.can.includes('assign')" (selectionChange)="save('assignedTo', $event.value || null)">
          <mat-option [value]="0">Unassigned</mat-option>
          @for (user of users(); track user.id) { <mat-option [value]="user.id">{{ user.name }}</mat-option> }
        </mat-select>
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Due date</mat-label>
        <input matInput type="date" [value]="day(task.dueDate)" [disabled]="!task.can.includes('update')"
               (change)="saveDay($any($event.target).value)" />
      </mat-form-field>
    }
  `,
  styles: `
    // Row gap: with one-line-free subscripts (dynamic sizing) a floating label would touch the field above.
    :host { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 16px 12px; padding-top: 8px; margin-bottom: 16px; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskFields {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly notifier = inject(Notifier);
  /** The task whose fields these are. */
  readonly taskId = input.required<number>();
  protected readonly task = signal<Task | null>(null);
  protected readonly users = signal<User[]>([]);
  /** The task's project's workflow, in board order (the four classic statuses until it is known). */
  protected readonly statuses = signal<[string, string][]>(Object.entries(STATUS_LABELS));
  private statusesOf: number | null = null;
  protected readonly priorities = Object.entries(PRIORITY_LABELS);
  protected readonly day = dayOf;

  constructor() {
    void this.client.users.list({ limit: 100 }).then((page) => this.users.set(page.data.filter((user) => user.active)));
    effect((onCleanup) => {
      const id = this.taskId();
      void this.load(id);
      try {
        // Someone else's change (or the widget's own saves) arrives as an event on the task's topic;
        // a deletion is the page's business (it leaves), not a reason to reload.
        const stop = this.client.realtime.subscribe(`task:${id}`, (message) => {
          if ((message.type === 'event' && message.event !== 'task.deleted') || message.type === 'resync') void this.load(id);
        });
        onCleanup(stop);
      } catch {
        // No WebSocket (unit tests): the fields still work, without live updates.
      }
    });
  }

  private async load(id: number): Promise<void> {
    try {
      const task = await this.client.tasks.get(id);
      this.task.set(task);
      if (task.projectId !== this.statusesOf) {
        this.statusesOf = task.projectId;
        const workflow = await this.client.projects.statuses(task.projectId);
        this.statuses.set(workflow.map((status) => [status.key, status.name]));
      }
    } catch (error) {
      // A task that is gone is already said by the widget beside these fields.
      if (!(error instanceof NotFoundError)) this.notifier.fail(error, 'Could not load the task');
    }
  }

  protected saveDay(value: string): void {
    void this.save('dueDate', value ? new Date(`${value}T23:59:59`).toISOString() : null);
  }

  protected async save(field: Field, value: unknown): Promise<void> {
    const task = this.task();
    if (!task) return;
    try {
      this.task.set(await this.client.tasks.update(task.id, { [field]: value } as UpdateTaskInput, { ifMatch: task.version }));
    } catch (error) {
      // A stale version: show what the task is now rather than overwrite someone's change unseen.
      if (error instanceof ConflictError) this.notifier.fail(new Error('Someone changed this task meanwhile; showing their version. Try again.'));
      else this.notifier.fail(error, 'Could not save');
      await this.load(task.id);
    }
  }
}
