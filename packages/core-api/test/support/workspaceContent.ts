import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { TestClient } from './client.js';

/** Everything of a workspace an admin reads through the API: the raw material of an export and of a content hash. */
export interface WorkspaceContent {
  workspace: { id: number; name: string };
  users: any[];
  projects: any[];
  labels: any[];
  fields: any[];
  tasks: any[];
  comments: any[];
  relations: Array<{ taskId: number; type: string; relatedTaskId: number }>;
  attachments: Array<any & { bytes: Buffer }>;
}

async function all(client: TestClient, token: string, path: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { status: number; body: any } = await client.get(`${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    if (page.status !== 200) throw new Error(`${path}: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...(page.body.data as any[]));
    cursor = page.body.nextCursor ?? null;
  } while (cursor);
  return items;
}

/** Reads a workspace whole (an admin's token), as the API shows it. */
export async function readWorkspace(client: TestClient, token: string): Promise<WorkspaceContent> {
  const workspace = (await client.get('/api/workspace', { token })).body;
  const users = await all(client, token, '/api/users');
  const projects = [...(await all(client, token, '/api/projects')), ...(await all(client, token, '/api/projects?archived=true'))];
  for (const project of projects) project.memberIds = (await client.get(`/api/projects/${project.id}/members`, { token })).body.data?.map((m: any) => m.userId ?? m.id) ?? [];
  const labels = (await client.get('/api/labels', { token })).body.data;
  const fields = (await client.get('/api/fields', { token })).body.data;
  const tasks: any[] = [];
  for (const project of projects) tasks.push(...(await all(client, token, `/api/tasks?project=${project.id}`)));
  const comments: any[] = [];
  const relations: WorkspaceContent['relations'] = [];
  const attachments: WorkspaceContent['attachments'] = [];
  const pairs = new Set<string>();
  for (const task of tasks) {
    task.watcherIds = (await client.get(`/api/tasks/${task.id}/watchers`, { token })).body.data.map((w: any) => w.userId);
    for (const comment of await all(client, token, `/api/tasks/${task.id}/comments`)) comments.push({ id: comment.id, taskId: task.id, authorId: comment.userId, body: comment.comment, createdAt: comment.createdAt, updatedAt: comment.updatedAt });
    for (const relation of (await client.get(`/api/tasks/${task.id}/relations`, { token })).body.data as any[]) {
      if (!['blocks', 'relates_to', 'duplicates'].includes(relation.type)) continue;
      const key = relation.type === 'relates_to' ? [relation.type, ...[task.id, relation.task.id].sort()].join(':') : `${relation.type}:${task.id}:${relation.task.id}`;
      if (pairs.has(key)) continue;
      pairs.add(key);
      relations.push({ taskId: task.id, type: relation.type, relatedTaskId: relation.task.id });
    }
    for (const attachment of await all(client, token, `/api/tasks/${task.id}/attachments`)) {
      const response = await fetch(new URL(attachment.url, client.baseUrl));
      attachments.push({ ...attachment, taskId: task.id, bytes: Buffer.from(await response.arrayBuffer()) });
    }
  }
  return { workspace: { id: workspace.id, name: workspace.name }, users, projects, labels, fields, tasks, comments, relations, attachments };
}

/**
 * A content hash that ignores ids, numbers and times of writing: tasks by
 * project key and title, people by email, values by name. Two workspaces
 * with the same tasks, comments, labels, field values, relations and files
 * hash the same.
 */
export function contentOf(content: WorkspaceContent) {
  const email = new Map(content.users.map((u) => [u.id, u.email]));
  const projectKey = new Map(content.projects.map((p) => [p.id, p.key]));
  const taskName = new Map(content.tasks.map((t) => [t.id, `${projectKey.get(t.projectId)}/${t.title}`]));
  const fieldByKey = new Map(content.fields.map((f) => [f.key, f]));
  const value = (key: string, v: unknown) => {
    const field = fieldByKey.get(key);
    const option = (id: unknown) => field?.options.find((o: any) => o.id === id)?.name ?? id;
    if (field?.type === 'select') return option(v);
    if (field?.type === 'multi_select') return (v as unknown[]).map(option).sort();
    if (field?.type === 'user') return email.get(v);
    return v;
  };
  const sorted = <T>(items: T[]) => items.map((i) => JSON.stringify(i)).sort();
  const canonical = {
    projects: sorted(content.projects.filter((p) => !p.isDefault).map((p) => ({ key: p.key, name: p.name, description: p.description, archived: Boolean(p.archivedAt), statuses: p.statuses.map((s: any) => [s.key, s.name, s.category]) }))),
    labels: sorted(content.labels.map((l) => ({ name: l.name, color: l.color }))),
    fields: sorted(content.fields.map((f) => ({ key: f.key, name: f.name, type: f.type, options: f.options.map((o: any) => o.name) }))),
    tasks: sorted(
      content.tasks.map((t) => ({
        task: taskName.get(t.id),
        description: t.description,
        status: t.status,
        priority: t.priority,
        assignee: t.assignedTo === null ? null : email.get(t.assignedTo),
        creator: email.get(t.createdBy),
        dueDate: t.dueDate,
        labels: t.labels.map((l: any) => l.name).sort(),
        fields: Object.fromEntries(Object.entries(t.fields).map(([k, v]) => [k, value(k, v)]).sort()),
        parent: t.parentId === null ? null : taskName.get(t.parentId),
        watchers: t.watcherIds.map((id: number) => email.get(id)).sort(),
        createdAt: t.createdAt,
        completedAt: t.completedAt,
      })),
    ),
    comments: sorted(content.comments.map((c) => ({ task: taskName.get(c.taskId), author: email.get(c.authorId), body: c.body, createdAt: c.createdAt }))),
    relations: sorted(content.relations.map((r) => (r.type === 'relates_to' ? { type: r.type, ends: [taskName.get(r.taskId), taskName.get(r.relatedTaskId)].sort() } : { type: r.type, from: taskName.get(r.taskId), to: taskName.get(r.relatedTaskId) }))),
    attachments: sorted(content.attachments.map((a) => ({ task: taskName.get(a.taskId), filename: a.filename, size: a.size, sha256: createHash('sha256').update(a.bytes).digest('hex') }))),
  };
  const counts = Object.fromEntries(Object.entries(canonical).map(([k, v]) => [k, v.length]));
  return { canonical, counts, hash: createHash('sha256').update(JSON.stringify(canonical)).digest('hex') };
}

/** An archive in the export format of docs/import-export.md ("Archive format"), built from what the API reads. */
export async function archiveOf(content: WorkspaceContent): Promise<Buffer> {
  const zip = new ZipArchive();
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => {
    out.on('end', resolve);
    zip.on('error', reject);
  });
  zip.pipe(out);
  const ndjson = (items: unknown[]) => items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : '');
  const counts = { users: content.users.length, projects: content.projects.length, labels: content.labels.length, fields: content.fields.length, tasks: content.tasks.length, comments: content.comments.length, relations: content.relations.length, attachments: content.attachments.length };
  zip.append(JSON.stringify({ format: 'taskbase-export', version: 1, exportedAt: new Date().toISOString(), workspace: content.workspace, counts, scope: { projectId: null, filters: null } }), { name: 'index.json' });
  zip.append(ndjson(content.users.map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role, active: u.active, externalId: u.externalId, timezone: u.timezone }))), { name: 'users.ndjson' });
  zip.append(ndjson(content.projects.map((p) => ({ id: p.id, key: p.key, name: p.name, description: p.description, private: p.visibility === 'private', archived: Boolean(p.archivedAt), statuses: p.statuses, memberIds: p.memberIds }))), { name: 'projects.ndjson' });
  zip.append(ndjson(content.labels), { name: 'labels.ndjson' });
  zip.append(ndjson(content.fields), { name: 'fields.ndjson' });
  zip.append(ndjson(content.tasks.map(({ can: _can, descriptionHtml: _html, ...task }) => task)), { name: 'tasks.ndjson' });
  zip.append(ndjson(content.comments), { name: 'comments.ndjson' });
  zip.append(ndjson(content.relations), { name: 'relations.ndjson' });
  zip.append(ndjson(content.attachments.map((a) => ({ id: a.id, taskId: a.taskId, commentId: a.commentId ?? null, filename: a.filename, contentType: a.contentType, size: a.size, path: `files/${a.id}` }))), { name: 'attachments.ndjson' });
  for (const attachment of content.attachments) zip.append(attachment.bytes, { name: `files/${attachment.id}` });
  await zip.finalize();
  await done;
  return Buffer.concat(chunks);
}
