import { html, nothing } from 'lit';
import type { Task, User } from '@taskbase/sdk';
import { avatarColor, isOverdue } from '../shared/format.js';
import { avatarInitials } from '../shared/initials.js';
import type { StringKey } from '../shared/locale.js';
import { renderTags, structureText } from '../shared/structure.js';

export interface CardContext {
  t: (key: StringKey, vars?: Record<string, string | number>) => string;
  date: (iso: string) => string;
  users: Map<number, User>;
  grabbedId: number | undefined;
  draggingId: number | undefined;
}

/** One card: title, labels, identifier (`CRM-42`), priority, subtask progress, "Blocked", due date (overdue marked) and assignee. */
export function renderCard(task: Task, ctx: CardContext) {
  const assignee = task.assignedTo === null ? undefined : ctx.users.get(task.assignedTo);
  const overdue = isOverdue(task);
  const priority = ctx.t(`priority.${task.priority}`);
  // The card's name is all a screen reader says of it: its labels, progress and blockers too.
  const label = [ctx.t('cardLabel', { title: task.identifier ? `${task.identifier} ${task.title}` : task.title, priority, assignee: assignee?.name ?? ctx.t('unassigned') }), ...structureText(task, ctx.t)].join(', ');
  return html`<li
    class="card ${ctx.grabbedId === task.id ? 'grabbed' : ''} ${ctx.draggingId === task.id ? 'dragging' : ''}"
    part="card${ctx.grabbedId === task.id ? ' card-grabbed' : ''}"
    data-id=${task.id}
    tabindex="0"
    draggable=${task.can.includes('move') ? 'true' : 'false'}
    aria-roledescription="task card"
    aria-label=${label}
    aria-describedby="hint"
  >
    <span class="card-title" part="card-title">${task.title}</span>
    ${renderTags(task, ctx.t)}
    <span class="card-meta">
      ${task.identifier ? html`<span class="card-id" part="card-id">${task.identifier}</span>` : nothing}
      <span class="pill p-${task.priority}" part="priority">${priority}</span>
      ${task.dueDate
        ? html`<span class="due ${overdue ? 'overdue' : ''}" part="due">
            ${overdue ? html`<span class="overdue-mark" aria-hidden="true">!</span>` : nothing}
            <span class="sr-only">${overdue ? ctx.t('overdue') : ''}</span>${ctx.date(task.dueDate)}
          </span>`
        : nothing}
      <span class="spacer"></span>
      ${assignee
        ? html`<span class="avatar" part="avatar" style="--_avatar:${avatarColor(assignee.id)}" title=${assignee.name} aria-hidden="true"
            >${avatarInitials(assignee, ctx.users)}</span
          >`
        : nothing}
    </span>
  </li>`;
}
