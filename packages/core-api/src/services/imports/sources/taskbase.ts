import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { FieldType } from '../../../schemas/fields.js';
import type { ImportRecord, SourceReader } from '../records.js';

/** The NDJSON files of a Taskbase export, in the order their records can be written. */
const FILES = ['users', 'projects', 'labels', 'fields', 'tasks', 'comments', 'attachments', 'relations'] as const;
type ArchiveFile = (typeof FILES)[number];

/** At most this many entries in an archive: its directory is read into memory (names and offsets only). */
const MAX_ENTRIES = 5_000_000;

/**
 * Reads a Taskbase export (docs/import-export.md, "Archive format"): a zip
 * of `index.json`, NDJSON files and `files/<id>`. Only the zip's directory
 * is held; each NDJSON file is streamed line by line, and an attachment's
 * bytes are opened when the writer asks for them. Ids become external ids
 * `<sourceWorkspaceId>:<id>`, so importing the same archive twice (or
 * resuming) finds what the first run made.
 */
export const readTaskbase: SourceReader = (path) => ({
  async *[Symbol.asyncIterator]() {
    let zip: ZipFile;
    try {
      zip = await openZip(path);
    } catch {
      yield { kind: 'error', line: 0, field: 'file', message: 'is not a zip archive (a Taskbase export is one)' };
      return;
    }
    try {
      const entries = await listEntries(zip);
      const index = entries.get('index.json');
      if (!index) {
        yield { kind: 'error', line: 1, field: 'index.json', message: 'is missing: this is not a Taskbase export' };
        return;
      }
      let head: { format?: string; version?: number; workspace?: { id?: unknown } };
      try {
        head = JSON.parse(await readAll(await openEntry(zip, index))) as typeof head;
      } catch {
        yield { kind: 'error', line: 1, field: 'index.json', message: 'is not JSON' };
        return;
      }
      if (!head || head.format !== 'taskbase-export' || head.version !== 1) {
        yield { kind: 'error', line: 1, field: 'index.json', message: 'is not a Taskbase export of version 1' };
        return;
      }
      const translate = new Translator(String(head.workspace?.id ?? 'unknown'), (name) => {
        const entry = entries.get(name);
        if (!entry) throw new Error(`${name} is missing from the archive`);
        return openEntry(zip, entry);
      });
      for (const file of FILES) {
        const entry = entries.get(`${file}.ndjson`);
        if (!entry) continue;
        const lines = createInterface({ input: await openEntry(zip, entry), crlfDelay: Infinity });
        let line = 0;
        for await (const text of lines) {
          line += 1;
          if (text.trim() === '') continue;
          let raw: Record<string, unknown>;
          try {
            raw = JSON.parse(text) as Record<string, unknown>;
          } catch {
            yield { kind: 'error', line, field: `${file}.ndjson`, message: 'is not a JSON object on this line' };
            continue;
          }
          const record = translate.record(file, raw, line);
          if (record) yield record;
        }
      }
    } finally {
      zip.close();
    }
  },
});

type Raw = Record<string, unknown>;

/** From the export's DTOs to import records. */
class Translator {
  /** Field types and option names by option id (the export's values hold option ids; the import matches names). */
  private readonly fields = new Map<string, { type: FieldType; options: Map<string, string> }>();

  constructor(
    private readonly workspace: string,
    private readonly open: (name: string) => Promise<Readable>,
  ) {}

  private id(value: unknown): string {
    return `${this.workspace}:${String(value)}`;
  }

  private optionalId(value: unknown): string | undefined {
    return value === null || value === undefined ? undefined : this.id(value);
  }

  record(file: ArchiveFile, raw: Raw, line: number): ImportRecord | undefined {
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    switch (file) {
      case 'users':
        return { kind: 'user', line, externalId: this.id(raw.id), email: text(raw.email) ?? `user-${String(raw.id)}@imported.invalid`, name: text(raw.name) ?? '', role: raw.role as 'member' };
      case 'projects':
        return {
          kind: 'project',
          line,
          externalId: this.id(raw.id),
          name: text(raw.name) ?? '',
          ...(text(raw.key) ? { key: text(raw.key) } : {}),
          ...(text(raw.description) ? { description: text(raw.description) } : {}),
          private: raw.private === true || raw.visibility === 'private',
          archived: raw.archived === true || Boolean(raw.archivedAt),
          ...(Array.isArray(raw.statuses) ? { statuses: raw.statuses as never } : {}),
          memberExternalIds: Array.isArray(raw.memberIds) ? raw.memberIds.map((id) => this.id(id)) : [],
        };
      case 'labels':
        return { kind: 'label', line, externalId: this.id(raw.id), name: text(raw.name) ?? '', ...(text(raw.color) ? { color: text(raw.color) } : {}) };
      case 'fields': {
        const options = Array.isArray(raw.options) ? (raw.options as Raw[]) : [];
        this.fields.set(String(raw.key), { type: raw.type as FieldType, options: new Map(options.map((o) => [String(o.id), String(o.name)])) });
        return {
          kind: 'field',
          line,
          externalId: this.id(raw.id),
          key: String(raw.key),
          name: text(raw.name) ?? '',
          type: raw.type as FieldType,
          options: options.map((o) => ({ externalId: String(o.id), name: String(o.name), ...(text(o.color) ? { color: text(o.color) } : {}) })),
          projectExternalIds: Array.isArray(raw.projectIds) ? raw.projectIds.map((id) => this.id(id)) : [],
        };
      }
      case 'tasks':
        return {
          kind: 'task',
          line,
          externalId: this.id(raw.id),
          projectExternalId: this.id(raw.projectId),
          title: text(raw.title) ?? '',
          description: text(raw.description) ?? '',
          ...(text(raw.status) ? { status: text(raw.status) } : {}),
          priority: raw.priority as 'medium',
          ...(this.optionalId(raw.assignedTo) ? { assigneeExternalId: this.optionalId(raw.assignedTo) } : {}),
          ...(this.optionalId(raw.createdBy) ? { creatorExternalId: this.optionalId(raw.createdBy) } : {}),
          dueDate: text(raw.dueDate) ?? null,
          labels: Array.isArray(raw.labels) ? (raw.labels as Raw[]).map((label) => String(label.name)) : [],
          fields: this.values(raw.fields),
          ...(this.optionalId(raw.parentId) ? { parentExternalId: this.optionalId(raw.parentId) } : {}),
          watcherExternalIds: Array.isArray(raw.watcherIds) ? raw.watcherIds.map((id) => this.id(id)) : [],
          completedAt: text(raw.completedAt) ?? null,
          ...(text(raw.createdAt) ? { createdAt: text(raw.createdAt) } : {}),
        };
      case 'comments':
        return {
          kind: 'comment',
          line,
          externalId: this.id(raw.id),
          taskExternalId: this.id(raw.taskId),
          ...(this.optionalId(raw.authorId ?? raw.userId) ? { authorExternalId: this.optionalId(raw.authorId ?? raw.userId) } : {}),
          body: text(raw.body) ?? text(raw.comment) ?? '',
          ...(text(raw.createdAt) ? { createdAt: text(raw.createdAt) } : {}),
        };
      case 'attachments': {
        const path = text(raw.path) ?? `files/${String(raw.id)}`;
        return {
          kind: 'attachment',
          line,
          externalId: this.id(raw.id),
          taskExternalId: this.id(raw.taskId),
          ...(this.optionalId(raw.commentId) ? { commentExternalId: this.optionalId(raw.commentId) } : {}),
          filename: text(raw.filename) ?? 'file',
          contentType: text(raw.contentType) ?? 'application/octet-stream',
          size: Number(raw.size ?? 0),
          open: () => this.open(path),
        };
      }
      case 'relations':
        return { kind: 'relation', line, taskExternalId: this.id(raw.taskId), type: raw.type as 'blocks', relatedExternalId: this.id(raw.relatedTaskId) };
    }
  }

  /** Select values to option names, user values to the user's external id; the rest as exported. */
  private values(given: unknown): Record<string, unknown> {
    if (!given || typeof given !== 'object') return {};
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(given as Raw)) {
      const field = this.fields.get(key);
      if (field?.type === 'select' && typeof value === 'string') values[key] = field.options.get(value) ?? value;
      else if (field?.type === 'multi_select' && Array.isArray(value)) values[key] = value.map((v) => field.options.get(String(v)) ?? v);
      else if (field?.type === 'user' && value !== null && value !== undefined) values[key] = this.id(value);
      else values[key] = value;
    }
    return values;
  }
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

/** The archive's directory (not its contents): entry names to entries. */
function listEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on('entry', (entry: Entry) => {
      if (entries.size >= MAX_ENTRIES) return reject(new Error(`the archive has more than ${MAX_ENTRIES} entries`));
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new Error('index.json is larger than 1 MB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
