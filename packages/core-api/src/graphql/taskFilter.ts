import type { TaskListInput } from '../schemas/tasks.js';
import { invalidArgument } from './errors.js';

/**
 * The task list's filters as GraphQL input. They become GET /api/tasks'
 * query parameters and are validated by the REST list validator, so a
 * GraphQL filter and a REST query mean the same; custom-field filters are
 * a list of FieldFilter, each turned into `cf.<key>`, `cf.<key>.gte`,
 * `cf.<key>.lte` and `cf.<key>.empty`.
 */
export const taskFilterTypeDefs = /* GraphQL */ `
  "The filters of GET /api/tasks."
  input TaskFilter {
    "A project id, key (CRM) or ext:<externalId>."
    project: String
    status: [TaskStatus!]
    statusCategory: [StatusCategory!]
    priority: [TaskPriority!]
    "me, none or a user id"
    assignee: String
    "me or a user id"
    createdBy: String
    dueBefore: DateTime
    dueAfter: DateTime
    "Only tasks past their due date and not done (or, when false, the others)."
    overdue: Boolean
    "Words to find in title or description (prefix match)."
    q: String
    "Tasks with any of these labels (ids or names)."
    label: [String!]
    "Tasks with all of these labels (ids or names)."
    labelAll: [String!]
    "Subtasks of this task (id or identifier such as CRM-42); none: top-level tasks only."
    parent: String
    "A saved view: its filters (and its sort, when orderBy and orderByField are left out) apply, under those given here."
    view: ID
    "Custom-field filters; a task matches all of them."
    fields: [FieldFilter!]
  }

  "A filter on one custom field (REST: cf.<key>, cf.<key>.gte, cf.<key>.lte, cf.<key>.empty). Give at least one of in, gte, lte, empty."
  input FieldFilter {
    "The field's key."
    key: String!
    "Equals any of these: option ids or names (SELECT, MULTI_SELECT), user ids or me (USER), true or false (CHECKBOX), numbers, dates (YYYY-MM-DD) or texts."
    in: [String!]
    "At least this number or date (NUMBER, DATE)."
    gte: String
    "At most this number or date (NUMBER, DATE)."
    lte: String
    "true: only tasks without a value; false: only tasks with one."
    empty: Boolean
  }
`;

interface FieldFilter {
  key: string;
  in?: string[] | null;
  gte?: string | null;
  lte?: string | null;
  empty?: boolean | null;
}

const FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** A GraphQL TaskFilter as the REST list's query parameters (nulls mean "not filtered"). */
export function restFilter(filter: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(filter ?? {})) if (value !== null && name !== 'fields') query[name] = value;
  const fields = (filter?.fields ?? []) as FieldFilter[];
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    if (!FIELD_KEY.test(field.key)) throw invalidArgument(`filter.fields.${index}.key`, 'must be a custom field key (lower-case letters, digits and _)');
    if (seen.has(field.key)) throw invalidArgument(`filter.fields.${index}.key`, `filters ${field.key} twice: put its conditions in one FieldFilter`);
    seen.add(field.key);
    const param = `cf.${field.key}`;
    if (field.in != null) query[param] = field.in.join(',');
    if (field.gte != null) query[`${param}.gte`] = field.gte;
    if (field.lte != null) query[`${param}.lte`] = field.lte;
    if (field.empty != null) query[`${param}.empty`] = String(field.empty);
    if (field.in == null && field.gte == null && field.lte == null && field.empty == null) {
      throw invalidArgument(`filter.fields.${index}`, 'needs in, gte, lte or empty');
    }
  });
  return query;
}

const CUSTOM_FIELD_PARAM = /^cf\.([a-z][a-z0-9_]*)(\.(?:gte|lte|empty))?$/;

/**
 * Names a REST list parameter as the GraphQL argument it came from:
 * `cf.tier.gte` → `filter.fields.tier.gte`, `sort` → `orderBy` (or
 * `orderByField`), `cursor` → `after`, `label` → `filter.label`.
 */
export const listArgument =
  (sortArgument: 'orderBy' | 'orderByField' = 'orderBy') =>
  (path: string): string => {
    const special = ({ cursor: 'after', limit: 'first', sort: sortArgument } as Record<string, string>)[path];
    if (special) return special;
    const field = CUSTOM_FIELD_PARAM.exec(path);
    if (field) return `filter.fields.${field[1]}${field[2] ?? ''}`;
    return path ? `filter.${path}` : 'filter';
  };

/**
 * The REST sort of `orderBy` (a TaskOrder) or `orderByField` (a custom
 * field's key, `-key` for descending); neither: the REST default (or the
 * view's sort).
 */
export function listSort(order: Record<string, TaskListInput['sort']>, orderBy: string | null | undefined, orderByField: string | null | undefined): TaskListInput['sort'] {
  if (orderByField == null) return orderBy == null ? undefined : order[orderBy];
  if (orderBy != null) throw invalidArgument('orderByField', 'cannot be combined with orderBy');
  const match = /^(-?)([a-z][a-z0-9_]{0,39})$/.exec(orderByField);
  if (!match) throw invalidArgument('orderByField', 'must be a custom field key, with a - prefix for descending (-due_on)');
  return `${match[1]}cf.${match[2]}`;
}
