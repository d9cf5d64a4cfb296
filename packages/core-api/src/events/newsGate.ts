import type { BusEvent } from './bus.js';
import { newsAfter, newsSince, type CommitSnapshot, type Position } from './positions.js';

/**
 * Where one live subscriber's stream begins. The bus may hand it events
 * before that is known (a snapshot or a replay is still being read), and
 * events it already has (the replay read them, or they had committed
 * before it subscribed): the gate holds the first until it opens, then
 * passes on only news. WebSocket topics and GraphQL subscriptions both
 * start through it.
 */
export class NewsGate {
  /** Events offered before the gate opened. */
  private held: BusEvent[] | undefined = [];
  private isNews: (event: Position) => boolean = () => true;

  constructor(private readonly deliver: (event: BusEvent) => void) {}

  /** A live event for this subscriber (already known to be visible and on its topic). */
  offer(event: BusEvent): void {
    if (this.held) this.held.push(event);
    else if (this.isNews(event)) this.deliver(event);
  }

  /** Opens for a live start: news is what had not committed when `snapshot` was taken (`commitSnapshot`). */
  openSince(snapshot: CommitSnapshot): void {
    this.open(newsSince(snapshot));
  }

  /** Opens after a replay that reached `last`: news is what lies past it. */
  openAfter(last: Position): void {
    this.open(newsAfter(last));
  }

  /** Opens without a filter (the replay was abandoned: the client resyncs). */
  openAll(): void {
    this.open(() => true);
  }

  private open(isNews: (event: Position) => boolean): void {
    this.isNews = isNews;
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.offer(event);
  }
}
