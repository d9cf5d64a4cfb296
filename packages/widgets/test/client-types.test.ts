import { createClient } from '@taskbase/sdk';
import { expect, expectTypeOf, it } from 'vitest';
import type { TbProvider } from '../src/provider/provider.component.js';
import type { configure } from '../src/shared/client.js';

// Checked by tsc: a host hands the widgets its SDK client, whichever way it signs in.
it('<tb-provider>.client and configure() take a client of either session mode', () => {
  const browserSession = () => createClient({ url: 'https://tasks.example.com', session: 'browser' });
  const tokens = () => createClient({ url: 'https://tasks.example.com', token: 't' });
  expectTypeOf(browserSession).returns.toExtend<NonNullable<TbProvider['client']>>();
  expectTypeOf(tokens).returns.toExtend<NonNullable<TbProvider['client']>>();
  expectTypeOf<typeof configure>().toBeCallableWith(browserSession());
  expect(typeof browserSession().tasks.list).toBe('function');
});
