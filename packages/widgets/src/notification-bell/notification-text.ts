import type { Notification, WorkflowStatus } from '@taskbase/sdk';
import type { StringKey } from '../shared/locale.js';
import { statusLabel } from '../shared/workflow.js';

type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

// The API writes `<actor> moved "<title>" to <status key with a space for each "_">`. A notification
// carries no structured payload, so the status is read back from that sentence to show its label.
const STATUS_CHANGE = /^(.*) moved "(.*)" to ([a-z][a-z0-9 ]*)$/s;

/**
 * A notification's text with human labels ("In progress", not "in progress"),
 * in the widget's language. `workflow`: the statuses known (of the projects
 * the user sees), whose names label custom statuses.
 */
export function notificationText(item: Pick<Notification, 'type' | 'message'>, t: Translate, workflow?: readonly WorkflowStatus[]): string {
  if (item.type !== 'task.status_changed') return item.message;
  const match = STATUS_CHANGE.exec(item.message);
  if (!match) return item.message;
  const status = match[3]!.replace(/ /g, '_');
  return t('notification.statusChanged', { actor: match[1]!, title: match[2]!, status: statusLabel(status, t, workflow) });
}
