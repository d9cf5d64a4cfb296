import { createHash } from 'node:crypto';

/**
 * The API reference at GET /docs: one self-contained HTML page rendered on
 * the server from the OpenAPI document. No script, no external asset, so
 * it works offline and under a CSP that allows only its own stylesheet.
 */

// The document is walked generically: any member may be absent or of any shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** How deep inline objects are unfolded into dotted rows before showing just `object`. */
const MAX_DEPTH = 3;

const STYLE = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5b6475;--bg:#fff;--panel:#f5f7fa;--line:#dde2ea;--accent:#2457c5}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#9aa3b5;--bg:#14171d;--panel:#1c2028;--line:#2d3340;--accent:#7aa2ff}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:24px}
a{color:var(--accent)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
h1{margin:0 0 4px}h2{margin:40px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{margin:0;font-size:1.05em;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
h4{margin:14px 0 6px;font-size:.85em;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}h4 code{text-transform:none;letter-spacing:0}
.lead{color:var(--muted);margin:0 0 16px}
nav{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 16px;columns:2 320px}
nav section{break-inside:avoid;margin-bottom:10px}nav strong{display:block}
nav ul{list-style:none;margin:4px 0;padding:0}nav li{margin:2px 0}
.op{border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:14px 0;background:var(--bg)}
.op>p{margin:6px 0}
.method{display:inline-block;min-width:58px;text-align:center;border-radius:4px;padding:1px 6px;font:600 .75em/1.6 ui-monospace,monospace;text-transform:uppercase;color:#fff;background:#6b7280}
.get{background:#1f7a4d}.post{background:#2457c5}.patch{background:#a15c00}.put{background:#7a3fb0}.delete{background:#b42318}
.auth{font-size:.8em;color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:.9em}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td:first-child{white-space:nowrap}
.req{color:#b42318;font-size:.8em;margin-left:4px}
.rules{color:var(--muted)}
.schema{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:10px 0}
.schema h3{margin-bottom:6px}
`.trim();

/** The page's Content-Security-Policy: nothing but its one inline stylesheet, by hash. */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Escapes text, then shows `backticked` words as code, as the descriptions use them. */
function prose(text: unknown): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const anchor = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '-');
const refName = (ref: string) => decodeURIComponent(ref.split('/').pop() ?? ref);

/** A compact type label: `string (date-time)`, `Task[]`, `integer | null`, `"a" | "b"`. */
function typeLabel(schema: Json | undefined): string {
  if (!schema || typeof schema !== 'object') return 'any';
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return `<a href="#schema-${anchor(name)}">${escapeHtml(name)}</a>`;
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return union.map((member: Json) => typeLabel(member)).join(' | ');
  if (Array.isArray(schema.allOf)) return schema.allOf.map((member: Json) => typeLabel(member)).join(' &amp; ');
  if ('const' in schema) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum)) return schema.enum.map((value: unknown) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type === 'array') return `${typeLabel(schema.items)}[]`;
  if (type === 'object' && schema.patternProperties) return 'object (map)';
  if (type === undefined) return 'any';
  return escapeHtml(schema.format ? `${type} (${schema.format})` : type);
}

/** Validation rules worth knowing when sending a value. */
function rules(schema: Json | undefined): string {
  if (!schema || typeof schema !== 'object') return '';
  const parts: string[] = [];
  const add = (label: string, value: unknown) => parts.push(`${label} ${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}`);
  if (schema.minLength !== undefined) add('min length', schema.minLength);
  if (schema.maxLength !== undefined) add('max length', schema.maxLength);
  if (schema.minimum !== undefined) add('≥', schema.minimum);
  if (schema.maximum !== undefined) add('≤', schema.maximum);
  if (schema.minItems !== undefined) add('min items', schema.minItems);
  if (schema.maxItems !== undefined) add('max items', schema.maxItems);
  if (schema.uniqueItems) parts.push('unique items');
  if (schema.minProperties !== undefined) add('at least', `${schema.minProperties} field(s)`);
  if (schema.pattern !== undefined) parts.push(`pattern <code>${escapeHtml(schema.pattern)}</code>`);
  if (schema.default !== undefined) parts.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
  const items = schema.type === 'array' ? rules(schema.items) : '';
  if (items) parts.push(`each: ${items}`);
  return parts.join(', ');
}

function describe(schema: Json | undefined): string {
  const text = [schema?.description ? prose(schema.description) : '', rules(schema)].filter(Boolean);
  return text.length === 2 ? `${text[0]} <span class="rules">(${text[1]})</span>` : text[0] ? text[0] : '';
}

const isInlineObject = (schema: Json | undefined) => !!schema && !schema.$ref && schema.type === 'object' && !!schema.properties;

/** One row per field, nested inline objects (and arrays of them) unfolded as `parent.child` / `items[].child`. */
function fieldRows(schema: Json, prefix = '', depth = 0): string[] {
  const required = new Set<string>(schema.required ?? []);
  const rows: string[] = [];
  for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    rows.push(
      `<tr><td><code>${escapeHtml(path)}</code>${required.has(name) ? '<span class="req">required</span>' : ''}</td>` +
        `<td>${typeLabel(property)}</td><td>${describe(property)}</td></tr>`,
    );
    if (depth < MAX_DEPTH) {
      if (isInlineObject(property)) rows.push(...fieldRows(property, `${path}.`, depth + 1));
      else if (property.type === 'array' && isInlineObject(property.items)) rows.push(...fieldRows(property.items, `${path}[].`, depth + 1));
    }
  }
  return rows;
}

/** A schema as a field table when it is an object, else as one line. */
function schemaBlock(schema: Json | undefined): string {
  if (!schema) return '';
  if (!isInlineObject(schema)) {
    const detail = describe(schema);
    return `<p>${typeLabel(schema)}${detail ? ` — ${detail}` : ''}</p>`;
  }
  const notes = [
    schema.description ? prose(schema.description) : '',
    schema.additionalProperties === false ? 'No other fields are accepted.' : '',
    schema.minProperties ? `Send at least ${escapeHtml(schema.minProperties)} field(s).` : '',
  ].filter(Boolean);
  return (
    (notes.length ? `<p>${notes.join(' ')}</p>` : '') +
    `<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${fieldRows(schema).join('')}</tbody></table>`
  );
}

function authNote(operation: Json, document: Json): string {
  const security: Json[] = operation.security ?? document.security ?? [];
  if (security.length === 0) return '<span class="auth">public</span>';
  const schemes = security.flatMap((requirement) => Object.keys(requirement));
  const label = schemes.includes('apiKey') ? 'API key (server to server)' : 'bearer access token';
  return `<span class="auth">${escapeHtml(label)}</span>`;
}

function parametersBlock(parameters: Json[] | undefined): string {
  if (!parameters?.length) return '';
  const rows = parameters.map(
    (parameter) =>
      `<tr><td><code>${escapeHtml(parameter.name)}</code>${parameter.required ? '<span class="req">required</span>' : ''}</td>` +
      `<td>${escapeHtml(parameter.in)}</td><td>${typeLabel(parameter.schema)}</td>` +
      `<td>${[parameter.description ? prose(parameter.description) : '', rules(parameter.schema)].filter(Boolean).join(' — ')}</td></tr>`,
  );
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function requestBodyBlock(requestBody: Json | undefined): string {
  if (!requestBody?.content) return '';
  return Object.entries<Json>(requestBody.content)
    .map(([type, media]) => `<h4>Request body <code>${escapeHtml(type)}</code></h4>${schemaBlock(media.schema)}`)
    .join('');
}

/** A shared response or header (`#/components/...`) as the object it names. */
function local(value: Json, document: Json): Json {
  if (typeof value?.$ref !== 'string' || !value.$ref.startsWith('#/')) return value;
  return (value.$ref as string).slice(2).split('/').reduce<Json>((node, segment) => node?.[segment], document) ?? value;
}

function responsesBlock(responses: Json | undefined, document: Json): string {
  const rows = Object.entries<Json>(responses ?? {}).map(([status, shared]) => {
    const response = local(shared, document);
    const content = Object.entries<Json>(response.content ?? {});
    const body = content.length
      ? content.map(([type, media]) => `${typeLabel(media.schema)} <span class="rules">${escapeHtml(type)}</span>`).join('<br>')
      : '—';
    const headers = Object.entries<Json>(response.headers ?? {})
      .map(([name, header]) => `<br><span class="rules">header <code>${escapeHtml(name)}</code>: ${prose(local(header, document).description)}</span>`)
      .join('');
    return `<tr><td><code>${escapeHtml(status)}</code></td><td>${prose(response.description)}${headers}</td><td>${body}</td></tr>`;
  });
  return `<h4>Responses</h4><table><thead><tr><th>Status</th><th>Description</th><th>Body</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function operationBlock(path: string, method: string, operation: Json, document: Json): string {
  return (
    `<article class="op" id="op-${anchor(operation.operationId)}">` +
    `<h3><span class="method ${method}">${method}</span><code>${escapeHtml(path)}</code>${authNote(operation, document)}</h3>` +
    `<p><strong>${escapeHtml(operation.summary)}</strong> <span class="rules mono">${escapeHtml(operation.operationId)}</span></p>` +
    (operation.description ? `<p>${prose(operation.description)}</p>` : '') +
    parametersBlock(operation.parameters) +
    requestBodyBlock(operation.requestBody) +
    responsesBlock(operation.responses, document) +
    `</article>`
  );
}

/** Renders the whole reference page from an OpenAPI 3.1 document. */
export function renderDocs(document: Json): string {
  const groups = new Map<string, Array<{ path: string; method: string; operation: Json }>>();
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const tag: string = operation.tags?.[0] ?? 'Other';
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push({ path, method, operation });
    }
  }
  const schemas = Object.entries<Json>(document.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const title = `${document.info?.title ?? 'API'} ${document.info?.version ?? ''}`.trim();

  const index =
    `<nav aria-label="Contents">` +
    [...groups]
      .map(
        ([tag, operations]) =>
          `<section><strong><a href="#tag-${anchor(tag)}">${escapeHtml(tag)}</a></strong><ul>` +
          operations
            .map(
              ({ path, method, operation }) =>
                `<li><a href="#op-${anchor(operation.operationId)}"><span class="method ${method}">${method}</span> <code>${escapeHtml(path)}</code></a> ${escapeHtml(operation.summary)}</li>`,
            )
            .join('') +
          `</ul></section>`,
      )
      .join('') +
    (schemas.length ? `<section><strong><a href="#schemas">Schemas</a></strong><ul><li>${schemas.length} shared shapes</li></ul></section>` : '') +
    `</nav>`;

  const sections = [...groups]
    .map(
      ([tag, operations]) =>
        `<section id="tag-${anchor(tag)}"><h2>${escapeHtml(tag)}</h2>` +
        operations.map(({ path, method, operation }) => operationBlock(path, method, operation, document)).join('') +
        `</section>`,
    )
    .join('');

  const schemaSection = schemas.length
    ? `<section id="schemas"><h2>Schemas</h2>` +
      schemas
        .map(([name, schema]) => `<div class="schema" id="schema-${anchor(name)}"><h3>${escapeHtml(name)}</h3>${schemaBlock(schema)}</div>`)
        .join('') +
      `</section>`
    : '';

  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)} reference</title><style>${STYLE}</style></head><body><main>` +
    `<header><h1>${escapeHtml(title)}</h1>` +
    (document.info?.description ? `<p class="lead">${prose(document.info.description)}</p>` : '') +
    `<p class="lead">Errors are <code>application/problem+json</code> (RFC 9457). The machine-readable document is at <a href="/openapi.json"><code>/openapi.json</code></a>.</p>` +
    `</header>${index}${sections}${schemaSection}</main></body></html>`
  );
}
