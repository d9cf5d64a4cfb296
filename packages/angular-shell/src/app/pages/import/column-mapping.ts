import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import type { CustomField } from '@taskbase/sdk';
import type { ImportPreview } from '../../core/data-jobs';

/** The task fields a CSV column can fill (CsvTarget), as the mapping step names them. */
export const TASK_TARGETS: { value: string; label: string }[] = [
  { value: 'title', label: 'Title' },
  { value: 'description', label: 'Description' },
  { value: 'status', label: 'Status' },
  { value: 'priority', label: 'Priority' },
  { value: 'assigneeEmail', label: 'Assignee (email)' },
  { value: 'dueDate', label: 'Due date' },
  { value: 'labels', label: 'Labels' },
  { value: 'externalId', label: 'External id' },
  { value: 'parentExternalId', label: 'Parent (external id)' },
  { value: 'createdAt', label: 'Created at' },
];

/**
 * The CSV's columns, each with its first values and the task field it fills
 * (pre-filled with the server's suggestion). A target can take one column:
 * choosing it for another moves it there.
 */
@Component({
  selector: 'tb-shell-column-mapping',
  imports: [MatFormFieldModule, MatSelectModule],
  template: `
    <div class="table-card">
      <table class="mapping" aria-label="Column mapping">
        <thead>
          <tr><th scope="col">Column</th><th scope="col">Sample values</th><th scope="col">Imports into</th></tr>
        </thead>
        <tbody>
          @for (column of preview().columns; track column; let i = $index) {
            <tr [attr.data-column]="column">
              <th scope="row" class="column-name">{{ column }}</th>
              <td class="samples">
                @for (value of samples()[i]; track $index) {
                  <span class="sample" [title]="value">{{ value }}</span>
                } @empty {
                  <span class="muted">(empty)</span>
                }
              </td>
              <td class="target">
                <mat-form-field appearance="outline" subscriptSizing="dynamic" class="shrinking-field">
                  <mat-label>{{ column }} imports into</mat-label>
                  <mat-select [value]="mapping()[column] || 'ignore'" (selectionChange)="choose(column, $event.value)">
                    <mat-option value="ignore">Don’t import</mat-option>
                    @for (target of targets; track target.value) {
                      <mat-option [value]="target.value">{{ target.label }}</mat-option>
                    }
                    @for (field of fields(); track field.key) {
                      <mat-option [value]="'fields.' + field.key">{{ field.name }} (custom field)</mat-option>
                    }
                  </mat-select>
                </mat-form-field>
              </td>
            </tr>
          }
        </tbody>
      </table>
    </div>
    @if (!hasTitle()) {
      <p class="form-error" role="alert">Choose the column that holds each task’s title.</p>
    }
  `,
  styles: `
    :host { display: grid; gap: 12px; }
    .mapping { border-collapse: collapse; }
    th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--mat-sys-outline-variant); vertical-align: middle; }
    thead th { font: var(--mat-sys-title-small); color: var(--mat-sys-on-surface-variant); }
    tbody tr:last-child > * { border-bottom: 0; }
    .column-name { font-weight: 500; white-space: nowrap; }
    .samples { max-width: 360px; }
    .sample {
      display: inline-block; max-width: 160px; margin: 2px 6px 2px 0; padding: 1px 8px; border-radius: 6px;
      background: var(--mat-sys-surface-container-high); font: var(--mat-sys-body-small);
      overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: middle;
    }
    .target { min-width: 200px; width: 40%; }
    .target mat-form-field { width: 100%; }
    @media (max-width: 600px) {
      thead { display: none; }
      tr { display: grid; grid-template-columns: 1fr; padding: 8px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
      th, td { border: 0; padding: 4px 12px; }
      .samples, .target { max-width: none; width: auto; }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ColumnMapping {
  readonly preview = input.required<ImportPreview>();
  readonly mapping = input.required<Record<string, string>>();
  readonly fields = input<CustomField[]>([]);
  readonly mappingChange = output<Record<string, string>>();
  protected readonly targets = TASK_TARGETS;

  /** Per column, its values in the sample rows (at most three, blanks left out). */
  protected readonly samples = computed(() => {
    const { columns, sample } = this.preview();
    return columns.map((_, i) => sample.map((row) => row[i] ?? '').filter((value) => value.trim() !== '').slice(0, 3));
  });
  protected readonly hasTitle = computed(() => Object.values(this.mapping()).includes('title'));

  protected choose(column: string, target: string): void {
    const next: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.mapping())) next[name] = value === target && target !== 'ignore' ? 'ignore' : value;
    next[column] = target;
    this.mappingChange.emit(next);
  }
}
