import { vi } from 'vitest';
import type { TaskbaseClient } from '@taskbase/sdk';

type DeepPartialClient = { [K in keyof TaskbaseClient]?: Partial<TaskbaseClient[K]> };

/** A stand-in SDK client for unit tests: only the methods a test gives exist. */
export function fakeClient(parts: DeepPartialClient = {}): TaskbaseClient {
  return {
    realtime: { close: vi.fn() },
    ...parts,
  } as unknown as TaskbaseClient;
}
