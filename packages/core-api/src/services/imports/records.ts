import type { Readable } from 'node:stream';
import type { FieldType } from '../../schemas/fields.js';
import type { RelationType } from '../../schemas/relations.js';

/**
 * What every import source reads its file into, and all the import writer
 * knows. A source (Taskbase export, CSV with a mapping, Trello, Asana) yields
 * these in any order the writer can take: users, projects, labels and
 * fields before the tasks that use them; a task before its comments and
 * attachments. Parents and relations may point forward: the writer links
 * them after every task exists.
 *
 * `externalId` is the record's id in its source, unique per `kind` within a
 * source; with `source` it makes the import idempotent (`import_links`).
 * `line` is where the record starts in the file (1-based; a CSV's header is
 * line 1), for the errors a dry run reports.
 */
export type ImportRecord =
  | UserRecord
  | ProjectRecord
  | LabelRecord
  | FieldRecord
  | TaskRecord
  | CommentRecord
  | RelationRecord
  | AttachmentRecord
  | RowError;

interface Located {
  line?: number;
}

/** Matched by email (case-insensitive) in the target workspace; created inactive ("invited") when absent. */
export interface UserRecord extends Located {
  kind: 'user';
  externalId: string;
  email: string;
  name: string;
  role?: 'admin' | 'manager' | 'member';
}

/** Matched by `key` in the target workspace when given; otherwise created. */
export interface ProjectRecord extends Located {
  kind: 'project';
  externalId: string;
  name: string;
  key?: string;
  description?: string;
  private?: boolean;
  archived?: boolean;
  /** The workflow, in board order; absent: the default workflow. */
  statuses?: Array<{ key: string; name: string; category: 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled' }>;
  memberExternalIds?: string[];
}

/** Matched by name (case-insensitive) within the workspace. */
export interface LabelRecord extends Located {
  kind: 'label';
  externalId: string;
  name: string;
  color?: string;
}

/** Matched by `key`; options by name. */
export interface FieldRecord extends Located {
  kind: 'field';
  externalId: string;
  key: string;
  name: string;
  type: FieldType;
  options?: Array<{ externalId?: string; name: string; color?: string }>;
  projectExternalIds?: string[];
}

export interface TaskRecord extends Located {
  kind: 'task';
  externalId: string;
  /** Absent: the job's `projectId`. */
  projectExternalId?: string;
  title: string;
  description?: string;
  /** A status key, or a status name the writer matches (case-insensitive) against the project's workflow. */
  status?: string;
  priority?: 'low' | 'medium' | 'high' | 'urgent';
  assigneeExternalId?: string;
  /** Used when there is no user record (CSV, Asana): matched or created like a UserRecord. */
  assigneeEmail?: string;
  creatorExternalId?: string;
  dueDate?: string | null;
  /** Label names; missing labels are created. */
  labels?: string[];
  /** Values by field key, in the API's value format (option names are matched for select fields). */
  fields?: Record<string, unknown>;
  parentExternalId?: string;
  watcherExternalIds?: string[];
  completedAt?: string | null;
  createdAt?: string;
}

export interface CommentRecord extends Located {
  kind: 'comment';
  externalId: string;
  taskExternalId: string;
  authorExternalId?: string;
  authorEmail?: string;
  body: string;
  createdAt?: string;
}

export interface RelationRecord extends Located {
  kind: 'relation';
  taskExternalId: string;
  type: RelationType;
  relatedExternalId: string;
}

export interface AttachmentRecord extends Located {
  kind: 'attachment';
  externalId: string;
  taskExternalId: string;
  commentExternalId?: string;
  filename: string;
  contentType: string;
  size: number;
  /** The file's bytes; opened only when the writer gets to it (never held in memory). */
  open(): Promise<Readable>;
}

/** A row the source could not read; the writer reports it and goes on. */
export interface RowError {
  kind: 'error';
  line: number;
  field: string;
  message: string;
}

export type ImportSource = 'taskbase' | 'csv' | 'trello' | 'asana';

/** How a CSV's columns map to task fields: column header → target. */
export type CsvMapping = Record<string, CsvTarget>;
export type CsvTarget =
  | 'externalId'
  | 'title'
  | 'description'
  | 'status'
  | 'priority'
  | 'assigneeEmail'
  | 'dueDate'
  | 'labels'
  | 'parentExternalId'
  | 'createdAt'
  | `fields.${string}`
  | 'ignore';

export interface SourceOptions {
  /** A CSV's column mapping (required for `csv`). */
  mapping?: CsvMapping;
}

/**
 * Reads a source file (a local path: the writer copies the upload out of
 * object storage first) as records. Must stream: a 100k-task file never
 * sits in memory whole.
 */
export type SourceReader = (path: string, options: SourceOptions) => AsyncIterable<ImportRecord>;
