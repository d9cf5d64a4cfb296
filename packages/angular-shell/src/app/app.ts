import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatIconRegistry } from '@angular/material/icon';
import { RouterOutlet } from '@angular/router';
import { ThemeSwitcher } from './core/theme-switcher';

/** The root: only the router outlet; the signed-in chrome is the lazy `AppLayout`. */
@Component({
  selector: 'tb-shell-root',
  imports: [RouterOutlet],
  template: '<router-outlet />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  constructor() {
    // Icons come from the self-hosted Material Symbols font (no Google Fonts).
    inject(MatIconRegistry).setDefaultFontSetClass('material-symbols-outlined');
    inject(ThemeSwitcher).apply();
  }
}
