import type { CsvMapping, CsvTarget } from './records.js';

/**
 * Header names, squeezed (lower case, letters and digits only), that say
 * where a column goes: plain English, Asana's export, and the exports of
 * Jira, Linear, GitHub, Trello (CSV), ClickUp, Monday and Todoist. The first
 * column to match a target takes it; the rest are ignored.
 */
const NAMES: Array<[Exclude<CsvTarget, `fields.${string}` | 'ignore'>, string[]]> = [
  ['externalId', ['id', 'key', 'taskid', 'issueid', 'issuekey', 'externalid', 'ref', 'reference', 'number', 'no', 'cardid', 'itemid']],
  ['title', ['title', 'name', 'summary', 'task', 'taskname', 'subject', 'cardname', 'item', 'itemname', 'content']],
  ['description', ['description', 'notes', 'note', 'details', 'body', 'desc', 'carddescription']],
  ['status', ['status', 'state', 'sectioncolumn', 'section', 'column', 'list', 'listname', 'stage', 'workflowstate']],
  ['priority', ['priority', 'importance']],
  ['assigneeEmail', ['assigneeemail', 'email', 'assignedtoemail', 'owneremail', 'assignee', 'assignedto', 'owner']],
  ['dueDate', ['duedate', 'due', 'deadline', 'dueon', 'dueat', 'targetdate', 'enddate']],
  ['labels', ['labels', 'label', 'tags', 'tag', 'categories', 'category']],
  ['parentExternalId', ['parent', 'parenttask', 'parentid', 'parentkey', 'parentissue', 'parentissueid', 'parentitem']],
  ['createdAt', ['createdat', 'created', 'createddate', 'creationdate', 'datecreated', 'createdon']],
];
const TARGET_OF = new Map(NAMES.flatMap(([target, names]) => names.map((name) => [name, target] as const)));
/** Name-only columns that may hold people's names rather than addresses: mapped only when the sample shows addresses. */
const PEOPLE = new Set(['assignee', 'assignedto', 'owner']);

const squeeze = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A first mapping for a CSV's columns, from their names (and, for people, their sample values); the wizard lets the user change it. */
export function suggestMapping(columns: string[], sample: string[][]): CsvMapping {
  const mapping: CsvMapping = {};
  const taken = new Set<CsvTarget>();
  columns.forEach((column, index) => {
    if (!column || column in mapping) return;
    const name = squeeze(column);
    let target: CsvTarget = TARGET_OF.get(name) ?? 'ignore';
    if (target === 'assigneeEmail' && PEOPLE.has(name) && !sample.some((row) => row[index]?.includes('@'))) target = 'ignore';
    if (target !== 'ignore' && target !== 'labels' && taken.has(target)) target = 'ignore';
    taken.add(target);
    mapping[column] = target;
  });
  return mapping;
}
