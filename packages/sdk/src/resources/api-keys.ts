import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type { CreateApiKeyInput, CreatedApiKey, ResponseBody } from '../types.js';
import { APIResource } from './resource.js';

/** `/api/api-keys`: server-to-server keys that mint embed tokens (admins). */
export class ApiKeys extends APIResource {
  /** The workspace's keys (their secrets are never shown again). */
  list(options?: RequestOptions): Promise<ResponseBody<'listApiKeys'>> {
    return this.http.request({ method: 'GET', path: '/api/api-keys', options });
  }

  /** Creates a key; `key` in the answer is the secret, shown only this once. */
  create(input: CreateApiKeyInput, options?: RequestOptions): Promise<CreatedApiKey> {
    return this.http.request({ method: 'POST', path: '/api/api-keys', body: input, options });
  }

  /** Revokes a key: tokens it minted keep working until they expire. */
  revoke(id: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/api-keys/${id}`, options });
  }
}
