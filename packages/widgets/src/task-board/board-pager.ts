import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TaskStatus } from '@taskbase/sdk';
import type { AnyClient } from '../shared/client.js';
import type { Columns } from './board-moves.js';
import { loadMore, type BoardQuery, type ColumnPaging, type Paging } from './board-paging.js';

interface PagerHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

interface PagerAccess {
  client(): AnyClient | undefined;
  filters(): BoardQuery;
  columns(): Columns;
  setColumns(columns: Columns): void;
  fail(error: Error): void;
}

/**
 * Infinite scroll for the board's columns: each column with more cards renders
 * a "load more" button (`.load-more[data-status]`), which also serves keyboard
 * users; when it comes near the viewport the next page is fetched with the
 * column's keyset cursor and appended.
 */
export class BoardPager implements ReactiveController {
  private paging: Partial<Paging> = {};
  private loading = new Set<TaskStatus>();
  private observer?: IntersectionObserver;

  constructor(private readonly host: PagerHost, private readonly access: PagerAccess) {
    host.addController(this);
  }

  /** A column's cursor and true count. */
  of(status: TaskStatus): ColumnPaging | undefined {
    return this.paging[status];
  }

  isLoading(status: TaskStatus): boolean {
    return this.loading.has(status);
  }

  /** Replaces the paging after a full (re)load. */
  reset(paging: Paging): void {
    this.paging = paging;
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    this.observer ??= new IntersectionObserver(
      (entries) => entries.filter((e) => e.isIntersecting).forEach((e) => void this.more((e.target as HTMLElement).dataset.status as TaskStatus)),
      { rootMargin: '400px' },
    );
    // Re-observing reports each button's current visibility, so a column still short of the viewport keeps loading.
    this.observer.disconnect();
    this.host.renderRoot.querySelectorAll('.load-more').forEach((button) => this.observer!.observe(button));
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  /** Appends a column's next page; concurrent calls for one column are ignored. */
  async more(status: TaskStatus): Promise<void> {
    const client = this.access.client();
    const cursor = this.paging[status]?.cursor;
    if (!client || !cursor || this.loading.has(status)) return;
    this.loading.add(status);
    this.host.requestUpdate();
    try {
      const page = await loadMore(client, this.access.filters(), status, cursor);
      const columns = this.access.columns();
      // A card moved in meanwhile may already be shown: never list it twice.
      const shown = columns[status] ?? [];
      const known = new Set(shown.map((task) => task.id));
      this.access.setColumns({ ...columns, [status]: [...shown, ...page.tasks.filter((task) => !known.has(task.id))] });
      this.paging = { ...this.paging, [status]: { total: null, ...this.paging[status], cursor: page.cursor } };
    } catch (error) {
      this.access.fail(error as Error);
    } finally {
      this.loading.delete(status);
      this.host.requestUpdate();
    }
  }
}
