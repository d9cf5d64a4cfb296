import type { Task } from '@taskbase/sdk';
import type { Person } from './support/env.js';

/** Calls of issue 17 made through the client's generic request, so the tests need no SDK resource. */
export function structureApi(person: Person) {
  const request = <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => person.client.http.request<T>({ method, path, body });
  return {
    label: (name: string, color: string) => request<{ id: number; name: string }>('POST', '/api/labels', { name, color }),
    field: (input: { key: string; name: string; type: string; options?: Array<{ name: string; color?: string }> }) =>
      request<{ id: number; key: string; options: Array<{ id: string; name: string }> }>('POST', '/api/fields', input),
    view: (input: { name: string; query: string; layout?: 'board' | 'list'; shared?: boolean }) => request<{ id: number }>('POST', '/api/views', input),
    task: (input: Record<string, unknown>) => request<Task>('POST', '/api/tasks', input),
    update: (id: number, input: Record<string, unknown>) => request<Task>('PATCH', `/api/tasks/${id}`, input),
    relate: (id: number, type: 'blocks' | 'relates_to', taskId: number) => request('POST', `/api/tasks/${id}/relations`, { type, taskId }),
  };
}
