import { computed, inject, Injectable, signal } from '@angular/core';
import { CatalogApi, type SavedView } from './catalog';

/** The saved views the signed-in person sees (their own and shared ones), for the side navigation and the view page. */
@Injectable({ providedIn: 'root' })
export class ViewStore {
  private readonly api = inject(CatalogApi);
  private loading: Promise<SavedView[]> | undefined;
  readonly views = signal<SavedView[]>([]);
  readonly loaded = signal(false);
  readonly failed = signal(false);
  readonly own = computed(() => this.views().filter((view) => !view.shared));
  readonly shared = computed(() => this.views().filter((view) => view.shared));

  /** Loads the list once; `refresh()` reloads it. */
  load(): Promise<SavedView[]> {
    this.loading ??= this.fetch();
    return this.loading;
  }

  refresh(): Promise<SavedView[]> {
    this.loading = this.fetch();
    return this.loading;
  }

  /** Forgets everything (after a sign-out). */
  clear(): void {
    this.loading = undefined;
    this.views.set([]);
    this.loaded.set(false);
    this.failed.set(false);
  }

  /** Puts a created or changed view in place at once (the next refresh confirms the order). */
  put(view: SavedView): void {
    this.views.update((views) => {
      const at = views.findIndex((other) => other.id === view.id);
      return at < 0 ? [...views, view] : views.map((other) => (other.id === view.id ? view : other));
    });
  }

  drop(id: number): void {
    this.views.update((views) => views.filter((view) => view.id !== id));
  }

  private async fetch(): Promise<SavedView[]> {
    try {
      const views = await this.api.views();
      this.views.set(views);
      this.loaded.set(true);
      this.failed.set(false);
      return views;
    } catch (error) {
      this.loading = undefined;
      this.failed.set(true);
      throw error;
    }
  }
}
