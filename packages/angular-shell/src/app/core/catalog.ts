import { inject, Injectable } from '@angular/core';
import type {
  CreateFieldInput,
  CreateLabelInput,
  CreateViewInput,
  CustomField,
  FieldType,
  Label,
  Project,
  SavedView,
  UpdateFieldInput,
  UpdateLabelInput,
  UpdateViewInput,
} from '@taskbase/sdk';
import { suggestStatusKey } from './projects';
import { TASKBASE_CLIENT } from './taskbase-client';

export type { CustomField, FieldOption, FieldType, Label, SavedView } from '@taskbase/sdk';
export type ViewLayout = SavedView['layout'];
/** An option as written: without an id it is a new one. */
export type FieldOptionInput = NonNullable<CreateFieldInput['options']>[number];

export const FIELD_TYPES: readonly FieldType[] = ['text', 'number', 'date', 'select', 'multi_select', 'user', 'checkbox', 'url'];

/**
 * Labels, custom fields and saved views (issue 17), through the SDK's
 * `client.labels`, `client.fields` and `client.views`: lists are answered
 * whole, so the pages take `data`.
 */
@Injectable({ providedIn: 'root' })
export class CatalogApi {
  private readonly client = inject(TASKBASE_CLIENT);

  async labels(query: { project?: string; q?: string } = {}): Promise<Label[]> {
    return (await this.client.labels.list(query)).data;
  }
  createLabel(input: CreateLabelInput): Promise<Label> {
    return this.client.labels.create(input);
  }
  updateLabel(id: number, input: UpdateLabelInput): Promise<Label> {
    return this.client.labels.update(id, input);
  }
  deleteLabel(id: number): Promise<void> {
    return this.client.labels.delete(id);
  }

  async fields(query: { project?: string } = {}): Promise<CustomField[]> {
    return (await this.client.fields.list(query)).data;
  }
  createField(input: CreateFieldInput): Promise<CustomField> {
    return this.client.fields.create(input);
  }
  updateField(key: string, input: UpdateFieldInput): Promise<CustomField> {
    return this.client.fields.update(key, input);
  }
  deleteField(key: string): Promise<void> {
    return this.client.fields.delete(key);
  }

  async views(query: { project?: string } = {}): Promise<SavedView[]> {
    return (await this.client.views.list(query)).data;
  }
  createView(input: CreateViewInput): Promise<SavedView> {
    return this.client.views.create(input);
  }
  updateView(id: number, input: UpdateViewInput): Promise<SavedView> {
    return this.client.views.update(id, input);
  }
  deleteView(id: number): Promise<void> {
    return this.client.views.delete(id);
  }
}

/** How the shell names each field type, with its icon. */
export const FIELD_TYPE_INFO: Record<FieldType, { label: string; icon: string; hint: string }> = {
  text: { label: 'Text', icon: 'short_text', hint: 'A line of text, up to 500 characters' },
  number: { label: 'Number', icon: 'numbers', hint: 'Any number; sorts and filters by range' },
  date: { label: 'Date', icon: 'event', hint: 'A day; sorts and filters by range' },
  select: { label: 'Single select', icon: 'arrow_drop_down_circle', hint: 'One of a list of options' },
  multi_select: { label: 'Multi-select', icon: 'checklist', hint: 'Any of a list of options' },
  user: { label: 'Person', icon: 'person', hint: 'Someone in the workspace' },
  checkbox: { label: 'Checkbox', icon: 'check_box', hint: 'Yes or no' },
  url: { label: 'Link', icon: 'link', hint: 'An https:// address' },
};

/** Whether a field of this type has options. */
export function hasOptions(type: FieldType): boolean {
  return type === 'select' || type === 'multi_select';
}

/**
 * A field key from its name ("Story points" → "story_points"): lower-case
 * letters, digits and _, starting with a letter, at most 40; a key already
 * taken gets a number (`story_points_2`).
 */
export function suggestFieldKey(name: string, taken: Iterable<string> = []): string {
  const base = suggestStatusKey(name).replace(/_{2,}/g, '_').replace(/_+$/, '');
  if (!base) return '';
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const key = base.slice(0, 40 - suffix.length).replace(/_+$/, '') + suffix;
    if (!used.has(key)) return key;
  }
}

/** Colours for labels and options (the API takes any #rrggbb). */
export const LABEL_COLORS = ['#6b7280', '#dc2626', '#ea580c', '#ca8a04', '#16a34a', '#0d9488', '#2563eb', '#7c3aed', '#db2777'];

/** "Every project", or the names of the projects an item is limited to (ids of projects you cannot see are counted). */
export function projectNames(ids: number[] | null, projects: readonly Pick<Project, 'id' | 'name'>[]): string {
  if (ids === null) return 'All projects';
  if (!ids.length) return 'No project';
  const byId = new Map(projects.map((project) => [project.id, project.name]));
  const names = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  const hidden = ids.length - names.length;
  if (hidden) names.push(hidden === 1 ? '1 other project' : `${hidden} other projects`);
  return names.join(', ');
}

// Saved views: the filters of a board or list, as a query string and back.

/** The filters a board or list element has, by attribute name (empty ones are left out). */
export type ViewFilters = Partial<Record<string, string>>;

/** The filter properties of tb-task-board and tb-task-list that are list parameters of the same name (`cf` is expanded: see {@link elementFilters}). */
export const ELEMENT_FILTERS = ['status', 'priority', 'assignee', 'q', 'sort', 'label'] as const;

/** `{ assignee: 'me', q: 'login bug' }` → `assignee=me&q=login+bug`, in a stable order; a list's default sort is left out. */
export function viewQuery(filters: ViewFilters): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters).sort(([a], [b]) => a.localeCompare(b))) {
    const text = value?.trim();
    if (!text || (name === 'sort' && text === '-updatedAt')) continue;
    params.set(name, text);
  }
  return params.toString();
}

/** Names for the ids a view's query holds (labels, fields and their options, people, statuses). */
export interface QueryNames {
  labels?: readonly Pick<Label, 'id' | 'name'>[];
  fields?: readonly Pick<CustomField, 'key' | 'name' | 'options'>[];
  users?: readonly { id: number; name: string }[];
  statuses?: readonly { key: string; name: string }[];
}

const SORT_NAMES: Record<string, string> = { createdAt: 'created', updatedAt: 'last updated', dueDate: 'due date', priority: 'priority' };
const PRIORITY_NAMES: Record<string, string> = { low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' };

/** A view's filters for people: "Priority: High · Assignee: me · Labels: Bug, UX · Sorted by due date". */
export function describeViewQuery(query: string, names: QueryNames = {}): string {
  const params = new URLSearchParams(query);
  const list = (value: string, name: (item: string) => string | undefined) =>
    value.split(',').map((item) => name(item.trim()) ?? item.trim()).join(', ');
  const labelName = (ref: string) => names.labels?.find((label) => String(label.id) === ref || label.name.toLowerCase() === ref.toLowerCase())?.name;
  const parts: string[] = [];
  let sort = '';
  for (const [name, value] of params) {
    switch (name) {
      case 'q': parts.push(`Search: “${value}”`); break;
      case 'status': parts.push(`Status: ${list(value, (key) => names.statuses?.find((status) => status.key === key)?.name)}`); break;
      case 'priority': parts.push(`Priority: ${list(value, (key) => PRIORITY_NAMES[key])}`); break;
      case 'assignee':
        parts.push(`Assignee: ${list(value, (ref) => (ref === 'none' ? 'nobody' : names.users?.find((user) => String(user.id) === ref)?.name))}`);
        break;
      case 'label': parts.push(`Labels: ${list(value, labelName)}`); break;
      case 'labelAll': parts.push(`All of the labels: ${list(value, labelName)}`); break;
      case 'parent': parts.push(value === 'none' ? 'Top-level tasks' : `Subtasks of ${value}`); break;
      case 'sort': {
        const field = value.replace(/^-/, '');
        const custom = field.startsWith('cf.') ? names.fields?.find((f) => f.key === field.slice(3))?.name ?? field.slice(3) : undefined;
        sort = `Sorted by ${custom ?? SORT_NAMES[field] ?? field}${value.startsWith('-') ? ', descending' : ''}`;
        break;
      }
      default: {
        const match = /^cf\.([^.]+)(?:\.(gte|lte|empty))?$/.exec(name);
        if (!match) {
          parts.push(`${name}: ${value}`);
          break;
        }
        const [, key, op] = match;
        const def = names.fields?.find((f) => f.key === key);
        const label = def?.name ?? key;
        if (op === 'gte') parts.push(`${label} ≥ ${value}`);
        else if (op === 'lte') parts.push(`${label} ≤ ${value}`);
        else if (op === 'empty') parts.push(value === 'true' ? `No ${label}` : `Has ${label}`);
        else parts.push(`${label}: ${list(value, (id) => def?.options.find((option) => option.id === id)?.name)}`);
      }
    }
  }
  if (sort) parts.push(sort);
  return parts.join(' · ');
}

/** Text colour that reads on a background of this #rrggbb (black or white, by WCAG contrast). */
export function textOn(background: string): '#000000' | '#ffffff' {
  const match = /^#?([0-9a-f]{6})$/i.exec(background.trim());
  if (!match) return '#000000';
  const value = parseInt(match[1], 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
  // Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05): pick the larger.
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? '#000000' : '#ffffff';
}

/** A position between two neighbours' (either may be missing: the start or the end of the list). */
export function positionBetween(before: number | undefined, after: number | undefined): number {
  if (before === undefined && after === undefined) return 0;
  if (before === undefined) return after! - 1;
  if (after === undefined) return before + 1;
  return (before + after) / 2;
}

/**
 * The filters a tb-task-board or tb-task-list element shows now (its filter
 * bar changes its properties), as list parameters: its `cf` property
 * (`tier=gold&points.gte=3`) becomes `cf.tier=gold`, `cf.points.gte=3`.
 */
export function elementFilters(element: object | null | undefined): ViewFilters {
  const filters: ViewFilters = {};
  if (!element) return filters;
  const props = element as Record<string, unknown>;
  for (const name of ELEMENT_FILTERS) {
    const value = props[name];
    if (typeof value === 'string' && value.trim()) filters[name] = value.trim();
    else if (Array.isArray(value) && value.length) filters[name] = value.join(',');
  }
  if (typeof props['cf'] === 'string') {
    for (const [key, value] of new URLSearchParams(props['cf'])) if (key && value.trim()) filters[`cf.${key}`] = value.trim();
  }
  return filters;
}

/**
 * The `projectIds` to send from a project picker: the projects chosen, plus
 * those the item was limited to that the picker cannot list (archived, or not
 * visible to you), which the picker must not drop; nothing at all is `null`,
 * every project.
 */
export function projectLimit(chosen: readonly number[], before: readonly number[] | null, listed: readonly number[]): number[] | null {
  const shown = new Set(listed);
  const kept = (before ?? []).filter((id) => !shown.has(id));
  const ids = [...new Set([...chosen, ...kept])];
  return ids.length ? ids : null;
}

/** How many of an item's projects a picker of these projects cannot list. */
export function unlistedProjects(before: readonly number[] | null, listed: readonly number[]): number {
  const shown = new Set(listed);
  return (before ?? []).filter((id) => !shown.has(id)).length;
}
