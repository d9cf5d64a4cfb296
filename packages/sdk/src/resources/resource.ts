import type { HttpClient } from '../core/http.js';

/** The base of every resource class: one small class per API area. */
export abstract class APIResource {
  constructor(protected readonly http: HttpClient) {}
}
