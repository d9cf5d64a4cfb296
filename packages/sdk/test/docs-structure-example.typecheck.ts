// The example of docs/sdk.md ("Labels, custom fields, links, watchers and views"), type-checked with the package: never run.
import { createClient } from '../src/index.js';
const client = createClient({ url: 'http://x' });
async function f() {
  const bug = await client.labels.create({ name: 'Bug', color: '#dc2626' });
  await client.fields.create({ key: 'tier', name: 'Tier', type: 'select', options: [{ name: 'Gold' }, { name: 'Silver' }] });
  const task = await client.tasks.create({ title: 'Renew Acme', labelIds: [bug.id], fields: { tier: 'gold', deal_value: 12000 } });
  await client.tasks.create({ title: 'Draft the offer', parentId: task.id });
  await client.tasks.relations.add(task.id, { type: 'blocks', taskId: 'CRM-9' });
  await client.tasks.watchers.add(task.id);
  await client.tasks.remove(task.id, { cascade: true });
  const gold = await client.tasks.list({ label: ['Bug'], 'cf.tier': 'gold', sort: '-cf.deal_value' });
  const view = await client.views.create({ name: 'Gold deals', query: 'cf.tier=gold', shared: true });
  const sameTasks = await client.tasks.list({ view: view.id });
  const perLabel = await client.analytics.byLabel({ project: 'CRM' });
  return [gold, sameTasks, perLabel];
}
void f;
