import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, type Task, type TaskbaseClient } from '../src/index.js';
import { adminClient, startTestServer } from './support/server.js';

/** A 1×1 PNG (the server detects the type from the bytes). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Issue 18's resources (attachments, reactions) against a real core-api, from Node (fetch + FormData). */
describe(`attachments and reactions (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let server: RunningServer;
  let client: TaskbaseClient;
  let task: Task;

  beforeAll(async () => {
    server = await startTestServer();
    client = (await adminClient(server.url)).client;
    task = await client.tasks.create({ title: 'Has files' });
  });
  afterAll(() => server.close());

  it('uploads a Blob, bytes (a Buffer) and a stream; lists, gets and removes them', async () => {
    const progress: Array<[number, number]> = [];
    const fromBlob = await client.attachments.upload(task.id, new Blob(['hello']), { filename: 'hello.txt', onProgress: (loaded, total) => progress.push([loaded, total]) });
    expect(fromBlob).toMatchObject({ taskId: task.id, commentId: null, filename: 'hello.txt', size: 5, can: ['delete'] });
    expect(progress).toEqual([[5, 5]]); // no XMLHttpRequest in Node: once, at the end
    const fromBytes = await client.attachments.upload(task.id, PNG, { filename: 'dot.png' });
    expect(fromBytes.contentType).toBe('image/png');
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode('streamed')), c.close()) });
    const fromStream = await client.attachments.upload(task.id, stream, { filename: 'stream.txt' });
    expect(fromStream.size).toBe(8);

    const listed = await client.attachments.list(task.id);
    expect(listed.data.map((a) => a.filename)).toEqual(['hello.txt', 'dot.png', 'stream.txt']);
    const got = await client.attachments.get(task.id, fromBytes.id);
    const bytes = await fetch(new URL(got.url, server.url)).then((r) => r.arrayBuffer());
    expect(Buffer.from(bytes).equals(PNG)).toBe(true);

    await client.attachments.remove(task.id, fromBlob.id);
    await expect(client.attachments.get(task.id, fromBlob.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("attaches to a comment, and toggles the caller's reaction", async () => {
    const comment = await client.comments.create(task.id, { comment: 'See **this**' });
    expect(comment.commentHtml).toContain('<strong>this</strong>');
    const file = await client.attachments.upload(task.id, new File(['x'], 'on-comment.txt'), { commentId: comment.id });
    expect(file).toMatchObject({ commentId: comment.id, filename: 'on-comment.txt' });
    expect((await client.comments.list(task.id)).data[0]!.attachments.map((a) => a.id)).toEqual([file.id]);

    expect(await client.comments.react(task.id, comment.id, '👍')).toEqual({ reactions: [{ emoji: '👍', count: 1, me: true }] });
    expect(await client.comments.react(task.id, comment.id, '👍')).toEqual({ reactions: [] });
  });
});
