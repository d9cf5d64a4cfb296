/**
 * A latency histogram with logarithmic buckets (2 % wide, from 0.01 ms), so
 * millions of samples over a long run take a few hundred counters instead of
 * an array of every value. Percentiles answer a bucket's upper bound, so they
 * read at most 2 % high.
 */
const FLOOR_MS = 0.01;
const LOG_GROWTH = Math.log(1.02);

const bucketOf = (ms: number) => (ms <= FLOOR_MS ? 0 : Math.ceil(Math.log(ms / FLOOR_MS) / LOG_GROWTH));
const upperBound = (bucket: number) => FLOOR_MS * Math.exp(bucket * LOG_GROWTH);

export type HistogramJson = { count: number; max: number; sum: number; buckets: [number, number][] };

export class Histogram {
  private readonly buckets = new Map<number, number>();
  count = 0;
  max = 0;
  sum = 0;

  record(ms: number): void {
    const value = Math.max(0, ms);
    const bucket = bucketOf(value);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + 1);
    this.count += 1;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  merge(other: Histogram | HistogramJson): this {
    const entries = other instanceof Histogram ? other.buckets.entries() : other.buckets;
    for (const [bucket, count] of entries) this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + count);
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** The value below which `p` percent of the samples fall; NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (const bucket of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(bucket)!;
      // Never report more than the largest value actually seen.
      if (seen >= rank) return Math.min(upperBound(bucket), this.max);
    }
    return this.max;
  }

  get mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  toJSON(): HistogramJson {
    return { count: this.count, max: this.max, sum: this.sum, buckets: [...this.buckets.entries()] };
  }

  static from(json: HistogramJson): Histogram {
    return new Histogram().merge(json);
  }
}

/**
 * Matches the receipt of a pushed event (WebSocket frame, webhook) with the
 * moment its write was answered 2xx, both keyed the same way (see
 * `eventKey`). A push can arrive before the writer has read its own
 * response; such receipts wait here until the answer is known and then
 * count as zero lag (`early`).
 */
export class LagMatcher {
  private readonly answeredAt = new Map<string, number>();
  private readonly waiting = new Map<string, number[]>();
  readonly total = new Histogram();
  window = new Histogram();
  early = 0;

  answered(key: string, at: number): void {
    this.answeredAt.set(key, at);
    const receipts = this.waiting.get(key);
    if (!receipts) return;
    this.waiting.delete(key);
    for (const receivedAt of receipts) this.record(receivedAt - at);
  }

  received(key: string, at: number): void {
    const answered = this.answeredAt.get(key);
    if (answered !== undefined) return this.record(at - answered);
    const receipts = this.waiting.get(key);
    if (receipts) receipts.push(at);
    else this.waiting.set(key, [at]);
  }

  /** Receipts whose write was never answered 2xx (e.g. it timed out on the client side). */
  get unmatched(): number {
    let count = 0;
    for (const receipts of this.waiting.values()) count += receipts.length;
    return count;
  }

  takeWindow(): Histogram {
    const window = this.window;
    this.window = new Histogram();
    return window;
  }

  private record(lag: number): void {
    if (lag < 0) this.early += 1;
    this.total.record(lag);
    this.window.record(lag);
  }
}

/**
 * The key shared by a write's answer and the events it produced: a task
 * event by task id and version (every change bumps it), a comment event by
 * comment id.
 */
export function eventKey(type: string, data: any): string | undefined {
  if (type.startsWith('comment.') && data?.comment?.id !== undefined) return `c:${data.comment.id}`;
  if (type.startsWith('task.') && data?.task?.id !== undefined) return `t:${data.task.id}:v${data.task.version}`;
  return undefined;
}
