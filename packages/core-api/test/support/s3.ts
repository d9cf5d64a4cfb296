import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageConfig } from '../../src/storage/storage.js';

// s3rver ships no types: the little of it used here, described by hand.
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface S3TestServer {
  endpoint: string;
  config: Extract<StorageConfig, { driver: 's3' }>;
  stop(): Promise<void>;
}

/**
 * An in-process S3 (s3rver) on 127.0.0.1 and a free port, keeping its objects in a fresh
 * temporary folder, with one empty bucket already made. `stop()` closes it and deletes the folder.
 */
export async function startS3Server(bucket = 'attachments'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'taskbase-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    config: {
      driver: 's3',
      endpoint,
      bucket,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    },
    async stop() {
      const closing = server.close();
      // close() waits for keep-alive sockets that a client forgot to release.
      server.httpServer?.closeAllConnections();
      await closing;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
