import type { Readable } from 'node:stream';

export interface StoredObject {
  body: Readable;
  size: number;
}

export interface ObjectStorage {
  readonly driver: 'disk' | 's3';
  /** Streams `body` to `key` (never buffering it whole). Rejects if body errors; leaves nothing behind on failure. */
  put(key: string, body: Readable, meta: { contentType: string }): Promise<void>;
  /** The object's bytes as a stream and its size; throws ObjectNotFound when absent. */
  get(key: string): Promise<StoredObject>;
  /** Removes keys; absent keys are not an error. */
  remove(keys: string[]): Promise<void>;
  /** Creates the bucket/folder if needed (called once at start). */
  ready(): Promise<void>;
  close?(): Promise<void>;
}

export class ObjectNotFound extends Error {
  constructor(key?: string) {
    super(key === undefined ? 'object not found' : `object not found: ${key}`);
    this.name = 'ObjectNotFound';
  }
}

export type StorageConfig =
  | { driver: 'disk'; dir: string }
  | {
      driver: 's3';
      endpoint: string | undefined;
      bucket: string;
      region: string;
      accessKeyId: string | undefined;
      secretAccessKey: string | undefined;
      forcePathStyle: boolean;
    };
