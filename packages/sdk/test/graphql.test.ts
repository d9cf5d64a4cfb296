import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLError, type TaskbaseClient } from '../src/index.js';
import { adminClient, startTestServer } from './support/server.js';

describe('client.graphql', () => {
  let server: RunningServer;
  let client: TaskbaseClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = (await adminClient(server.url)).client;
  });
  afterAll(() => server.close());

  it('runs queries and mutations with variables', async () => {
    const created = await client.graphql<{ createTask: { id: string; title: string } }>(
      'mutation Create($input: CreateTaskInput!) { createTask(input: $input) { id title } }',
      { input: { title: 'from GraphQL' } },
    );
    expect(created.createTask.title).toBe('from GraphQL');
    const { me, task } = await client.graphql<{ me: { name: string }; task: { title: string } }>('query ($id: ID!) { me { name } task(id: $id) { title } }', {
      id: created.createTask.id,
    });
    expect(me.name).toBe('Ada Admin');
    expect(task.title).toBe('from GraphQL');
  });

  it('rejects with a GraphQLError carrying the errors', async () => {
    const error = await client.graphql('query { task(id: "999999999") { id } }').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).errors[0]!.message).toBeTypeOf('string');
  });
});
