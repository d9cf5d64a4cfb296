import type { Notification, TaskStatus } from '@taskbase/sdk';
import type { StringKey } from '../shared/locale.js';
import { STATUSES } from '../shared/format.js';

type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

// The API writes `<actor> moved "<title>" to <status key with a space for "_">`. A notification
// carries no structured payload, so the status is read back from that sentence to show its label.
const STATUS_CHANGE = /^(.*) moved "(.*)" to ([a-z ]+)$/s;

/** A notification's text with human labels ("In progress", not "in progress"), in the widget's language. */
export function notificationText(item: Pick<Notification, 'type' | 'message'>, t: Translate): string {
  if (item.type !== 'task.status_changed') return item.message;
  const match = STATUS_CHANGE.exec(item.message);
  const status = match?.[3]!.replace(' ', '_') as TaskStatus | undefined;
  if (!match || !status || !STATUSES.includes(status)) return item.message;
  return t('notification.statusChanged', { actor: match[1]!, title: match[2]!, status: t(`status.${status}`) });
}
