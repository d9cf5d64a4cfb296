import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/** A row of colour swatches (a radio group) and a custom colour input; emits `#rrggbb`. */
@Component({
  selector: 'tb-shell-color-picker',
  template: `
    <fieldset class="picker">
      <legend>{{ label() }}</legend>
      <div class="swatches" role="radiogroup" [attr.aria-label]="label()">
        @for (color of colors(); track color) {
          <button type="button" role="radio" class="swatch" [style.background]="color"
                  [attr.aria-checked]="color === value()" [attr.aria-label]="color" (click)="valueChange.emit(color)"></button>
        }
        <label class="custom">
          <input type="color" [value]="value()" (input)="valueChange.emit($any($event.target).value)" />
          <span>Custom</span>
        </label>
      </div>
    </fieldset>
  `,
  styles: `
    .picker { border: 0; padding: 0; margin: 0 0 8px; }
    legend { font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); margin-bottom: 6px; }
    .swatches { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
    .swatch {
      width: 28px; height: 28px; border-radius: 50%; border: 2px solid transparent; cursor: pointer; padding: 0;
      outline-offset: 2px; box-shadow: inset 0 0 0 1px rgb(0 0 0 / 0.2);
      &[aria-checked='true'] { border-color: var(--mat-sys-surface); outline: 2px solid var(--mat-sys-on-surface); }
      &:focus-visible { outline: 3px solid var(--mat-sys-primary); }
    }
    .custom { display: inline-flex; align-items: center; gap: 6px; font: var(--mat-sys-body-small); color: var(--mat-sys-on-surface-variant); }
    input[type='color'] { width: 32px; height: 28px; padding: 0; border: 1px solid var(--mat-sys-outline); border-radius: 6px; background: none; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ColorPicker {
  readonly label = input('Colour');
  readonly colors = input<readonly string[]>([]);
  readonly value = input('#2563eb');
  readonly valueChange = output<string>();
}
