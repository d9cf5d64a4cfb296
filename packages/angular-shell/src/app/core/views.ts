import { computed, inject, Injectable, signal } from '@angular/core';
import { CatalogApi, type QueryNames, type SavedView } from './catalog';
import { TASKBASE_CLIENT } from './taskbase-client';

/** The saved views the signed-in person sees (their own and shared ones), for the side navigation and the view page. */
@Injectable({ providedIn: 'root' })
export class ViewStore {
  private readonly api = inject(CatalogApi);
  private readonly client = inject(TASKBASE_CLIENT);
  private loading: Promise<SavedView[]> | undefined;
  private naming: Promise<void> | undefined;
  /** Names of the labels, fields and people views filter by (to describe a view's query); loaded by `loadNames()`. */
  readonly names = signal<QueryNames>({});
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

  /** Loads the names once, or again with `fresh` (each part may fail alone: the description then shows ids). */
  loadNames(fresh = false): Promise<void> {
    if (fresh) this.naming = undefined;
    this.naming ??= (async () => {
      const [labels, fields, users] = await Promise.allSettled([
        this.api.labels(),
        this.api.fields(),
        this.client.users.list({ limit: 100 }).then((page) => page.data),
      ]);
      this.names.set({
        labels: labels.status === 'fulfilled' ? labels.value : undefined,
        fields: fields.status === 'fulfilled' ? fields.value : undefined,
        users: users.status === 'fulfilled' ? users.value : undefined,
      });
    })();
    return this.naming;
  }

  /**
   * Follows shared views made, changed or deleted by others (`view.*` events on
   * the realtime `tasks` topic), and labels and fields for the names; returns
   * the function that stops.
   */
  follow(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = this.client.realtime.subscribe('tasks', (message) => {
      const reload = message.type === 'resync' || (message.type === 'event' && message.event.startsWith('view.'));
      const rename = message.type === 'event' && /^(label|field)\./.test(message.event);
      if (!reload && !rename) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (reload && this.loaded()) void this.refresh().catch(() => undefined);
        if (rename || reload) void this.loadNames(true);
      }, 300);
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }

  /** Forgets everything (after a sign-out). */
  clear(): void {
    this.loading = undefined;
    this.naming = undefined;
    this.names.set({});
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
