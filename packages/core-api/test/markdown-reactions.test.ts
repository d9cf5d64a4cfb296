import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';

describe(`Markdown and reactions (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  let other: Team;

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Words');
    other = await createTeam(client, 'Others');
  });
  afterAll(async () => {
    await server.close();
  });

  const as = (who: Member) => ({ token: who.token });
  const ok = async <T = any>(pending: Promise<{ status: number; body: T }>, status = 200): Promise<T> => {
    const response = await pending;
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    return response.body;
  };

  it('renders a task’s description to sanitized HTML on create and on every change', async () => {
    const task = await ok(client.post('/api/tasks', { title: 'Docs', description: '**Bold** <script>alert(1)</script>' }, as(team.admin)), 201);
    expect(task.descriptionHtml).toBe('<p><strong>Bold</strong> </p>\n');
    const me = await ok(client.get('/api/auth/me', as(team.member)));
    const changed = await ok(client.patch(`/api/tasks/${task.id}`, { description: `Ask @${me.user?.name ?? me.name} about ${task.identifier}` }, as(team.admin)));
    expect(changed.descriptionHtml).toContain(`data-user-id="${team.member.id}"`);
    expect(changed.descriptionHtml).toContain(`<a class="tb-task-ref" data-task="${task.identifier}" href="#${task.identifier}">${task.identifier}</a>`);
    expect((await ok(client.get(`/api/tasks/${task.id}`, as(team.member)))).descriptionHtml).toBe(changed.descriptionHtml);
    const cleared = await ok(client.patch(`/api/tasks/${task.id}`, { description: '' }, as(team.admin)));
    expect(cleared.descriptionHtml).toBe('');
  });

  it('renders comments, and ties the images a comment shows to it', async () => {
    const task = await ok(client.post('/api/tasks', { title: 'Screens' }, as(team.admin)), 201);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('fake image bytes')]), 'shot.png');
    const upload = await fetch(`${server.url}/api/tasks/${task.id}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${team.member.token}` } });
    const image = (await upload.json()) as { id: number };
    const comment = await ok(client.post(`/api/tasks/${task.id}/comments`, { comment: `Look:\n\n![shot](/api/attachments/${image.id}/content) <img src=x onerror=alert(1)>` }, as(team.member)), 201);
    expect(comment.commentHtml).toContain(`<img alt="shot" src="/api/attachments/${image.id}/content" data-attachment-id="${image.id}" />`);
    expect(comment.commentHtml).not.toContain('onerror');
    expect(comment.attachments.map((a: { id: number }) => a.id)).toEqual([image.id]);
    expect(comment.reactions).toEqual([]);
    const edited = await ok(client.patch(`/api/tasks/${task.id}/comments/${comment.id}`, { comment: '_fixed_' }, as(team.member)));
    expect(edited.commentHtml).toBe('<p><em>fixed</em></p>\n');
  });

  it('toggles reactions per person, answers counts with `me`, and tells everyone live', async () => {
    const task = await ok(client.post('/api/tasks', { title: 'Vote' }, as(team.admin)), 201);
    const comment = await ok(client.post(`/api/tasks/${task.id}/comments`, { comment: 'Ship it?' }, as(team.admin)), 201);
    const react = (who: Member, emoji: string) => client.post(`/api/tasks/${task.id}/comments/${comment.id}/reactions`, { emoji }, as(who));

    expect((await ok(react(team.member, '👍'))).reactions).toEqual([{ emoji: '👍', count: 1, me: true }]);
    expect((await ok(react(team.admin, '👍'))).reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);
    expect((await ok(react(team.admin, '🎉'))).reactions).toEqual([
      { emoji: '👍', count: 2, me: true },
      { emoji: '🎉', count: 1, me: true },
    ]);
    expect((await ok(react(team.admin, '👍'))).reactions).toEqual([
      { emoji: '👍', count: 1, me: false },
      { emoji: '🎉', count: 1, me: true },
    ]);
    const listed = await ok(client.get(`/api/tasks/${task.id}/comments`, as(team.member)));
    expect(listed.data[0].reactions).toEqual([
      { emoji: '👍', count: 1, me: true },
      { emoji: '🎉', count: 1, me: false },
    ]);
    expect((await ok(react(team.member, '👩🏽‍💻'))).reactions).toHaveLength(3);

    for (const emoji of ['', 'ok', '👍👍', '<b>', 'a'.repeat(40)]) {
      const refused = await react(team.member, emoji);
      expect(refused.status, emoji).toBe(400);
      expect(refused.body.errors[0].path).toBe('emoji');
    }
    expect((await react(other.admin, '👍')).status).toBe(404);

    const feed = await eventually(async () => {
      const events = (await ok(client.get('/api/events?after=0&limit=1000', as(team.admin)))).data as Array<{ event: string; data: any }>;
      const mine = events.filter((e) => e.event.startsWith('comment.reaction_') && e.data.comment.id === comment.id);
      return mine.length === 5 && mine;
    });
    expect(feed.map((e) => [e.event, e.data.emoji, e.data.count])).toEqual([
      ['comment.reaction_added', '👍', 1],
      ['comment.reaction_added', '👍', 2],
      ['comment.reaction_added', '🎉', 1],
      ['comment.reaction_removed', '👍', 1],
      ['comment.reaction_added', '👩🏽‍💻', 1],
    ]);
  });
});
