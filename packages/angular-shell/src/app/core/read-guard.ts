/**
 * Orders the reads of a list that local changes also update (a settings
 * page that adds what it just created). Answers can arrive out of order,
 * and a read that began before a local change would take the change back
 * out: under load, the page's first read came back after a label was
 * created and the new label vanished. Only the newest read's answer is
 * used, and a read that a local change overtook reads again.
 */
export class ReadGuard {
  private reads = 0;
  private changes = 0;

  /** Say so before changing the list locally. */
  changed(): void {
    this.changes += 1;
  }

  /** The answer of `fetch`, or undefined when a newer read began meanwhile (its answer is the one to use). */
  async read<T>(fetch: () => Promise<T>): Promise<T | undefined> {
    for (;;) {
      const read = ++this.reads;
      const changes = this.changes;
      const answer = await fetch();
      if (read !== this.reads) return undefined;
      if (changes === this.changes) return answer;
    }
  }
}
