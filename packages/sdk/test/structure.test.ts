import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ConflictError, createClient, PermissionError, ValidationError, type CustomField, type Label, type SavedView, type TaskbaseClient, type TaskRelation, type WatcherList } from '../src/index.js';
import { adminClient, password, startTestServer, uniqueEmail } from './support/server.js';

/** Issue 17's resources (labels, custom fields, saved views, relations, watchers) against a real core-api. */
describe(`task structure resources (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let server: RunningServer;
  let admin: TaskbaseClient;
  let member: TaskbaseClient;
  let memberId: number;

  beforeAll(async () => {
    server = await startTestServer();
    admin = (await adminClient(server.url)).client;
    const email = uniqueEmail('member');
    memberId = (await admin.users.create({ name: 'Mel Member', email, role: 'member', password })).user.id;
    member = createClient({ url: server.url });
    await member.auth.signIn({ email, password });
  });
  afterAll(() => server.close());

  it('types come from the OpenAPI document', () => {
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['labels']['create']>>>().toEqualTypeOf<Label>();
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['fields']['update']>>>().toEqualTypeOf<CustomField>();
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['views']['list']>>['data'][number]>().toEqualTypeOf<SavedView>();
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['tasks']['relations']['add']>>>().toEqualTypeOf<TaskRelation>();
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['tasks']['watchers']['remove']>>>().toEqualTypeOf<WatcherList>();
  });

  it('labels: create, list (project, q), update, delete; tasks carry them', async () => {
    const bug = await admin.labels.create({ name: 'Bug', color: '#b42318' });
    const docs = await admin.labels.create({ name: 'Docs' });
    expect(bug).toMatchObject({ name: 'Bug', color: '#b42318', projectIds: null });
    expect((await member.labels.list()).data.map((l) => l.name)).toEqual(['Bug', 'Docs']);
    expect((await member.labels.list({ q: 'bu' })).data.map((l) => l.id)).toEqual([bug.id]);
    await expect(member.labels.create({ name: 'Nope' })).rejects.toBeInstanceOf(PermissionError);

    const task = await member.tasks.create({ title: 'Labelled', labelIds: [docs.id, bug.id] });
    expect(task.labels.map((l) => l.name)).toEqual(['Bug', 'Docs']);
    expect((await member.tasks.list({ label: ['Bug'] })).data.map((t) => t.id)).toContain(task.id);
    expect((await admin.labels.update(bug.id, { name: 'Defect' })).name).toBe('Defect');
    await admin.labels.delete(docs.id);
    expect((await member.tasks.get(task.id)).labels.map((l) => l.name)).toEqual(['Defect']);
  });

  it('fields: create, list, update, delete(key); values on tasks, 422 naming fields.<key>', async () => {
    const size = await admin.fields.create({ key: 'size', name: 'Size', type: 'select', options: [{ name: 'Small' }, { name: 'Large' }] });
    await admin.fields.create({ key: 'points', name: 'Points', type: 'number' });
    expect((await member.fields.list()).data.map((f) => f.key)).toEqual(['size', 'points']);
    const small = size.options[0]!.id;
    const task = await member.tasks.create({ title: 'Sized', fields: { size: 'Large', points: 3 } });
    expect(task.fields).toEqual({ size: size.options[1]!.id, points: 3 });
    expect((await member.tasks.update(task.id, { fields: { size: small, points: null } })).fields).toEqual({ size: small });
    const refused = await member.tasks.update(task.id, { fields: { points: 'many' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors.map((e) => e.path)).toContain('fields.points');
    expect((await admin.fields.update('size', { name: 'T-shirt size' })).name).toBe('T-shirt size');
    await admin.fields.delete('points');
    expect((await member.fields.list()).data.map((f) => f.key)).toEqual(['size']);
  });

  it('views: create, list, update, delete', async () => {
    const view = await member.views.create({ name: 'My bugs', query: 'assignee=me&sort=-dueDate', layout: 'list' });
    expect(view).toMatchObject({ name: 'My bugs', shared: false, can: expect.arrayContaining(['update', 'delete']) });
    expect((await member.views.list()).data.map((v) => v.id)).toContain(view.id);
    expect((await admin.views.list()).data.map((v) => v.id)).not.toContain(view.id);
    expect((await member.views.update(view.id, { shared: true })).shared).toBe(true);
    await member.views.delete(view.id);
    expect((await member.views.list()).data.map((v) => v.id)).not.toContain(view.id);
  });

  it('tasks.relations: add (id or identifier), list from both ends, 409 and 422, remove', async () => {
    const a = await member.tasks.create({ title: 'Migrate the database' });
    const b = await member.tasks.create({ title: 'Ship the release' });
    const link = await member.tasks.relations.add(a.id, { type: 'blocks', taskId: b.identifier });
    expect(link).toMatchObject({ type: 'blocks', task: { id: b.id, identifier: b.identifier, title: 'Ship the release' } });
    expect((await member.tasks.relations.list(b.id)).data).toMatchObject([{ id: link.id, type: 'blocked_by', task: { id: a.id } }]);
    expect((await member.tasks.get(b.id)).blockedBy).toBe(1);
    await expect(member.tasks.relations.add(a.id, { type: 'blocks', taskId: b.id })).rejects.toBeInstanceOf(ConflictError);
    await expect(member.tasks.relations.add(b.id, { type: 'blocks', taskId: a.id })).rejects.toBeInstanceOf(ValidationError);
    await member.tasks.relations.remove(a.id, link.id);
    expect((await member.tasks.relations.list(a.id)).data).toEqual([]);
  });

  it('tasks.watchers: list, add (yourself, or someone as an admin), remove (me or an id)', async () => {
    const task = await admin.tasks.create({ title: 'Watched' });
    expect((await member.tasks.watchers.list(task.id)).watching).toBe(false);
    const watched = await member.tasks.watchers.add(task.id);
    expect(watched.watching).toBe(true);
    expect(watched.data.map((w) => w.name)).toContain('Mel Member');
    expect((await member.tasks.watchers.remove(task.id, 'me')).watching).toBe(false);
    await admin.tasks.watchers.add(task.id, { userId: memberId });
    expect((await member.tasks.watchers.list(task.id)).watching).toBe(true);
    expect((await admin.tasks.watchers.remove(task.id, memberId)).data.map((w) => w.userId)).not.toContain(memberId);
  });

  it('tasks: 422s name labelIds, parentId and taskId as the contract says', async () => {
    const task = await member.tasks.create({ title: 'Refusals' });
    const paths = async (call: Promise<unknown>) => ((await call.catch((error: unknown) => error)) as ValidationError).fieldErrors?.map((e) => e.path);
    expect(await paths(member.tasks.update(task.id, { labelIds: [999_999] }))).toEqual(['labelIds']);
    expect(await paths(member.tasks.update(task.id, { parentId: task.id }))).toEqual(['parentId']);
    expect(await paths(member.tasks.relations.add(task.id, { type: 'relates_to', taskId: task.id }))).toEqual(['taskId']);
  });

  it('tasks: subtasks, and removing a parent needs cascade', async () => {
    const parent = await member.tasks.create({ title: 'Parent' });
    await member.tasks.create({ title: 'Child', parentId: parent.id });
    expect((await member.tasks.get(parent.id)).subtasks).toEqual({ total: 1, completed: 0 });
    expect((await member.tasks.list({ parent: String(parent.id) })).data.map((t) => t.title)).toEqual(['Child']);
    await expect(member.tasks.remove(parent.id)).rejects.toMatchObject({ status: 409, code: 'has_subtasks' });
    await member.tasks.remove(parent.id, { cascade: true });
    expect((await member.tasks.list({ parent: String(parent.id) }).catch(() => ({ data: [] }))).data).toEqual([]);
  });
});
