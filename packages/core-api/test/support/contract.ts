import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { TestResponse } from './client.js';

// ajv-formats is CJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const DOCUMENT_ID = 'taskbase-openapi.json';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

export interface DocumentedOperation {
  operationId: string;
  method: (typeof METHODS)[number];
  /** OpenAPI path template: `/api/tasks/{id}`. */
  path: string;
  summary: string;
  security: unknown[];
  responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }>;
  /** JSON pointer of the operation inside the document. */
  pointer: string;
}

/** Headers a client acts on: one sent must be documented for its operation and status. */
const SIGNIFICANT_HEADERS = ['etag', 'location', 'retry-after', 'idempotent-replayed', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks real responses against the OpenAPI document the server publishes:
 * the status must be documented for the operation and the body must match
 * the schema documented for that status and content type. Schemas are
 * compiled with Ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses) from the
 * document itself, so `#/components/schemas/...` references resolve.
 */
export class Contract {
  readonly operations = new Map<string, DocumentedOperation>();
  private readonly ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: Record<string, any>) {
    this.ajv.addSchema(document, DOCUMENT_ID);
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        this.operations.set(operation.operationId, {
          operationId: operation.operationId,
          method,
          path,
          summary: operation.summary,
          security: operation.security ?? document.security ?? [],
          responses: operation.responses,
          pointer: `/paths/${escapePointer(path)}/${method}`,
        });
      }
    }
  }

  operation(operationId: string): DocumentedOperation {
    const operation = this.operations.get(operationId);
    if (!operation) throw new Error(`The OpenAPI document has no operation ${operationId}`);
    return operation;
  }

  /** Fills `{name}` placeholders of the operation's path. */
  url(operationId: string, params: Record<string, string | number> = {}, query = ''): string {
    const path = this.operation(operationId).path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (params[name] === undefined) throw new Error(`${operationId} needs the path parameter ${name}`);
      return encodeURIComponent(String(params[name]));
    });
    return query ? `${path}?${query}` : path;
  }

  /**
   * Every way the response departs from the document (empty when it
   * conforms). A success status must be listed explicitly; an error status
   * may fall under `default`.
   */
  violations(operationId: string, response: TestResponse): string[] {
    const operation = this.operation(operationId);
    const status = String(response.status);
    const documented = status in operation.responses;
    const key = documented ? status : response.status >= 400 ? 'default' : undefined;
    if (!key || !operation.responses[key]) {
      return [`${operationId} answered ${status}, which its documented responses (${Object.keys(operation.responses).join(', ')}) do not list`];
    }
    const { value: spec, pointer } = this.resolve(operation.responses[key]!, `${operation.pointer}/responses/${escapePointer(key)}`);
    const problems: string[] = [];
    const documentedHeaders = Object.fromEntries(
      Object.entries(spec.headers ?? {}).map(([name, header]) => [name, this.resolve(header as object, '').value]),
    ) as Record<string, { required?: boolean }>;
    for (const [header, description] of Object.entries(documentedHeaders)) {
      if (description.required !== false && !response.headers.get(header)) problems.push(`${operationId} ${status}: documented header ${header} is missing`);
    }
    const named = new Set(Object.keys(documentedHeaders).map((header) => header.toLowerCase()));
    for (const header of SIGNIFICANT_HEADERS) {
      if (response.headers.get(header) && !named.has(header)) problems.push(`${operationId} ${status}: sent ${header}, which the document does not list for it`);
    }
    const contentTypes = Object.keys(spec.content ?? {});
    if (contentTypes.length === 0) {
      if (response.body !== '' && response.body !== undefined) problems.push(`${operationId} ${status}: documented without a body but sent one`);
      return problems;
    }
    const received = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    // `*/*`: any bytes (a file download); there is no shape to check.
    if (contentTypes.includes('*/*')) return problems;
    const mediaType = contentTypes.find((type) => type.toLowerCase() === received);
    if (!mediaType) {
      problems.push(`${operationId} ${status}: content type "${received}" is not one of ${contentTypes.join(', ')}`);
      return problems;
    }
    const validate = this.validator(`${pointer}/content/${escapePointer(mediaType)}/schema`);
    if (!validate(response.body)) {
      for (const error of validate.errors ?? []) {
        problems.push(`${operationId} ${status}: body${error.instancePath} ${error.message} (${error.schemaPath})`);
      }
    }
    return problems;
  }

  /** Follows a local `$ref` (a shared response or header), answering the object and its JSON pointer. */
  private resolve<T extends object>(value: T, pointer: string): { value: any; pointer: string } {
    const ref = (value as { $ref?: string }).$ref;
    if (!ref?.startsWith('#/')) return { value, pointer };
    const target = ref.slice(1);
    const found = target
      .split('/')
      .slice(1)
      .reduce<any>((node, segment) => node?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')], this.document);
    if (!found) throw new Error(`unresolvable ${ref}`);
    return { value: found, pointer: target };
  }

  /** Validates a value against a named component schema. */
  validateComponent(name: string, value: unknown): string[] {
    const validate = this.validator(`/components/schemas/${escapePointer(name)}`);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${name}${e.instancePath} ${e.message}`);
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      this.compiled.set(pointer, validate);
    }
    return validate;
  }
}
