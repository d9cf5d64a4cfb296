import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`tenancy (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const expectNotFound = (response: { status: number; body: any; headers: Headers }, label: string) => {
    expect(response.status, label).toBe(404);
    expect(isProblem(response as never), label).toBe(true);
  };

  it("workspace A can neither read nor change workspace B's users", async () => {
    const a = await createTeam(client, 'Tenant A');
    const b = await createTeam(client, 'Tenant B');
    for (const target of [b.admin, b.member]) {
      for (const who of [a.admin, a.manager, a.member]) {
        expectNotFound(await client.get(`/api/users/${target.id}`, { token: who.token }), `${who.role} reads B's ${target.role}`);
      }
      for (const change of [{ name: 'Taken over' }, { role: 'admin' }, { active: false }]) {
        expectNotFound(await client.patch(`/api/users/${target.id}`, change, { token: a.admin.token }), `patch ${JSON.stringify(change)}`);
      }
    }
    // B is untouched and still works.
    const bAdmin = await client.get(`/api/users/${b.admin.id}`, { token: b.admin.token });
    expect(bAdmin.body).toMatchObject({ name: 'Tenant B Admin', role: 'admin', active: true });
    const bMember = await client.get(`/api/users/${b.member.id}`, { token: b.member.token });
    expect(bMember.body).toMatchObject({ role: 'member', active: true });
    expect(bMember.body.name).not.toBe('Taken over');
  });

  it("workspace A's lists never include workspace B's users or keys", async () => {
    const a = await createTeam(client, 'List A');
    const b = await createTeam(client, 'List B');
    const bIds = new Set([b.admin.id, b.manager.id, b.member.id, b.other.id]);
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await client.get(`/api/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: a.member.token });
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(seen.every((u) => u.workspaceId === a.workspaceId && !bIds.has(u.id))).toBe(true);
    // Searching for B's people finds nothing.
    const search = await client.get(`/api/users?q=${encodeURIComponent(b.member.email)}`, { token: a.admin.token });
    expect(search.body.data).toEqual([]);

    // A cursor forged from B's ids still lists only A's users.
    const forged = Buffer.from(JSON.stringify([0])).toString('base64url');
    const fromStart = await client.get(`/api/users?cursor=${forged}`, { token: a.member.token });
    expect(fromStart.body.data.every((u: any) => u.workspaceId === a.workspaceId)).toBe(true);

    const bKey = await client.post('/api/api-keys', { name: 'B key' }, { token: b.admin.token });
    const aKeys = await client.get('/api/api-keys', { token: a.admin.token });
    expect(aKeys.body.data.some((k: any) => k.id === bKey.body.apiKey.id)).toBe(false);
  });

  it("workspace A cannot revoke workspace B's API key, and keys mint only into their own workspace", async () => {
    const a = await createTeam(client, 'Keys A');
    const b = await createTeam(client, 'Keys B');
    const bKey = await client.post('/api/api-keys', { name: 'B key', maxRole: 'manager' }, { token: b.admin.token });
    expect(bKey.status).toBe(201);
    expectNotFound(await client.delete(`/api/api-keys/${bKey.body.apiKey.id}`, { token: a.admin.token }), "revoke B's key");
    const bKeys = await client.get('/api/api-keys', { token: b.admin.token });
    expect(bKeys.body.data[0].revokedAt).toBeNull();

    // B's key still works, and the same externalId in A is a different person.
    const externalId = `shared-${randomUUID()}`;
    const inB = await client.post('/api/auth/embed-token', { externalId, name: 'In B' }, { headers: { authorization: `Bearer ${bKey.body.key}` } });
    expect(inB.status).toBe(200);
    expect(inB.body.user.workspaceId).toBe(b.workspaceId);
    const aKey = await client.post('/api/api-keys', { name: 'A key' }, { token: a.admin.token });
    const inA = await client.post('/api/auth/embed-token', { externalId, name: 'In A' }, { headers: { authorization: `Bearer ${aKey.body.key}` } });
    expect(inA.status).toBe(200);
    expect(inA.body.user.workspaceId).toBe(a.workspaceId);
    expect(inA.body.user.id).not.toBe(inB.body.user.id);
    expect((await client.get(`/api/users/${inB.body.user.id}`, { token: b.admin.token })).body.name).toBe('In B');

    // B's embedded user cannot see A.
    expectNotFound(await client.get(`/api/users/${a.admin.id}`, { token: inB.body.accessToken }), "B's embedded user reads A");
  });
});
