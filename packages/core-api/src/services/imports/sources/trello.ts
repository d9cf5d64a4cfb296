import { readFile, stat } from 'node:fs/promises';
import type { RowError, SourceReader, TaskRecord } from '../records.js';
import { LIMITS } from './values.js';
import { Workflow } from './workflow.js';
import { labelColor, type TrelloBoard, type TrelloCard } from './trelloBoard.js';

/**
 * A Trello board export is one JSON document, read whole. Trello puts at
 * most the last 1,000 actions in it, so even a board of thousands of cards
 * stays within tens of megabytes; a file past this is not one.
 */
export const TRELLO_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Reads a Trello board export (Board menu → Print, export and share →
 * Export as JSON) as one project:
 * - open lists → the workflow's statuses, in board order (archived lists are
 *   dropped; their cards, like archived cards, go to the done status, completed);
 * - cards → tasks (title, description, list, labels, members, due date;
 *   attachments as links appended to the description: the export does not
 *   carry Trello's files); created-at from the card id's timestamp;
 * - checklist items → subtasks of their card, done when checked;
 * - labels → labels, by name, or by colour when unnamed;
 * - members → users only when the export gives their email (Trello's exports
 *   normally do not): no address is made up, their cards stay unassigned;
 * - `commentCard` actions → comments, oldest first, attributed to their
 *   author when that author is a user, else prefixed with the author's name.
 * A record that cannot be read yields a RowError whose `line` is its
 * 1-based position in the array its `field` names (JSON has no useful lines).
 */
export const readTrello: SourceReader = async function* (path) {
  const board = await load(path);
  if ('kind' in board) {
    yield board;
    return;
  }
  const lists = [...(board.lists ?? [])].sort((a, b) => (a.pos ?? 0) - (b.pos ?? 0));
  const workflow = new Workflow();
  const statusOfList = new Map<string, string>();
  for (const list of lists) if (!list.closed) statusOfList.set(list.id, workflow.add(String(list.name ?? ''))?.key ?? '');
  const done = workflow.done();
  const first = workflow.statuses[0]!;

  const users = new Map<string, string>();
  for (const member of board.members ?? []) if (typeof member.email === 'string' && member.email.includes('@')) users.set(member.id, member.email.toLowerCase());
  const labelNames = new Map<string, string>();
  for (const label of board.labels ?? []) labelNames.set(label.id, (label.name?.trim() || label.color || 'label').slice(0, LIMITS.label));

  const project = String(board.id ?? 'trello-board');
  yield {
    kind: 'project',
    externalId: project,
    name: (String(board.name ?? '').trim() || 'Trello board').slice(0, 200),
    description: typeof board.desc === 'string' ? board.desc.slice(0, 5000) : undefined,
    statuses: workflow.statuses,
    memberExternalIds: [...users.keys()],
  };
  const labelsSeen = new Set<string>();
  for (const label of board.labels ?? []) {
    const name = labelNames.get(label.id)!;
    if (labelsSeen.has(name.toLowerCase())) continue;
    labelsSeen.add(name.toLowerCase());
    yield { kind: 'label', externalId: label.id, name, color: labelColor(label.color) };
  }
  for (const member of board.members ?? []) {
    const email = users.get(member.id);
    if (email) yield { kind: 'user', externalId: member.id, email, name: String(member.fullName || member.username || email).slice(0, 200) };
  }

  const cardStatus = new Map<string, string>();
  const cards = (board.cards ?? []).map((card, index) => ({ card, position: index + 1 })).sort((a, b) => (a.card.pos ?? 0) - (b.card.pos ?? 0));
  for (const { card, position } of cards) {
    const record = taskOf(card, position);
    if (record.kind === 'error') {
      yield record;
      continue;
    }
    const listStatus = statusOfList.get(card.idList ?? '');
    const closed = Boolean(card.closed) || listStatus === undefined;
    const status = closed ? done.key : listStatus || first.key;
    cardStatus.set(card.id, status);
    const members = (card.idMembers ?? []).filter((id) => users.has(id));
    yield {
      ...record,
      projectExternalId: project,
      status,
      assigneeExternalId: members[0],
      watcherExternalIds: members.slice(1),
      labels: [...new Set((card.idLabels ?? []).map((id) => labelNames.get(id)).filter((name): name is string => Boolean(name)))],
      completedAt: closed ? (card.dateLastActivity ?? null) : null,
    };
  }

  for (const [index, checklist] of (board.checklists ?? []).entries()) {
    const parentStatus = cardStatus.get(checklist.idCard ?? '');
    if (parentStatus === undefined) continue; // its card is not in the export
    for (const item of checklist.checkItems ?? []) {
      const title = String(item.name ?? '').trim();
      if (!title || title.length > LIMITS.title) {
        yield { kind: 'error', line: index + 1, field: 'checklists.checkItems.name', message: title ? `is longer than ${LIMITS.title} characters` : 'The checklist item has no name' };
        continue;
      }
      const complete = item.state === 'complete';
      yield {
        kind: 'task',
        externalId: item.id,
        projectExternalId: project,
        parentExternalId: checklist.idCard,
        title,
        description: checklist.name ? `From the checklist “${checklist.name}”.` : undefined,
        status: complete ? done.key : parentStatus,
        assigneeExternalId: item.idMember && users.has(item.idMember) ? item.idMember : undefined,
        dueDate: item.due ?? null,
        completedAt: complete ? (createdAt(item.id) ?? null) : null,
      } satisfies TaskRecord;
    }
  }

  // Trello lists actions newest first.
  const actions = (board.actions ?? []).map((action, index) => ({ action, index })).reverse();
  for (const { action, index } of actions) {
    if (action.type !== 'commentCard') continue;
    const cardId = action.data?.card?.id;
    const text = String(action.data?.text ?? '');
    if (!cardId || !cardStatus.has(cardId) || !text.trim()) continue;
    const author = action.idMemberCreator && users.has(action.idMemberCreator) ? action.idMemberCreator : undefined;
    const name = action.memberCreator?.fullName || action.memberCreator?.username;
    const body = author || !name ? text : `**${name}** (on Trello):\n\n${text}`;
    if (body.length > LIMITS.comment) {
      yield { kind: 'error', line: index + 1, field: 'actions.data.text', message: `The comment is longer than ${LIMITS.comment} characters` };
      continue;
    }
    yield { kind: 'comment', externalId: action.id, taskExternalId: cardId, authorExternalId: author, body, createdAt: action.date };
  }
};

async function load(path: string): Promise<TrelloBoard | RowError> {
  const notBoard = (message: string): RowError => ({ kind: 'error', line: 1, field: 'file', message });
  if ((await stat(path)).size > TRELLO_MAX_BYTES) return notBoard(`A Trello export is at most ${TRELLO_MAX_BYTES / 1024 / 1024} MB`);
  let board: unknown;
  try {
    board = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch {
    return notBoard('The file is not JSON: export the board from Trello as JSON');
  }
  if (!board || typeof board !== 'object' || !Array.isArray((board as TrelloBoard).cards) || !Array.isArray((board as TrelloBoard).lists)) {
    return notBoard('This is not a Trello board export: it has no cards and lists');
  }
  return board as TrelloBoard;
}

/** A card as a task, its title and description checked; status, labels and people are the caller's. */
function taskOf(card: TrelloCard, position: number): TaskRecord | RowError {
  const title = String(card.name ?? '').trim();
  if (!card.id) return { kind: 'error', line: position, field: 'cards.id', message: 'The card has no id' };
  if (!title) return { kind: 'error', line: position, field: 'cards.name', message: 'The card has no name' };
  if (title.length > LIMITS.title) return { kind: 'error', line: position, field: 'cards.name', message: `is longer than ${LIMITS.title} characters` };
  const links = (card.attachments ?? []).filter((a) => typeof a.url === 'string' && /^https?:\/\//.test(a.url)).map((a) => `- [${(a.name || a.url!).replace(/[[\]]/g, '')}](${a.url})`);
  let description = String(card.desc ?? '');
  if (links.length > 0) description += `${description ? '\n\n' : ''}**Attachments** (links to Trello):\n${links.join('\n')}`;
  if (description.length > LIMITS.description) return { kind: 'error', line: position, field: 'cards.desc', message: `is longer than ${LIMITS.description} characters` };
  return {
    kind: 'task',
    externalId: card.id,
    title,
    description: description || undefined,
    dueDate: card.due ?? null,
    createdAt: createdAt(card.id),
  };
}

/** Trello ids are MongoDB ObjectIds: the first 8 hex digits are the creation time in seconds. */
function createdAt(id: string): string | undefined {
  return /^[0-9a-f]{24}$/i.test(id) ? new Date(parseInt(id.slice(0, 8), 16) * 1000).toISOString() : undefined;
}
