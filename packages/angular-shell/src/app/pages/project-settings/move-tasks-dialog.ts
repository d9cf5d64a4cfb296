import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import type { WorkflowStatus } from '@taskbase/sdk';

export interface MoveTasksData {
  removing: WorkflowStatus;
  /** Where the tasks may go: the other statuses. */
  targets: WorkflowStatus[];
}

/** A status still holds tasks: choose where they go before it is removed; closes with the chosen key. */
@Component({
  selector: 'tb-shell-move-tasks-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatSelectModule],
  template: `
    <h2 mat-dialog-title>Move the tasks of “{{ data.removing.name }}”</h2>
    <mat-dialog-content class="dialog-form">
      <p>Some tasks are in this status. Choose the status they move to; then “{{ data.removing.name }}” is removed.</p>
      <mat-form-field appearance="outline">
        <mat-label>Move its tasks to</mat-label>
        <mat-select [value]="target()" (selectionChange)="target.set($event.value)" data-testid="move-to">
          @for (status of data.targets; track status.key) { <mat-option [value]="status.key">{{ status.name }}</mat-option> }
        </mat-select>
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" class="danger" [mat-dialog-close]="target()" [disabled]="!target()">Move tasks and remove</button>
    </mat-dialog-actions>
  `,
  styles: '.danger { --mat-button-filled-container-color: var(--mat-sys-error); --mat-button-filled-label-text-color: var(--mat-sys-on-error); }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MoveTasksDialog {
  protected readonly data = inject<MoveTasksData>(MAT_DIALOG_DATA);
  protected readonly target = signal<string | null>(this.data.targets[0]?.key ?? null);
}
