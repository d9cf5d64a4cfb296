import type { EventType, User } from '@taskbase/sdk';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { en, type StringKey } from '../src/shared/strings-en.js';
import { fr } from '../src/shared/strings-fr.js';
import { translate } from '../src/shared/locale.js';
import { ACTIVITY_WORDING, describeActivity } from '../src/task-detail/activity.js';
import { notificationText } from '../src/notification-bell/notification-text.js';
import { statusLabel } from '../src/shared/workflow.js';

const ada = { id: 1, name: 'Ada Lovelace' } as User;
const bob = { id: 2, name: 'Bob Builder' } as User;
const ctx = (locale = 'en') => ({
  t: (key: StringKey, vars?: Record<string, string | number>) => translate(locale, key, undefined, vars),
  users: new Map([ada, bob].map((user) => [user.id, user])),
  date: (iso: string) => iso,
  day: (iso: string) => iso.slice(0, 10),
});

/** Activity wording derives from the server's event catalog (the SDK's EventType), issue 14. */
describe('activity wording', () => {
  it('is keyed by every event type of the catalog, and only by them (checked by tsc)', () => {
    expectTypeOf<keyof typeof ACTIVITY_WORDING>().toEqualTypeOf<EventType>();
    // @ts-expect-error: a catalog type without its wording does not compile
    const incomplete: typeof ACTIVITY_WORDING = { 'task.created': 'activity.task.created' };
    // @ts-expect-error: nor does wording for a type the catalog does not have
    const unknown: typeof ACTIVITY_WORDING = { ...ACTIVITY_WORDING, 'task.archived': 'activity.other' };
    expect([incomplete, unknown]).toHaveLength(2);
  });

  it('words each string-worded type in English and in French (no fallback to English)', () => {
    const keys = Object.values(ACTIVITY_WORDING).filter((wording): wording is StringKey => typeof wording === 'string');
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) {
      expect(en[key], key).toMatch(/\S/);
      expect(fr[key], key).toMatch(/\S/);
      expect(fr[key], key).not.toBe(en[key]);
    }
  });

  it('says who did what, with labels and names', () => {
    const say = (type: string, payload: Record<string, unknown>, locale?: string) => describeActivity({ type, actorId: 1, payload }, ctx(locale));
    expect(say('task.created', {})).toBe('Ada Lovelace created the task');
    expect(say('task.updated', { changes: { status: { from: 'todo', to: 'in_review' }, title: { from: 'a', to: 'b' } } })).toBe(
      'Ada Lovelace changed status from To do to In review, title',
    );
    expect(say('task.updated', { changes: { position: { from: 1, to: 2 } } })).toBe('Ada Lovelace reordered the task');
    expect(say('task.status_changed', { from: 'todo', to: 'done' })).toBe('Ada Lovelace changed status from To do to Done');
    expect(say('task.assigned', { from: null, to: 2 })).toBe('Ada Lovelace changed assignee from Unassigned to Bob Builder');
    expect(say('task.deleted', {})).toBe('Ada Lovelace deleted the task');
    expect(say('user.deactivated', { user: bob })).toBe('Ada Lovelace deactivated Bob Builder');
    expect(say('comment.created', {}, 'fr')).toBe('Ada Lovelace a commenté');
    expect(describeActivity({ type: 'comment.deleted', actorId: null, payload: {} }, ctx())).toBe('Someone deleted a comment');
  });

  it('words labels, parents, custom fields, links and watchers (issue 17)', () => {
    const size = { name: 'Size', type: 'select' as const, options: [{ id: 's', name: 'Small', color: '#000000' }, { id: 'l', name: 'Large', color: '#000000' }] };
    const lookups = {
      label: (id: number) => ({ 1: 'Bug', 2: 'Docs' })[id],
      field: (key: string) => (key === 'size' ? size : key === 'urgent' ? { name: 'Urgent', type: 'checkbox' as const, options: [] } : undefined),
      task: (id: number) => (id === 7 ? 'CRM-7' : undefined),
    };
    const say = (type: string, payload: Record<string, unknown>, locale?: string) => describeActivity({ type, actorId: 1, payload }, { ...ctx(locale), ...lookups });
    expect(say('task.updated', { changes: { labelIds: { from: [2], to: [1] } } })).toBe('Ada Lovelace changed labels: added Bug; removed Docs');
    expect(say('task.updated', { changes: { labelIds: { from: [], to: [1, 9] } } })).toBe('Ada Lovelace changed labels: added Bug, #9');
    expect(say('task.updated', { changes: { parentId: { from: null, to: 7 } } })).toBe('Ada Lovelace changed parent task from None to CRM-7');
    expect(say('task.updated', { changes: { 'fields.size': { from: 's', to: 'l' }, 'fields.urgent': { from: null, to: true } } })).toBe(
      'Ada Lovelace changed Size from Small to Large, Urgent from None to Yes',
    );
    expect(say('task.updated', { changes: { 'fields.gone': { from: 'a', to: null } } })).toBe('Ada Lovelace changed gone from a to None');
    // Changes that list names are told apart by semicolons.
    expect(say('task.updated', { changes: { labelIds: { from: [], to: [1, 2] }, 'fields.size': { from: null, to: 'l' } } })).toBe('Ada Lovelace changed labels: added Bug, Docs; Size from None to Large');
    expect(say('task.updated', { changes: { 'fields.size': { from: null, to: 'l' } } }, 'fr')).toBe('Ada Lovelace a modifié Size de Aucun à Large');
    const relation = { id: 3, type: 'blocks', taskId: 5, relatedTaskId: 7 };
    expect(say('task.relation_added', { relation })).toBe('Ada Lovelace linked the task: blocks CRM-7');
    expect(say('task.relation_removed', { relation: { ...relation, type: 'blocked_by', relatedTaskId: 8 } })).toBe('Ada Lovelace removed the link: blocked by #8');
    expect(say('task.watcher_added', { task: { id: 5, title: 'x' }, user: { id: 1, name: 'Ada Lovelace' } })).toBe('Ada Lovelace started watching the task');
    expect(say('task.watcher_added', { task: { id: 5, title: 'x' }, user: { id: 2 } })).toBe('Ada Lovelace added Bob Builder as a watcher');
    expect(say('task.watcher_removed', { task: { id: 5, title: 'x' }, user: { id: 1 } }, 'fr')).toBe('Ada Lovelace ne suit plus la tâche');
    expect(say('label.created', { label: { name: 'Bug' } })).toBe('Ada Lovelace created the label Bug');
    expect(say('field.deleted', { field: { name: 'Size' } })).toBe('Ada Lovelace deleted the field Size');
    expect(say('view.updated', { view: { name: 'My bugs' } }, 'fr')).toBe('Ada Lovelace a modifié la vue partagée My bugs');
    // Without the lookups (another feed): ids and keys, still a sentence.
    expect(describeActivity({ type: 'task.updated', actorId: 1, payload: { changes: { labelIds: { from: [], to: [4] }, 'fields.size': { from: null, to: 'l' } } } }, ctx())).toBe(
      'Ada Lovelace changed labels: added #4, size from None to l',
    );
  });

  it('falls back for a type a newer server sends (and for names of Object.prototype)', () => {
    expect(describeActivity({ type: 'task.archived', actorId: 1, payload: {} }, ctx())).toBe('Ada Lovelace: task.archived');
    expect(describeActivity({ type: 'constructor', actorId: 1, payload: {} }, ctx())).toBe('Ada Lovelace: constructor');
  });

  it('labels statuses from the workflow: custom names everywhere, the widgets\' strings for untouched default statuses', () => {
    const workflow = [
      { key: 'todo', name: 'To do', color: '#64748b', category: 'unstarted' as const },
      { key: 'in_progress', name: 'Doing', color: '#2563eb', category: 'started' as const },
      { key: 'qa_check', name: 'QA check', color: '#9333ea', category: 'started' as const },
    ];
    const t = ctx('fr').t;
    expect(statusLabel('todo', t, workflow)).toBe('À faire');
    expect(statusLabel('in_progress', t, workflow)).toBe('Doing');
    expect(statusLabel('qa_check', t, workflow)).toBe('QA check');
    expect(statusLabel('qa_check', t)).toBe('Qa check');
    expect(statusLabel('done', t)).toBe('Terminé');
    const status = (key: string) => statusLabel(key, ctx().t, workflow);
    const say = (type: string, payload: Record<string, unknown>) => describeActivity({ type, actorId: 1, payload }, { ...ctx(), status, project: (id: number) => (id === 7 ? 'Customer deals' : undefined) });
    expect(say('task.updated', { changes: { status: { from: 'todo', to: 'qa_check' } } })).toBe('Ada Lovelace changed status from To do to QA check');
    expect(say('task.project_changed', { task: {}, from: 7, to: 9 })).toBe('Ada Lovelace moved the task from Customer deals to #9');
    expect(say('project.workflow_changed', { project: { name: 'Customer deals' }, change: {} })).toBe('Ada Lovelace changed the workflow of Customer deals');
    expect(say('project.member_added', { project: { name: 'Customer deals' }, user: { id: 2 } })).toBe('Ada Lovelace added Bob Builder to Customer deals');
    expect(notificationText({ type: 'task.status_changed', message: 'Ada moved "Ship it" to qa check' }, ctx().t, workflow)).toBe('Ada moved “Ship it” to QA check');
    expect(notificationText({ type: 'task.status_changed', message: 'Ada moved "Ship it" to in progress' }, ctx('fr').t)).toBe(translate('fr', 'notification.statusChanged', undefined, { actor: 'Ada', title: 'Ship it', status: 'En cours' }));
  });
});
