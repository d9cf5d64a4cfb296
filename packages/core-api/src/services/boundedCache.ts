/**
 * A least-recently-used map with a capacity and a time to live: what a cache
 * keyed by anything a client sends needs, so that made-up keys evict old
 * entries instead of growing memory. A Map keeps insertion order, so
 * re-inserting on every hit keeps the least recently used first.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; expires: number }>();

  constructor(
    readonly capacity: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(capacity >= 1)) throw new Error('a cache needs a capacity of at least 1');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K, value?: V): void {
    // With `value`: only if the key still holds it (a newer entry may have replaced it).
    if (value === undefined || this.entries.get(key)?.value === value) this.entries.delete(key);
  }

  /** Drops every entry whose key matches. */
  deleteWhere(matches: (key: K) => boolean): void {
    for (const key of [...this.entries.keys()]) if (matches(key)) this.entries.delete(key);
  }
}
