import type { ProjectRecord } from '../records.js';

type Status = NonNullable<ProjectRecord['statuses']>[number];
type Category = Status['category'];

/** A column's category guessed from its name; most boards name their last column "Done". */
export function categoryOf(name: string): Category {
  const text = name.toLowerCase();
  if (/\b(done|complete|completed|finished|shipped|closed|released|resolved)\b/.test(text)) return 'completed';
  if (/\b(cancel+ed|won'?t (do|fix)|rejected|dropped)\b/.test(text)) return 'canceled';
  if (/\b(doing|in progress|progress|review|testing|active|started|wip|blocked)\b/.test(text)) return 'started';
  if (/\b(backlog|icebox|someday|ideas?)\b/.test(text)) return 'backlog';
  return 'unstarted';
}

/**
 * Builds a workflow (at most 50 statuses, like the API) from column names in
 * board order, with keys made from the names. When no column reads as done,
 * a "Done" status is added, for completed cards and tasks to go to.
 */
export class Workflow {
  readonly statuses: Status[] = [];
  private readonly byName = new Map<string, Status>();

  /** Adds a column (one more past 49 is dropped: its cards land in the first status); a known name returns its status. */
  add(name: string, limit = 49): Status | undefined {
    const clean = name.trim().slice(0, 60) || 'Untitled';
    const known = this.byName.get(clean.toLowerCase());
    if (known || this.statuses.length >= limit) return known;
    const status: Status = { key: this.keyFor(clean), name: clean, category: categoryOf(clean) };
    this.statuses.push(status);
    this.byName.set(clean.toLowerCase(), status);
    return status;
  }

  /** The status completed work goes to (added as "Done" when the board has none). */
  done(): Status {
    return this.statuses.find((status) => status.category === 'completed') ?? this.add('Done', 50)!;
  }

  private keyFor(name: string): string {
    let base = name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+|_+$/g, '')
      .slice(0, 36);
    if (!base) base = 'status';
    let key = base;
    for (let n = 2; this.statuses.some((status) => status.key === key); n++) key = `${base}_${n}`;
    return key;
  }
}
