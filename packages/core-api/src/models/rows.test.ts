import type { TObject } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { CommentSnapshot } from '../schemas/comments.js';
import { CustomField } from '../schemas/fields.js';
import { Label } from '../schemas/labels.js';
import { SavedView } from '../schemas/views.js';
import { Notification } from '../schemas/notifications.js';
import { TaskSnapshot } from '../schemas/tasks.js';
import { WebhookEndpoint } from '../schemas/webhookEndpoint.js';
import { WebhookAttempt, WebhookDelivery } from '../schemas/webhooks.js';
import { TIMESTAMP_NAME, rowSerializer, timestampFields } from './rows.js';
import { taskSnapshot } from './Task.js';

const STORED: Record<string, TObject> = { TaskSnapshot, Label, CustomField, SavedView, CommentSnapshot, Notification, WebhookEndpoint, WebhookDelivery, WebhookAttempt };

describe('stored rows derived from the API schemas', () => {
  it('types as Date exactly the fields the schemas declare as timestamps (the naming rule StoredRow relies on)', () => {
    for (const [name, schema] of Object.entries(STORED)) {
      const byName = Object.keys(schema.properties).filter((field) => TIMESTAMP_NAME.test(field));
      expect(byName, name).toEqual(timestampFields(schema));
    }
  });

  it('serializes a task row as the API shows it: every field in order, timestamps as ISO text, nulls kept', () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const row = {
      id: 7, workspaceId: 3, projectId: 4, number: 1, identifier: 'GEN-1', title: 'T', description: '', descriptionHtml: '', status: 'todo', statusCategory: 'unstarted', priority: 'high', assignedTo: null, createdBy: 2,
      dueDate: null, position: 1024, version: 1, externalId: null, completedAt: at, labels: [{ id: 5, name: 'Bug', color: '#dc2626' }], parentId: null,
      subtasks: { total: 2, completed: 1 }, blockedBy: 0, fields: { tier: 'gold' }, recurrence: null, recurrenceOf: null, createdAt: at, updatedAt: at,
    } satisfies Parameters<typeof taskSnapshot>[0];
    const dto = taskSnapshot(row);
    expect(Object.keys(dto)).toEqual(Object.keys(TaskSnapshot.properties));
    expect(dto).toEqual({ ...row, completedAt: at.toISOString(), createdAt: at.toISOString(), updatedAt: at.toISOString() });
  });

  it('leaves out columns the schema does not name', () => {
    const serialize = rowSerializer<{ id: number }>(Notification);
    expect(serialize({ id: 1, secret: 'x' } as never)).not.toHaveProperty('secret');
  });
});
