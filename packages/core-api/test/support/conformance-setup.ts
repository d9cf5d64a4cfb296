import { afterAll, beforeAll, expect } from 'vitest';
import { departures } from './conformance.js';

// Each test file answers for the responses it provoked (see conformance.ts).
beforeAll(() => {
  departures.length = 0;
});

afterAll(() => {
  const found = [...new Set(departures)];
  departures.length = 0;
  expect(found, 'responses that the OpenAPI document does not describe').toEqual([]);
});
