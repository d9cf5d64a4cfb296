import { addStrings, type StringKey } from './locale.js';

/** The notification kinds a person can route (the API's `kinds`, in display order). */
export const KINDS = ['assigned', 'mentioned', 'commented', 'status_changed', 'due_soon', 'overdue', 'reminder', 'watched_change'] as const;

// Strings of the bell and the preference center, kept out of the shared dictionaries so the
// other elements do not carry them. Override any of them with registerLocale() or `strings`.
export const notificationsEn = {
  notificationsEmptyHint: 'New activity on your tasks shows up here.',
  groupByTask: 'Group by task',
  archive: 'Archive',
  archived: 'Archived {name}',
  undo: 'Undo',
  notificationCount: '{count} notifications',
  unread: 'Unread',
  justNow: 'just now',
  'kind.assigned': 'Assignments',
  'kind.mentioned': 'Mentions',
  'kind.commented': 'Comments',
  'kind.status_changed': 'Status changes',
  'kind.due_soon': 'Due soon',
  'kind.overdue': 'Overdue',
  'kind.reminder': 'Reminders',
  'kind.watched_change': 'Watched tasks',
};

addStrings('en', notificationsEn);
addStrings('fr', {
  notificationsEmptyHint: 'L’activité de vos tâches apparaîtra ici.',
  groupByTask: 'Regrouper par tâche',
  archive: 'Archiver',
  archived: '{name} archivé',
  undo: 'Annuler',
  notificationCount: '{count} notifications',
  unread: 'Non lu',
  justNow: 'à l’instant',
  'kind.assigned': 'Attributions',
  'kind.mentioned': 'Mentions',
  'kind.commented': 'Commentaires',
  'kind.status_changed': 'Changements de statut',
  'kind.due_soon': 'Échéance proche',
  'kind.overdue': 'En retard',
  'kind.reminder': 'Rappels',
  'kind.watched_change': 'Tâches suivies',
} satisfies Record<keyof typeof notificationsEn, string>);

/** A string key of the shared dictionaries or of these. */
export type NotificationStringKey = StringKey | keyof typeof notificationsEn;

/** A kind's label key, or undefined for one this version does not know (`other`, a newer kind). */
export function kindLabel(kind: string): NotificationStringKey | undefined {
  return (KINDS as readonly string[]).includes(kind) ? (`kind.${kind}` as NotificationStringKey) : undefined;
}
