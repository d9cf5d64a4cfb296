import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { FileUrls } from '../src/services/attachments/fileUrls.js';
import { ObjectNotFound } from '../src/storage/storage.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { startS3Server, type S3TestServer } from './support/s3.js';
import { JWT_SECRET, databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';

const MiB = 1_048_576;
const LIMITS = { ATTACHMENT_MAX_BYTES: String(4 * MiB), ATTACHMENT_QUOTA_BYTES: String(8 * MiB), ATTACHMENT_JOBS_INTERVAL: '1' };

interface Storage {
  name: 'disk' | 's3';
  env(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

function disk(): Storage {
  let dir = '';
  return {
    name: 'disk',
    env: async () => ({ TASKBASE_DATA_DIR: (dir = await mkdtemp(join(tmpdir(), 'taskbase-attachments-'))) }),
    stop: () => rm(dir, { recursive: true, force: true }),
  };
}

function s3(): Storage {
  let server: S3TestServer | undefined;
  return {
    name: 's3',
    env: async () => {
      server = await startS3Server();
      const { endpoint, bucket, accessKeyId, secretAccessKey } = server.config;
      return { S3_ENDPOINT: endpoint!, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId!, S3_SECRET_ACCESS_KEY: secretAccessKey! };
    },
    stop: async () => server?.stop(),
  };
}

describe.each([disk(), s3()])(`attachments on $name storage (${databaseMode()} database)`, (storage) => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  let other: Team;

  beforeAll(async () => {
    server = await startTestServer({ ...LIMITS, ...(await storage.env()) });
    client = new TestClient(server.url);
    team = await createTeam(client, 'Files');
    other = await createTeam(client, 'Elsewhere');
  });
  afterAll(async () => {
    await server.close();
    await storage.stop();
  });

  const as = (who: Member) => ({ token: who.token });
  const ok = async <T = any>(pending: Promise<{ status: number; body: T }>, status = 200): Promise<T> => {
    const response = await pending;
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    return response.body;
  };
  const newTask = (title = 'With files', who = team.admin) => ok(client.post('/api/tasks', { title }, as(who)), 201);

  /** A real multipart upload over fetch, as browsers and the SDK send it. */
  const upload = async (path: string, bytes: Uint8Array, filename: string, who: Member, type = 'application/octet-stream') => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(bytes)], { type }), filename);
    const response = await fetch(server.url + path, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}` } });
    return { status: response.status, body: (await response.json()) as any };
  };
  const download = async (url: string) => {
    const response = await fetch(server.url + url);
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const storedKey = async (id: number) => (await server.services.knex('attachments').where({ id }).first('storage_key as key', 'thumbnail_key as thumb')) as { key: string; thumb: string | null };
  const gone = async (key: string) => server.services.storage.get(key).then(
    (object) => (object.body.destroy(), false),
    (error: unknown) => error instanceof ObjectNotFound,
  );

  it('round-trips a file byte for byte, lists it and serves it as a download with a signed URL', async () => {
    const task = await newTask();
    const bytes = randomBytes(3 * MiB);
    const created = await upload(`/api/tasks/${task.id}/attachments`, bytes, '../../etc/report.bin', team.member);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ taskId: task.id, commentId: null, filename: 'report.bin', contentType: 'application/octet-stream', size: bytes.length, createdBy: team.member.id, thumbnailUrl: null, can: ['delete'] });

    const listed = await ok(client.get(`/api/tasks/${task.id}/attachments`, as(team.admin)));
    expect(listed.data.map((a: { id: number }) => a.id)).toEqual([created.body.id]);
    expect(listed.data[0].can).toEqual(['delete']);
    expect((await ok(client.get(`/api/tasks/${task.id}/attachments`, as(team.other)))).data[0].can).toEqual([]);

    const { response, bytes: served } = await download(created.body.url);
    expect(response.status).toBe(200);
    expect(served.equals(bytes)).toBe(true);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="report.bin"');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('serves HTML bytes named .png as a download, never as a page of this origin', async () => {
    const task = await newTask();
    const page = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const created = await upload(`/api/tasks/${task.id}/attachments`, page, 'cat.png', team.admin, 'image/png');
    expect(created.body.contentType).toBe('application/octet-stream');
    const { response } = await download(created.body.url);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('shows raster images inline and makes a thumbnail off the request path', async () => {
    const task = await newTask();
    const png = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#2563eb' } }).png().toBuffer();
    const created = await upload(`/api/tasks/${task.id}/attachments`, png, 'diagram.png', team.admin);
    expect(created.body.contentType).toBe('image/png');
    const { response } = await download(created.body.url);
    expect(response.headers.get('content-disposition')).toBe('inline; filename="diagram.png"');
    const withThumbnail = await eventually(async () => {
      const attachment = await ok(client.get(`/api/tasks/${task.id}/attachments/${created.body.id}`, as(team.admin)));
      return attachment.thumbnailUrl && attachment;
    });
    const thumbnail = await download(withThumbnail.thumbnailUrl);
    expect(thumbnail.response.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ format: 'webp', width: 320, height: 213 });
  });

  it('refuses a file past the limit, and uploads past the workspace quota, with 413 naming the file', async () => {
    const fresh = await createTeam(client, 'Quota');
    const task = await newTask('Quota', fresh.admin);
    const path = `/api/tasks/${task.id}/attachments`;
    const tooLarge = await upload(path, randomBytes(4 * MiB + 1), 'big.bin', fresh.admin);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'file_too_large', errors: [{ path: 'file' }] });

    // Streamed without a Content-Length: the limit stops it while it arrives.
    const streamed = await fetch(server.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${fresh.admin.token}`, 'content-type': 'multipart/form-data; boundary=x' },
      body: new ReadableStream({
        pull(controller) {
          controller.enqueue(Buffer.from('--x\r\ncontent-disposition: form-data; name="file"; filename="s.bin"\r\n\r\n'));
          for (let i = 0; i < 5; i++) controller.enqueue(randomBytes(MiB));
          controller.enqueue(Buffer.from('\r\n--x--\r\n'));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);

    expect((await upload(path, randomBytes(3 * MiB), 'a.bin', fresh.admin)).status).toBe(201);
    expect((await upload(path, randomBytes(3 * MiB), 'b.bin', fresh.admin)).status).toBe(201);
    const overQuota = await upload(path, randomBytes(3 * MiB), 'c.bin', fresh.admin);
    expect(overQuota.status).toBe(413);
    expect(overQuota.body.code).toBe('quota_exceeded');
    expect((await ok(client.get(path, as(fresh.admin)))).data).toHaveLength(2);
    // Refused uploads left no object behind.
    const keys = (await server.services.knex('attachments').where({ task_id: task.id }).select('storage_key')).length;
    expect(keys).toBe(2);
  });

  it('answers 415 for a JSON body and 422 naming `file` when the part is missing', async () => {
    const task = await newTask();
    const json = await client.post(`/api/tasks/${task.id}/attachments`, { file: 'x' }, as(team.admin));
    expect(json.status).toBe(415);
    const form = new FormData();
    form.append('note', 'no file here');
    const response = await fetch(`${server.url}/api/tasks/${task.id}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${team.admin.token}` } });
    expect(response.status).toBe(422);
    expect(((await response.json()) as any).errors[0].path).toBe('file');
  });

  it('hides attachments and their links from another workspace, and refuses tampered or expired URLs', async () => {
    const task = await newTask();
    const created = (await upload(`/api/tasks/${task.id}/attachments`, Buffer.from('secret plans'), 'plans.txt', team.admin)).body;
    expect((await client.get(`/api/tasks/${task.id}/attachments`, as(other.admin))).status).toBe(404);
    expect((await client.get(`/api/tasks/${task.id}/attachments/${created.id}`, as(other.admin))).status).toBe(404);
    expect((await client.get(`/api/attachments/${created.id}/content`, as(other.admin))).status).toBe(404);
    expect((await client.delete(`/api/tasks/${task.id}/attachments/${created.id}`, as(other.admin))).status).toBe(404);

    const tampered = created.url.replace(/sig=([^&]+)/, (_: string, sig: string) => `sig=${sig.slice(0, -2)}AA`);
    expect((await download(tampered)).response.status).toBe(403);
    const otherFile = created.url.replace(`/api/files/${created.id}?`, `/api/files/${created.id + 1}?`);
    expect((await download(otherFile)).response.status).toBe(403);
    const yesterday = new FileUrls(JWT_SECRET, 900, '', () => Date.now() - 86_400_000).url(created.id);
    const expired = await download(yesterday);
    expect(expired.response.status).toBe(403);
    expect(JSON.parse(expired.bytes.toString()).code).toBe('url_expired');

    // The stable path redirects a member who may see it to a fresh signed URL.
    const redirect = await fetch(`${server.url}/api/attachments/${created.id}/content`, { headers: { authorization: `Bearer ${team.member.token}` }, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect((await download(redirect.headers.get('location')!)).bytes.toString()).toBe('secret plans');
  });

  it('lets the uploader, managers and admins remove an attachment, and removes its object', async () => {
    const task = await newTask();
    const created = (await upload(`/api/tasks/${task.id}/attachments`, Buffer.from('draft'), 'draft.txt', team.member)).body;
    const { key } = await storedKey(created.id);
    expect((await client.delete(`/api/tasks/${task.id}/attachments/${created.id}`, as(team.other))).status).toBe(403);
    expect((await client.delete(`/api/tasks/${task.id}/attachments/${created.id}`, as(team.member))).status).toBe(204);
    await eventually(() => gone(key));
    expect((await download(created.url)).response.status).toBe(404);
  });

  it('removes the stored objects of a deleted task, its comments’ files and thumbnails included', async () => {
    const task = await newTask();
    const comment = await ok(client.post(`/api/tasks/${task.id}/comments`, { comment: 'see file' }, as(team.member)), 201);
    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#16a34a' } }).png().toBuffer();
    const onTask = (await upload(`/api/tasks/${task.id}/attachments`, png, 'a.png', team.admin)).body;
    const onComment = await upload(`/api/tasks/${task.id}/comments/${comment.id}/attachments`, Buffer.from('log'), 'log.txt', team.member);
    expect(onComment.status).toBe(201);
    expect(onComment.body.commentId).toBe(comment.id);
    // Only the comment's author attaches files to it.
    expect((await upload(`/api/tasks/${task.id}/comments/${comment.id}/attachments`, Buffer.from('x'), 'x.txt', team.admin)).status).toBe(403);
    const comments = await ok(client.get(`/api/tasks/${task.id}/comments`, as(team.admin)));
    expect(comments.data[0].attachments.map((a: { id: number }) => a.id)).toEqual([onComment.body.id]);

    const thumbnailed = await eventually(async () => {
      const stored = await storedKey(onTask.id);
      return stored.thumb !== null && stored;
    });
    const keys = [thumbnailed.key, thumbnailed.thumb!, (await storedKey(onComment.body.id)).key];
    expect((await client.delete(`/api/tasks/${task.id}`, as(team.admin))).status).toBe(204);
    await eventually(async () => (await Promise.all(keys.map(gone))).every(Boolean));
    // …and the queue forgets them once done.
    await eventually(async () => Number((await server.services.knex('storage_deletions').whereIn('storage_key', keys).count({ n: '*' }))[0]!.n) === 0);
  });
});
