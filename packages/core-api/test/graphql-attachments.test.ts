import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { errorCode, gql, type GraphqlResponse } from './support/graphql.js';
import { databaseMode, startTestServer } from './support/server.js';
import { SseSubscription } from './support/sse.js';

const ATTACHMENT = 'id taskId commentId filename contentType size url thumbnailUrl can creator { id }';
const TASK_FILES = `query ($id: ID!) { task(id: $id) { attachments { nodes { ${ATTACHMENT} } pageInfo { hasNextPage endCursor } } } }`;
const TOGGLE = 'mutation ($task: ID!, $comment: ID!, $emoji: String!) { toggleReaction(taskId: $task, commentId: $comment, emoji: $emoji) { emoji count me } }';
const DELETE = 'mutation ($task: ID!, $id: ID!) { deleteAttachment(taskId: $task, id: $id) }';
const COMMENTS = `query ($id: ID!) { task(id: $id) { comments { nodes { id commentHtml reactions { emoji count me } attachments { ${ATTACHMENT} } } } } }`;

describe(`GraphQL attachments, reactions and Markdown HTML (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  let other: Team;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'taskbase-graphql-attachments-'));
    server = await startTestServer({ TASKBASE_DATA_DIR: dataDir, DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
    team = await createTeam(client, 'GraphQL files');
    other = await createTeam(client, 'GraphQL elsewhere');
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const ok = async (who: Member, query: string, variables?: Record<string, unknown>) => {
    const response = await gql(client, who.token, query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data;
  };
  const paths = (response: GraphqlResponse) => (response.errors?.[0]?.extensions.errors ?? []).map((e: { path: string }) => e.path);
  const createTask = async (input: Record<string, unknown>, who = team.admin) =>
    (await ok(who, 'mutation ($input: CreateTaskInput!) { createTask(input: $input) { id identifier description descriptionHtml } }', { input })).createTask;
  const createComment = async (taskId: string, comment: string, who: Member) =>
    (await ok(who, 'mutation ($task: ID!, $comment: String!) { createComment(taskId: $task, comment: $comment) { id comment commentHtml reactions { emoji } attachments { id } } }', { task: taskId, comment }))
      .createComment;

  /** A real multipart upload over fetch, as browsers and the SDK send it: uploads stay REST-only. */
  const upload = async (path: string, bytes: Uint8Array<ArrayBuffer>, filename: string, who: Member) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), filename);
    const response = await fetch(server.url + path, { method: 'POST', body: form, headers: { authorization: `Bearer ${who.token}` } });
    const body = (await response.json()) as { id: number };
    expect(response.status, JSON.stringify(body)).toBe(201);
    return body;
  };

  it('shows descriptionHtml and commentHtml, sanitized', async () => {
    const task = await createTask({ title: 'Docs', description: '**Bold** <script>alert(1)</script> [x](javascript:alert(1))' });
    expect(task.description).toContain('<script>');
    expect(task.descriptionHtml).toContain('<strong>Bold</strong>');
    expect(task.descriptionHtml).not.toMatch(/<script|javascript:/);

    const comment = await createComment(task.id, `_See_ ${task.identifier} <img src=x onerror=alert(1)>`, team.member);
    expect(comment.commentHtml).toContain('<em>See</em>');
    expect(comment.commentHtml).toContain(`<a class="tb-task-ref" data-task="${task.identifier}" href="#${task.identifier}">${task.identifier}</a>`);
    expect(comment.commentHtml).not.toMatch(/onerror|<script/);
    expect(comment).toMatchObject({ reactions: [], attachments: [] });

    const read = await ok(team.manager, `query ($id: ID!) { task(id: $id) { descriptionHtml comments { nodes { commentHtml } } } }`, { id: task.identifier });
    expect(read.task.descriptionHtml).toBe(task.descriptionHtml);
    expect(read.task.comments.nodes).toEqual([{ commentHtml: comment.commentHtml }]);
  });

  it('toggles reactions per person and reads them back with `me`; validates the emoji and hides other workspaces', async () => {
    const task = await createTask({ title: 'Vote' });
    const comment = await createComment(task.id, 'Ship it?', team.admin);
    const react = (who: Member, emoji: string) => ok(who, TOGGLE, { task: task.id, comment: comment.id, emoji }).then((data) => data.toggleReaction);

    expect(await react(team.member, '👍')).toEqual([{ emoji: '👍', count: 1, me: true }]);
    expect(await react(team.other, '👍')).toEqual([{ emoji: '👍', count: 2, me: true }]);
    expect(await react(team.admin, '🎉')).toEqual([
      { emoji: '👍', count: 2, me: false },
      { emoji: '🎉', count: 1, me: true },
    ]);
    expect(await react(team.other, '👍')).toEqual([
      { emoji: '👍', count: 1, me: false },
      { emoji: '🎉', count: 1, me: false },
    ]);

    const asMember = await ok(team.member, COMMENTS, { id: task.id });
    expect(asMember.task.comments.nodes[0].reactions).toEqual([
      { emoji: '👍', count: 1, me: true },
      { emoji: '🎉', count: 1, me: false },
    ]);
    const asManager = await ok(team.manager, COMMENTS, { id: task.id });
    expect(asManager.task.comments.nodes[0].reactions.map((r: { me: boolean }) => r.me)).toEqual([false, false]);

    for (const emoji of ['', 'ok', '👍👍', '<b>']) {
      const refused = await gql(client, team.member.token, TOGGLE, { task: task.id, comment: comment.id, emoji });
      expect(errorCode(refused), emoji).toBe('VALIDATION_FAILED');
      expect(paths(refused)).toEqual(['emoji']);
    }
    const badId = await gql(client, team.member.token, TOGGLE, { task: task.id, comment: 'x', emoji: '👍' });
    expect(errorCode(badId)).toBe('VALIDATION_FAILED');
    expect(paths(badId)).toEqual(['commentId']);

    const foreign = await gql(client, other.admin.token, TOGGLE, { task: task.id, comment: comment.id, emoji: '👍' });
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    const wrongTask = await createTask({ title: 'Elsewhere' });
    expect(errorCode(await gql(client, team.member.token, TOGGLE, { task: wrongTask.id, comment: comment.id, emoji: '👍' }))).toBe('NOT_FOUND');
    // Nothing changed by the refusals.
    expect((await ok(team.member, COMMENTS, { id: task.id })).task.comments.nodes[0].reactions).toEqual(asMember.task.comments.nodes[0].reactions);
  });

  it('lists a file uploaded over REST with a signed URL that downloads, and deletes it', async () => {
    const task = await createTask({ title: 'With files' });
    const bytes = new TextEncoder().encode('quarterly numbers\n'.repeat(100));
    const uploaded = await upload(`/api/tasks/${task.id}/attachments`, bytes, 'report.txt', team.member);

    const listed = (await ok(team.manager, TASK_FILES, { id: task.identifier })).task.attachments;
    expect(listed.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    expect(listed.nodes).toEqual([
      {
        id: String(uploaded.id),
        taskId: task.id,
        commentId: null,
        filename: 'report.txt',
        contentType: expect.any(String),
        size: bytes.length,
        url: expect.stringMatching(new RegExp(`^/api/files/${uploaded.id}\\?.*sig=`)),
        thumbnailUrl: null,
        can: ['DELETE'],
        creator: { id: String(team.member.id) },
      },
    ]);
    const download = await fetch(server.url + listed.nodes[0].url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');

    // Another member may see it but not delete it.
    const seenByOther = (await ok(team.other, TASK_FILES, { id: task.id })).task.attachments.nodes;
    expect(seenByOther.map((a: { can: string[] }) => a.can)).toEqual([[]]);
    expect(errorCode(await gql(client, team.other.token, DELETE, { task: task.id, id: uploaded.id }))).toBe('FORBIDDEN');

    // Another workspace sees neither the task nor the file.
    expect(errorCode(await gql(client, other.admin.token, TASK_FILES, { id: task.id }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(client, other.admin.token, DELETE, { task: task.id, id: uploaded.id }))).toBe('NOT_FOUND');
    const badId = await gql(client, team.member.token, DELETE, { task: task.id, id: 'abc' });
    expect(errorCode(badId)).toBe('VALIDATION_FAILED');
    expect(paths(badId)).toEqual(['id']);

    expect((await ok(team.member, DELETE, { task: task.id, id: uploaded.id })).deleteAttachment).toBe(String(uploaded.id));
    expect((await ok(team.member, TASK_FILES, { id: task.id })).task.attachments.nodes).toEqual([]);
    expect(errorCode(await gql(client, team.member.token, DELETE, { task: task.id, id: uploaded.id }))).toBe('NOT_FOUND');
  });

  it('pages a task’s attachments, and shows a comment’s files on the comment', async () => {
    const task = await createTask({ title: 'Many files' });
    const comment = await createComment(task.id, 'Logs attached', team.member);
    const first = await upload(`/api/tasks/${task.id}/attachments`, new TextEncoder().encode('one'), 'one.txt', team.admin);
    const second = await upload(`/api/tasks/${task.id}/comments/${comment.id}/attachments`, new TextEncoder().encode('two'), 'two.log', team.member);

    const page = 'query ($id: ID!, $after: String) { task(id: $id) { attachments(first: 1, after: $after) { nodes { id commentId } pageInfo { hasNextPage endCursor } } } }';
    const one = (await ok(team.member, page, { id: task.id })).task.attachments;
    expect(one.nodes).toEqual([{ id: String(first.id), commentId: null }]);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = (await ok(team.member, page, { id: task.id, after: one.pageInfo.endCursor })).task.attachments;
    expect(two).toEqual({ nodes: [{ id: String(second.id), commentId: comment.id }], pageInfo: { hasNextPage: false, endCursor: null } });
    const badCursor = await gql(client, team.member.token, page, { id: task.id, after: '!!' });
    expect(errorCode(badCursor)).toBe('VALIDATION_FAILED');
    expect(paths(badCursor)).toEqual(['after']);
    expect(errorCode(await gql(client, team.member.token, `{ task(id: ${task.id}) { attachments(first: 101) { nodes { id } } } }`))).toBe('VALIDATION_FAILED');

    const onComment = (await ok(team.manager, COMMENTS, { id: task.id })).task.comments.nodes[0];
    expect(onComment.attachments).toEqual([expect.objectContaining({ id: String(second.id), commentId: comment.id, filename: 'two.log', creator: { id: String(team.member.id) }, can: ['DELETE'] })]);
    const download = await fetch(server.url + onComment.attachments[0].url);
    expect(await download.text()).toBe('two');
  });

  it('reads reactions and attachments of many comments on many tasks without a query per comment', async () => {
    const fresh = await createTeam(client, 'GraphQL batching');
    const tasks = [];
    for (let i = 0; i < 6; i++) {
      const task = (await ok(fresh.admin, 'mutation { createTask(input: { title: "Batch" }) { id } }')).createTask;
      for (const who of [fresh.admin, fresh.member]) {
        const comment = await createComment(task.id, `by ${who.id}`, who);
        await ok(who, TOGGLE, { task: task.id, comment: comment.id, emoji: '👍' });
        await upload(`/api/tasks/${task.id}/comments/${comment.id}/attachments`, new TextEncoder().encode('x'), 'x.txt', who);
      }
      tasks.push(task);
    }
    const query = (first: number) =>
      `{ tasks(first: ${first}) { nodes { id comments { nodes { reactions { emoji count me } attachments { id url creator { id } } } } } } }`;
    const queriesOf = async (first: number) => {
      const sql: string[] = [];
      const listener = (q: { sql: string }) => {
        // Not the request's: the event-log poll, rate limits, background attachment jobs, the caller's (cached) status.
        if (/from "events" where \(txid, id\) > |pg_snapshot_xmin|rate_limits|storage_deletions|thumbnail_state|^select "role", "active", "name"/.test(q.sql)) return;
        sql.push(q.sql);
      };
      server.services.knex.on('query', listener);
      try {
        const response = await gql(client, fresh.manager.token, query(first));
        expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
        return { data: response.data, sql };
      } finally {
        server.services.knex.removeListener('query', listener);
      }
    };
    await queriesOf(2); // warms the caller's cache
    const small = await queriesOf(2);
    const large = await queriesOf(6);
    expect(large.data.tasks.nodes).toHaveLength(6);
    for (const node of large.data.tasks.nodes) {
      expect(node.comments.nodes).toHaveLength(2);
      for (const comment of node.comments.nodes) {
        expect(comment.reactions).toEqual([{ emoji: '👍', count: 1, me: false }]);
        expect(comment.attachments).toHaveLength(1);
      }
    }
    expect(large.sql.length, large.sql.join('\n')).toBe(small.sql.length);
    // tasks, comments, the comments' reactions, their attachments, users (uploaders)
    expect(large.sql.length, large.sql.join('\n')).toBeLessThanOrEqual(5);
  });

  it('tells taskChanged subscribers of attachments and reactions', async () => {
    const task = await createTask({ title: 'Live files' });
    const comment = await createComment(task.id, 'React here', team.admin);
    const live = await SseSubscription.open(server.url, team.member.token, `subscription ($id: ID) { taskChanged(filter: { taskId: $id }) { type taskId data } }`, { id: task.id });
    try {
      const file = await upload(`/api/tasks/${task.id}/attachments`, new TextEncoder().encode('live'), 'live.txt', team.admin);
      await ok(team.manager, TOGGLE, { task: task.id, comment: comment.id, emoji: '🚀' });
      await ok(team.manager, TOGGLE, { task: task.id, comment: comment.id, emoji: '🚀' });
      await ok(team.admin, DELETE, { task: task.id, id: file.id });
      const events = (await live.received(4)).map((e) => e.data.taskChanged);
      expect(events.map((e) => [e.type, e.taskId])).toEqual([
        ['attachment.added', task.id],
        ['comment.reaction_added', task.id],
        ['comment.reaction_removed', task.id],
        ['attachment.removed', task.id],
      ]);
      expect(events[0].data.attachment).toMatchObject({ id: file.id, filename: 'live.txt', createdBy: team.admin.id });
      expect(events[1].data).toMatchObject({ emoji: '🚀', count: 1, userId: team.manager.id, comment: { id: Number(comment.id) } });
    } finally {
      live.close();
    }
  });
});
