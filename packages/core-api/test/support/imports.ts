import type { RunningServer } from '../../src/server.js';
import { DataJobRunner } from '../../src/services/dataJobs/runner.js';
import type { RequestOptions, TestClient } from './client.js';

/** A `multipart/form-data` body: the file part and text parts, as a browser sends them. */
export async function importForm(bytes: Uint8Array | string, fields: Record<string, string>, filename = 'import.bin'): Promise<RequestOptions> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)]), filename);
  const encoded = new Response(form);
  return { rawBody: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}

/** Starts an import (202) and runs this workspace's import jobs to their end here; answers the job as the API shows it then. */
export async function runImport(server: RunningServer, client: TestClient, token: string, workspaceId: number, bytes: Uint8Array | string, fields: Record<string, string>) {
  const started = await client.post('/api/imports', undefined, { token, ...(await importForm(bytes, fields)) });
  if (started.status !== 202) throw new Error(`import refused: ${started.status} ${JSON.stringify(started.body)}`);
  const runner = new DataJobRunner(server.services.dataJobs, server.services.storage, (error) => console.error(error), workspaceId);
  runner.handle('import', server.services.imports.handle);
  await runner.runOnce();
  const job = await client.get(`/api/imports/${started.body.id}`, { token });
  return job.body;
}
