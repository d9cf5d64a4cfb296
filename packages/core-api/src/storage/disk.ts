import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey } from './keys.js';
import { ObjectNotFound, type ObjectStorage, type StoredObject } from './storage.js';

/** Objects as files under `root`, one file per key (`a/b/c` → `<root>/a/b/c`). */
export class DiskStorage implements ObjectStorage {
  readonly driver = 'disk' as const;

  constructor(private readonly root: string) {}

  async ready(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async put(key: string, body: Readable, _meta: { contentType: string }): Promise<void> {
    // Until pipeline listens, an 'error' nobody hears would crash the process; pipeline
    // still sees it (the stream is left errored) and rejects with it.
    const ignore = (): void => {};
    body.on('error', ignore);
    let temporary: string | undefined;
    try {
      const path = this.pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Same folder as the target, so the rename is atomic: readers see the old file or the
      // whole new one, and a body that fails leaves only the temporary file, removed below.
      // The leading dot cannot clash with a key (keys.ts refuses dot-led segments).
      temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
      // flush: fsync before close, so a crash after the rename cannot leave an empty file.
      await pipeline(body, createWriteStream(temporary, { flags: 'wx', flush: true }));
      await rename(temporary, path);
    } catch (error) {
      body.destroy(); // put owns the body: whoever feeds it learns it is no longer read
      if (temporary !== undefined) await rm(temporary, { force: true });
      throw error;
    } finally {
      body.off('error', ignore);
    }
  }

  async get(key: string): Promise<StoredObject> {
    const path = this.pathOf(key);
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw isMissing(error) ? new ObjectNotFound(key) : error;
    });
    try {
      const stats = await handle.stat();
      // A key that is a prefix of other keys is a folder here; in S3 it is no object either.
      if (!stats.isFile()) throw new ObjectNotFound(key);
      return { body: handle.createReadStream(), size: stats.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Deletes only the files; emptied folders stay (pruning would race with concurrent puts). */
  async remove(keys: string[]): Promise<void> {
    const paths = keys.map((key) => this.pathOf(key)); // validate all before deleting any
    await Promise.all(
      paths.map((path) =>
        unlink(path).catch((error: unknown) => {
          // EISDIR: the key is only a prefix of other keys, so there is no such object.
          if (!isMissing(error) && (error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
        }),
      ),
    );
  }

  private pathOf(key: string): string {
    assertSafeKey(key);
    return join(this.root, key);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
