import type { Knex } from 'knex';
import type { ObjectStorage } from '../../storage/storage.js';

/** Thumbnails fit in this square; decoding refuses images past LIMIT_PIXELS (decompression bombs). */
const THUMBNAIL_SIZE = 320;
const LIMIT_PIXELS = 40_000_000;

interface Claimed {
  id: number;
  storageKey: string;
}

/**
 * The attachments' background work, off the request path and safe to run in
 * every process at once: rows are claimed for a while (`… for update skip
 * locked`), worked on outside any transaction, then recorded. A claim whose
 * process died runs again once it lapses.
 *
 * - Thumbnails: a WebP preview of each raster image.
 * - Object removal: the keys the database queued when attachment rows went
 *   (by any path: their own DELETE, or a task, comment or workspace's).
 */
export class AttachmentJobs {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly knex: Knex,
    private readonly storage: ObjectStorage,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Runs soon; a call while running makes it run once more after. */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runUntilIdle().finally(() => (this.running = undefined));
  }

  /** Finishes whatever is due now (tests and the CLI await it). */
  async runOnce(): Promise<void> {
    await this.running;
    await this.runUntilIdle();
  }

  schedule(intervalMs: number): () => void {
    const timer = setInterval(() => this.wake(), intervalMs);
    timer.unref();
    this.wake();
    return () => clearInterval(timer);
  }

  /** Waits for the current run (on shutdown). */
  async idle(): Promise<void> {
    await this.running;
  }

  private async runUntilIdle(): Promise<void> {
    do {
      this.again = false;
      try {
        while (await this.thumbnailOne());
        while (await this.removeBatch());
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
  }

  private async thumbnailOne(): Promise<boolean> {
    const { rows } = await this.knex.raw<{ rows: Claimed[] }>(`update attachments set thumbnail_state = 'working', thumbnail_claimed_until = now() + interval '2 minutes'
      where id = (select id from attachments
                  where thumbnail_state = 'pending' or (thumbnail_state = 'working' and thumbnail_claimed_until < now())
                  order by id limit 1 for update skip locked)
      returning id, storage_key as "storageKey"`);
    const claimed = rows[0];
    if (!claimed) return false;
    const thumbnailKey = `${claimed.storageKey}.thumb.webp`;
    let state: 'done' | 'failed' = 'done';
    try {
      const sharp = await loadSharp();
      const { body } = await this.storage.get(claimed.storageKey);
      const resize = sharp({ limitInputPixels: LIMIT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75 });
      body.on('error', (error) => resize.destroy(error));
      await this.storage.put(thumbnailKey, body.pipe(resize), { contentType: 'image/webp' });
    } catch {
      state = 'failed'; // not an image sharp can read (or the object is gone): the attachment simply has no preview
    }
    const { rows: recorded } = await this.knex.raw<{ rows: unknown[] }>(
      `update attachments set thumbnail_state = ?, thumbnail_key = ?, thumbnail_claimed_until = null where id = ? and thumbnail_state = 'working' returning id`,
      [state, state === 'done' ? thumbnailKey : null, claimed.id],
    );
    // The attachment went while its preview was made: the preview goes too.
    if (recorded.length === 0 && state === 'done') await this.storage.remove([thumbnailKey]);
    return true;
  }

  private async removeBatch(): Promise<boolean> {
    const { rows } = await this.knex.raw<{ rows: Array<{ id: number; storageKey: string }> }>(`update storage_deletions set claimed_until = now() + interval '5 minutes'
      where id in (select id from storage_deletions where claimed_until is null or claimed_until < now() order by id limit 200 for update skip locked)
      returning id, storage_key as "storageKey"`);
    if (rows.length === 0) return false;
    await this.storage.remove(rows.map((row) => row.storageKey));
    await this.knex('storage_deletions').whereIn('id', rows.map((row) => row.id)).delete();
    return true;
  }
}

let sharpModule: Promise<typeof import('sharp')['default']> | undefined;

/** sharp, loaded by the first thumbnail rather than at every start (a native module, a sizeable part of a cold start). */
function loadSharp(): Promise<typeof import('sharp')['default']> {
  sharpModule ??= import('sharp').then(({ default: sharp }) => {
    // A thumbnail is background work in an API process: one libvips thread, so that it never takes
    // both cores from the requests beside it (a live board update waited past a second behind it).
    sharp.concurrency(1);
    return sharp;
  });
  return sharpModule;
}
