import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage, InvalidKey, ObjectNotFound, storageConfigFromEnv, type ObjectStorage, type StorageConfig } from '../src/storage/index.js';
import { startS3Server } from './support/s3.js';

interface Backend {
  config: StorageConfig;
  /** A config for a bucket/folder that does not exist yet. */
  fresh: StorageConfig;
  stop(): Promise<void>;
}

async function diskBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'taskbase-storage-'));
  return {
    config: { driver: 'disk', dir },
    fresh: { driver: 'disk', dir: join(dir, 'not', 'yet') },
    stop: () => rm(dir, { recursive: true, force: true }),
  };
}

async function s3Backend(): Promise<Backend> {
  const server = await startS3Server();
  return { config: server.config, fresh: { ...server.config, bucket: 'made-by-ready' }, stop: () => server.stop() };
}

/** `bytes` as a stream of 64 KiB chunks, failing instead of ending if `failAfter` is set. */
function chunked(bytes: Buffer, failAfter?: number): Readable {
  const size = 64 * 1024;
  return Readable.from(
    (async function* () {
      for (let offset = 0; offset < bytes.length; offset += size) {
        if (failAfter !== undefined && offset >= failAfter) throw new Error('client went away');
        yield bytes.subarray(offset, offset + size);
      }
    })(),
  );
}

async function read(storage: ObjectStorage, key: string): Promise<{ bytes: Buffer; size: number }> {
  const { body, size } = await storage.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return { bytes: Buffer.concat(chunks), size };
}

const text = { contentType: 'text/plain' };

describe.each([
  { name: 'disk', start: diskBackend },
  { name: 's3 (s3rver)', start: s3Backend },
])('object storage: $name', ({ start }) => {
  let backend: Backend;
  let storage: ObjectStorage;
  let n = 0;
  const key = (suffix = 'original'): string => `ws/1/att/${++n}/${suffix}`;

  beforeAll(async () => {
    backend = await start();
    storage = createStorage(backend.config);
    await storage.ready();
  });

  afterAll(async () => {
    await storage?.close?.();
    await backend?.stop();
  });

  it('streams a 3 MB body in and out byte for byte', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const k = key();
    await storage.put(k, chunked(bytes), { contentType: 'application/octet-stream' });
    const back = await read(storage, k);
    expect(back.size).toBe(bytes.length);
    expect(back.bytes.equals(bytes)).toBe(true);
  });

  it('streams a body larger than one S3 part (multipart) byte for byte', async () => {
    const bytes = randomBytes(11 * 1024 * 1024 + 5);
    const k = key();
    await storage.put(k, chunked(bytes), { contentType: 'application/octet-stream' });
    const back = await read(storage, k);
    expect(back.size).toBe(bytes.length);
    expect(back.bytes.equals(bytes)).toBe(true);
  });

  it('stores an empty body', async () => {
    const k = key();
    await storage.put(k, Readable.from([]), text);
    expect(await read(storage, k)).toEqual({ bytes: Buffer.alloc(0), size: 0 });
  });

  it('throws ObjectNotFound for a missing key, including a prefix of existing keys', async () => {
    await expect(storage.get(key())).rejects.toBeInstanceOf(ObjectNotFound);
    const k = key('thumb');
    await storage.put(k, Readable.from([Buffer.from('x')]), text);
    await expect(storage.get(k.slice(0, k.lastIndexOf('/')))).rejects.toBeInstanceOf(ObjectNotFound);
  });

  it('overwrites a key with the new bytes', async () => {
    const k = key();
    await storage.put(k, Readable.from([Buffer.from('first version, longer')]), text);
    await storage.put(k, Readable.from([Buffer.from('second')]), text);
    expect((await read(storage, k)).bytes.toString()).toBe('second');
  });

  it('removes several keys, ignoring the missing ones, and nothing else', async () => {
    const [a, b, kept, missing] = [key(), key('thumb'), key(), key()];
    for (const k of [a, b, kept]) await storage.put(k, Readable.from([Buffer.from(k)]), text);
    await storage.remove([a, missing, b]);
    await expect(storage.get(a)).rejects.toBeInstanceOf(ObjectNotFound);
    await expect(storage.get(b)).rejects.toBeInstanceOf(ObjectNotFound);
    expect((await read(storage, kept)).bytes.toString()).toBe(kept);
    await storage.remove([]);
    await storage.remove([a]);
  });

  it('rejects put when the body fails mid-way and leaves no object', async () => {
    const k = key();
    const failing = chunked(randomBytes(2 * 1024 * 1024), 1024 * 1024);
    await expect(storage.put(k, failing, text)).rejects.toThrow('client went away');
    await expect(storage.get(k)).rejects.toBeInstanceOf(ObjectNotFound);
  });

  it('rejects put when a multipart body fails after a part was sent, and leaves no object', async () => {
    const k = key();
    const failing = chunked(randomBytes(12 * 1024 * 1024), 11 * 1024 * 1024);
    await expect(storage.put(k, failing, text)).rejects.toThrow('client went away');
    await expect(storage.get(k)).rejects.toBeInstanceOf(ObjectNotFound);
  });

  it('rejects put of a body that failed before it was read, and destroys a refused body', async () => {
    const k = key();
    const broken = new PassThrough();
    broken.destroy(new Error('client went away'));
    await expect(storage.put(k, broken, text)).rejects.toThrow('client went away');
    await expect(storage.get(k)).rejects.toBeInstanceOf(ObjectNotFound);
    const refused = new PassThrough();
    await expect(storage.put('../x', refused, text)).rejects.toBeInstanceOf(InvalidKey);
    expect(refused.destroyed).toBe(true);
  });

  it('keeps the previous bytes when an overwrite fails', async () => {
    const k = key();
    await storage.put(k, Readable.from([Buffer.from('kept')]), text);
    await expect(storage.put(k, chunked(randomBytes(512 * 1024), 128 * 1024), text)).rejects.toThrow('client went away');
    expect((await read(storage, k)).bytes.toString()).toBe('kept');
  });

  it.each([
    '',
    '../escape',
    'ws/../../etc/passwd',
    'ws/1/..',
    '/etc/passwd',
    'ws\\1\\att',
    'ws//1',
    'ws/1/',
    './ws',
    'ws/.hidden',
    'ws/1/att/ä',
    'ws/1/att/a b',
    'ws/1/att/%2e%2e',
  ])('refuses the unsafe key %j everywhere', async (unsafe) => {
    const body = Readable.from([Buffer.from('x')]);
    await expect(storage.put(unsafe, body, text)).rejects.toBeInstanceOf(InvalidKey);
    await expect(storage.get(unsafe)).rejects.toBeInstanceOf(InvalidKey);
    await expect(storage.remove([unsafe])).rejects.toBeInstanceOf(InvalidKey);
  });

  it('ready() creates a missing bucket or folder, and may run again', async () => {
    const fresh = createStorage(backend.fresh);
    try {
      await fresh.ready();
      await fresh.ready();
      const k = key();
      await fresh.put(k, Readable.from([Buffer.from('hello')]), text);
      expect((await read(fresh, k)).bytes.toString()).toBe('hello');
    } finally {
      await fresh.close?.();
    }
  });
});

describe('disk storage', () => {
  it('leaves no temporary file behind after a failed put', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskbase-storage-'));
    try {
      const storage = createStorage({ driver: 'disk', dir });
      await storage.ready();
      await expect(storage.put('a/b', chunked(randomBytes(256 * 1024), 64 * 1024), text)).rejects.toThrow();
      await storage.put('a/c', Readable.from([Buffer.from('ok')]), text);
      await storage.remove(['a/c']);
      expect(await readdir(join(dir, 'a'))).toEqual([]); // the folder stays: remove prunes nothing else
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('storageConfigFromEnv', () => {
  it('uses <dataDir>/attachments on disk without S3_BUCKET', () => {
    expect(storageConfigFromEnv({}, '/data')).toEqual({ driver: 'disk', dir: join('/data', 'attachments') });
  });

  it('reads an S3 setup, with path style by default for a custom endpoint', () => {
    const env = { S3_BUCKET: 'files', S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' };
    expect(storageConfigFromEnv(env, '/data')).toEqual({
      driver: 's3',
      bucket: 'files',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
  });

  it('leaves keys to the SDK chain and uses virtual-host style on AWS', () => {
    expect(storageConfigFromEnv({ S3_BUCKET: 'files', S3_REGION: 'eu-west-1' }, '/data')).toEqual({
      driver: 's3',
      bucket: 'files',
      endpoint: undefined,
      region: 'eu-west-1',
      accessKeyId: undefined,
      secretAccessKey: undefined,
      forcePathStyle: false,
    });
    expect(storageConfigFromEnv({ S3_BUCKET: 'f', S3_ENDPOINT: 'https://s3.example', S3_FORCE_PATH_STYLE: 'false' }, '/d')).toMatchObject({
      forcePathStyle: false,
    });
  });

  it.each([
    [{ S3_ENDPOINT: 'http://minio:9000' }, /without S3_BUCKET/],
    [{ S3_BUCKET: 'files', S3_ACCESS_KEY_ID: 'id' }, /together/],
    [{ S3_BUCKET: 'files', S3_SECRET_ACCESS_KEY: 'secret' }, /together/],
    [{ S3_BUCKET: 'files', S3_FORCE_PATH_STYLE: 'maybe' }, /S3_FORCE_PATH_STYLE/],
    [{ S3_BUCKET: 'files', S3_ENDPOINT: 'minio:9000' }, /S3_ENDPOINT/],
  ])('refuses a half S3 setup %j', (env, message) => {
    expect(() => storageConfigFromEnv(env, '/data')).toThrow(message);
  });
});
