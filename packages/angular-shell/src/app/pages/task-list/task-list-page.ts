import { ChangeDetectionStrategy, Component, computed, CUSTOM_ELEMENTS_SCHEMA, effect, ElementRef, inject, input, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import type { TbTaskSelectEvent } from '@taskbase/widgets';
import '@taskbase/widgets/task-list';
import { elementFilters, viewQuery } from '../../core/catalog';
import { ProjectStore } from '../../core/projects';
import { ViewActions } from '../../shared/view-actions';

/** One project's tasks in a sortable, filterable table (tb-task-list), at `/p/:key/list`. */
@Component({
  selector: 'tb-shell-task-list-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    <header class="page-header">
      <div>
        <h1>
          @if (project(); as p) { <span class="project-dot" [style.background]="p.color" aria-hidden="true"></span>{{ p.name }} tasks }
          @else { {{ key() }} tasks }
        </h1>
        <p>Filter, sort and search the project's tasks.</p>
      </div>
      @if (project()) {
        <button mat-stroked-button type="button" (click)="saveView()" data-testid="save-view"><mat-icon>bookmark_add</mat-icon> Save view</button>
      }
      <a mat-stroked-button [routerLink]="['/p', key(), 'board']"><mat-icon>view_kanban</mat-icon> Board</a>
    </header>
    @if (project(); as p) {
      <div class="surface-card">
        <tb-task-list #list [attr.project]="p.key" (tb-task-select)="openTask($event)"></tb-task-list>
      </div>
    } @else if (store.loaded()) {
      <p class="surface-card">There is no project {{ key() }}, or you cannot see it. <a routerLink="/projects">All projects</a></p>
    }
  `,
  styles: ':host { display: block; } tb-task-list { --tb-list-max-height: calc(100dvh - 300px); }',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskListPage {
  private readonly router = inject(Router);
  protected readonly store = inject(ProjectStore);
  /** The `:key` route parameter. */
  readonly key = input.required<string>();
  protected readonly project = computed(() => this.store.projects().find((project) => project.key === this.key()) ?? null);
  private readonly list = viewChild<ElementRef<HTMLElement>>('list');
  private readonly views = inject(ViewActions);

  constructor() {
    effect(() => this.store.currentKey.set(this.key()));
    void this.store.load().catch(() => undefined);
  }

  /** "Save view": this project's list with the filters and sort it shows now. */
  protected saveView(): void {
    const project = this.project();
    if (!project) return;
    const query = viewQuery(elementFilters(this.list()?.nativeElement));
    void this.views.save({ layout: 'list', projectId: project.id, projectName: project.name, query });
  }

  protected openTask(event: Event): void {
    const { task } = (event as TbTaskSelectEvent).detail;
    void this.router.navigate(['/tasks', task.identifier ?? task.id]);
  }
}
