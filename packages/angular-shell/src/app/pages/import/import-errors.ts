import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import type { RowError } from '../../core/data-jobs';

/**
 * The rows an import could not read, by line and field, ten to a page. The
 * job keeps the first 1000; the heading gives the whole count.
 */
@Component({
  selector: 'tb-shell-import-errors',
  imports: [MatPaginatorModule, DecimalPipe],
  template: `
    <h2 id="errors-title" class="errors-title">
      {{ count() | number }} {{ count() === 1 ? 'row has an error' : 'rows have errors' }}
      @if (count() > errors().length) { <span class="muted">(the first {{ errors().length | number }} are listed)</span> }
    </h2>
    <div class="table-card">
      <table aria-labelledby="errors-title" data-testid="import-errors">
        <thead><tr><th scope="col" class="num">Line</th><th scope="col">Field</th><th scope="col">Problem</th></tr></thead>
        <tbody>
          @for (error of shown(); track $index) {
            <tr>
              <td class="num">{{ error.line }}</td>
              <td class="field mono">{{ error.field }}</td>
              <td>{{ error.message }}</td>
            </tr>
          }
        </tbody>
      </table>
      @if (errors().length > pageSize) {
        <mat-paginator [length]="errors().length" [pageSize]="pageSize" [pageIndex]="page()" [hidePageSize]="true"
                       (page)="turn($event)" aria-label="Pages of errors" />
      }
    </div>
  `,
  styles: `
    :host { display: grid; gap: 8px; }
    .errors-title { font: var(--mat-sys-title-small); margin: 0; color: var(--mat-sys-error); }
    .errors-title .muted { font: var(--mat-sys-body-small); }
    table { border-collapse: collapse; }
    th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    thead th { font: var(--mat-sys-title-small); color: var(--mat-sys-on-surface-variant); }
    .num { text-align: right; width: 4em; font-variant-numeric: tabular-nums; }
    .field { white-space: nowrap; }
    mat-paginator { background: transparent; }
    @media (max-width: 600px) {
      th, td { padding: 6px 8px; }
      .num { width: auto; }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportErrors {
  readonly errors = input.required<RowError[]>();
  /** How many rows failed in all (past the listed 1000 too). */
  readonly total = input<number | null>(null);
  protected readonly pageSize = 10;
  protected readonly page = signal(0);
  protected readonly count = computed(() => Math.max(this.total() ?? 0, this.errors().length));
  protected readonly shown = computed(() => this.errors().slice(this.page() * this.pageSize, (this.page() + 1) * this.pageSize));

  protected turn(event: PageEvent): void {
    this.page.set(event.pageIndex);
  }
}
