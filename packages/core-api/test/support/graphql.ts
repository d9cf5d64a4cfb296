import type { TestClient } from './client.js';

export interface GraphqlResponse<T = any> {
  status: number;
  data: T;
  errors: Array<{ message: string; path?: string[]; extensions: Record<string, any> }> | undefined;
}

/** POST /graphql over real HTTP. */
export async function gql<T = any>(client: TestClient, token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<T>> {
  const response = await client.post('/graphql', { query, variables }, token ? { token } : {});
  return { status: response.status, data: response.body?.data, errors: response.body?.errors };
}

/** The only error's code, failing loudly when there is none. */
export function errorCode(response: GraphqlResponse): string {
  if (!response.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(response.data)}`);
  return response.errors[0]!.extensions.code;
}
