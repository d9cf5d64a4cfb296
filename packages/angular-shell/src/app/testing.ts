import { vi } from 'vitest';
import type { TaskbaseClient } from '@taskbase/sdk';

type Client = TaskbaseClient<'browser'>;
type DeepPartialClient = { [K in keyof Client]?: Partial<Client[K]> };

/** A stand-in SDK client for unit tests: only the methods a test gives exist. */
export function fakeClient(parts: DeepPartialClient = {}): Client {
  return {
    realtime: { close: vi.fn() },
    ...parts,
  } as unknown as Client;
}
