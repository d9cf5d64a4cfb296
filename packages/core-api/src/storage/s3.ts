import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { assertSafeKey } from './keys.js';
import { ObjectNotFound, type ObjectStorage, type StorageConfig, type StoredObject } from './storage.js';

export type S3StorageConfig = Extract<StorageConfig, { driver: 's3' }>;

const DELETE_BATCH = 1000; // DeleteObjects' maximum per request
const PART_SIZE = 5 * 1024 * 1024; // S3's minimum part size
const PARTS_IN_FLIGHT = 2; // so one upload holds at most ~10 MB in memory
/**
 * Uploads sent to S3 at once per process: lib-storage copies each part into
 * memory, so memory grows with every concurrent upload (bench:uploads measured
 * +190 MB for 20 × 10 MB). Past this many, an upload waits for a slot and its
 * client's bytes wait in TCP: memory stays at about 4 × 10 MB.
 */
const UPLOADS_AT_ONCE = 4;

/** Objects in an S3-compatible bucket (AWS, MinIO, R2, s3rver…). */
export class S3Storage implements ObjectStorage {
  readonly driver = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly region: string;

  constructor(config: S3StorageConfig) {
    this.bucket = config.bucket;
    this.region = config.region;
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      // Without keys, the SDK's default chain applies (env, profile, instance role…).
      credentials:
        config.accessKeyId !== undefined && config.secretAccessKey !== undefined
          ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
          : undefined,
      // Since 3.729 the SDK checksums every upload by default, sending a stream body as
      // `aws-chunked` with a trailing x-amz-checksum-crc32. Servers that don't decode that
      // framing (s3rver, older MinIO/Ceph, some gateways) store the chunk headers inside the
      // object: s3rver answered 200 and kept 12044 bytes for a 12000-byte body. Checksums
      // only where the API demands them (DeleteObjects) keep requests plain and portable.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async ready(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (status(error) !== 404) throw error;
    }
    try {
      await this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          // us-east-1 is the default and refuses an explicit LocationConstraint.
          ...(this.region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: this.region as BucketLocationConstraint } }),
        }),
      );
    } catch (error) {
      // Another instance created it between our HEAD and PUT.
      if (errorName(error) !== 'BucketAlreadyOwnedByYou') throw error;
    }
  }

  private running = 0;
  private readonly waiting: Array<() => void> = [];

  async put(key: string, body: Readable, meta: { contentType: string }): Promise<void> {
    if (this.running < UPLOADS_AT_ONCE) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // a finishing upload hands its slot over
    try {
      await this.upload(key, body, meta);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  private async upload(key: string, body: Readable, meta: { contentType: string }): Promise<void> {
    // The body's own error is the cause worth reporting: Upload rethrows instead whatever
    // its AbortMultipartUpload cleanup failed with (s3rver, for one, has no such route).
    // Listening also keeps an early 'error' from going unheard, which would crash the process.
    let bodyError: unknown;
    const onBodyError = (error: unknown): void => {
      bodyError ??= error;
    };
    body.on('error', onBodyError);
    try {
      assertSafeKey(key);
      // Upload reads the stream part by part (a single PutObject when it fits in one part),
      // and aborts the multipart upload if the body or a part fails, so no object appears.
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: key, Body: body, ContentType: meta.contentType },
        partSize: PART_SIZE,
        queueSize: PARTS_IN_FLIGHT,
        leavePartsOnError: false,
      });
      await upload.done();
    } catch (error) {
      body.destroy(); // put owns the body: whoever feeds it learns it is no longer read
      throw bodyError ?? error;
    } finally {
      body.off('error', onBodyError);
    }
  }

  async get(key: string): Promise<StoredObject> {
    assertSafeKey(key);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!(answer.Body instanceof Readable)) throw new Error('S3 GetObject returned no Node stream');
      return { body: answer.Body, size: answer.ContentLength ?? 0 };
    } catch (error) {
      // A missing bucket is a misconfiguration, not a missing object.
      if (errorName(error) === 'NoSuchBucket') throw error;
      if (errorName(error) === 'NoSuchKey' || status(error) === 404) throw new ObjectNotFound(key);
      throw error;
    }
  }

  async remove(keys: string[]): Promise<void> {
    keys.forEach(assertSafeKey);
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const answer = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      // DeleteObjects answers 200 even when some keys failed; those are listed here.
      const failed = answer.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0]!;
        throw new Error(`S3 could not delete ${failed.length} object(s), e.g. ${first.Key}: ${first.Code} ${first.Message}`);
      }
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
