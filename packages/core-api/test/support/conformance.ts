import type { TestResponse } from './client.js';
import { Contract } from './contract.js';

/**
 * Every response any test provokes through TestClient is checked against
 * the OpenAPI document of the server that sent it: its status, the headers
 * a client acts on and the body must be documented for that operation.
 * What does not conform is collected here; `conformance-setup.ts` fails the
 * test file that provoked it. Requests to paths the document does not
 * describe (unknown routes, /docs, /metrics) are not checked.
 */
export const departures: string[] = [];

interface Route {
  method: string;
  pattern: RegExp;
  operationId: string;
}

const documents = new Map<string, Promise<{ contract: Contract; routes: Route[] } | undefined>>();

function load(baseUrl: string) {
  let loaded = documents.get(baseUrl);
  if (!loaded) {
    loaded = fetch(`${baseUrl}/openapi.json`)
      .then(async (response) => {
        if (!response.ok) return undefined;
        const contract = new Contract((await response.json()) as Record<string, unknown>);
        const routes = [...contract.operations.values()].map((operation) => ({
          method: operation.method.toUpperCase(),
          pattern: new RegExp(`^${operation.path.replace(/\{\w+\}/g, '[^/]+')}$`),
          operationId: operation.operationId,
        }));
        return { contract, routes };
      })
      .catch(() => undefined);
    documents.set(baseUrl, loaded);
  }
  return loaded;
}

export async function checkConformance(baseUrl: string, method: string, path: string, response: TestResponse): Promise<void> {
  const pathname = new URL(path, 'http://x').pathname;
  if (!pathname.startsWith('/api/')) return;
  const document = await load(baseUrl);
  const route = document?.routes.find((candidate) => candidate.method === method.toUpperCase() && candidate.pattern.test(pathname));
  if (!document || !route) return;
  for (const problem of document.contract.violations(route.operationId, response)) departures.push(`${method} ${pathname}: ${problem}`);
}
