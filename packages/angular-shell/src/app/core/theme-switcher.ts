import { computed, DestroyRef, DOCUMENT, effect, inject, Injectable, signal } from '@angular/core';

export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'taskbase.theme';

/**
 * Light, dark or the system's choice. The Material theme is emitted with
 * `light-dark()` values, so switching is only a matter of `color-scheme` on
 * <html>; `resolved` also tells the widgets (via tb-provider's `theme`).
 */
@Injectable({ providedIn: 'root' })
export class ThemeSwitcher {
  private readonly document = inject(DOCUMENT);
  private readonly media = this.document.defaultView?.matchMedia?.('(prefers-color-scheme: dark)');
  private readonly systemDark = signal(this.media?.matches ?? false);

  readonly choice = signal<ThemeChoice>(readChoice());
  readonly resolved = computed<'light' | 'dark'>(() => {
    const choice = this.choice();
    return choice === 'system' ? (this.systemDark() ? 'dark' : 'light') : choice;
  });

  constructor() {
    const listener = (event: MediaQueryListEvent) => this.systemDark.set(event.matches);
    this.media?.addEventListener('change', listener);
    inject(DestroyRef).onDestroy(() => this.media?.removeEventListener('change', listener));
  }

  /** Keeps <html> in step with the choice (call once, from the root component). */
  apply(): void {
    effect(() => {
      const root = this.document.documentElement;
      root.style.colorScheme = this.resolved();
      root.classList.toggle('dark-theme', this.resolved() === 'dark');
    });
  }

  choose(choice: ThemeChoice): void {
    this.choice.set(choice);
    try {
      localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Private mode: the choice lasts for this visit only.
    }
  }
}

function readChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}
