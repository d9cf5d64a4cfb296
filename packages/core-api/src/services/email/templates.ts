/** What an email is made from: plain values, escaped here for HTML. */
export interface EmailTask {
  id: number;
  identifier: string | null;
  title: string;
  link: string | undefined;
}

export interface SingleEmailInput {
  workspaceName: string;
  recipientName: string;
  kind: string;
  message: string;
  task: EmailTask | undefined;
  unsubscribeUrl: string | undefined;
}

export interface DigestItem {
  kind: string;
  message: string;
  task: EmailTask | undefined;
}

export interface DigestEmailInput {
  workspaceName: string;
  recipientName: string;
  period: 'hourly' | 'daily';
  items: DigestItem[];
  unsubscribeUrl: string | undefined;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const KIND_LABELS: Record<string, string> = {
  assigned: 'Assigned to you',
  mentioned: 'Mentions',
  commented: 'Comments',
  status_changed: 'Status changes',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  reminder: 'Reminders',
  watched_change: 'Changes to tasks you watch',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One line, no control characters (a subject is a header). */
const oneLine = (text: string, max = 200) => {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const taskName = (task: EmailTask) => (task.identifier ? `${task.identifier} ${task.title}` : task.title);

function layout(workspaceName: string, bodyHtml: string, footerText: string, unsubscribeUrl: string | undefined): string {
  const unsubscribe = unsubscribeUrl ? ` <a href="${escapeHtml(unsubscribeUrl)}">Turn these emails off</a>.` : '';
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2328;max-width:600px">
<p style="color:#57606a;font-size:13px">${escapeHtml(workspaceName)}</p>
${bodyHtml}
<p style="color:#57606a;font-size:12px;border-top:1px solid #d0d7de;padding-top:8px">${escapeHtml(footerText)}${unsubscribe}</p>
</body></html>`;
}

export function renderSingle(input: SingleEmailInput): RenderedEmail {
  const label = KIND_LABELS[input.kind] ?? 'Notifications';
  const footer = `You get this email for "${label}" in your notification settings.`;
  const subject = oneLine(input.task?.identifier ? `${input.task.identifier}: ${input.message}` : input.message);
  const text = [
    `Hi ${input.recipientName},`,
    '',
    input.message,
    ...(input.task ? ['', taskName(input.task), ...(input.task.link ? [input.task.link] : [])] : []),
    '',
    '--',
    footer,
    ...(input.unsubscribeUrl ? [`Turn these emails off: ${input.unsubscribeUrl}`] : []),
  ].join('\n');
  const taskHtml = input.task
    ? `<p>${input.task.link ? `<a href="${escapeHtml(input.task.link)}">${escapeHtml(taskName(input.task))}</a>` : escapeHtml(taskName(input.task))}</p>`
    : '';
  const html = layout(input.workspaceName, `<p>Hi ${escapeHtml(input.recipientName)},</p>\n<p>${escapeHtml(input.message)}</p>\n${taskHtml}`, footer, input.unsubscribeUrl);
  return { subject, text, html };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "status In review, 2 comments": what happened to one task, newest status last. */
function summarize(items: DigestItem[]): string {
  const count = (kind: string) => items.filter((item) => item.kind === kind).length;
  const parts: string[] = [];
  const statuses = items.filter((item) => item.kind === 'status_changed');
  if (statuses.length) {
    const last = statuses.at(-1)!.message;
    const at = last.lastIndexOf(' to ');
    parts.push(at >= 0 ? `status ${last.slice(at + 4)}` : 'status changed');
  }
  if (count('assigned')) parts.push('assigned to you');
  if (count('mentioned')) parts.push(plural(count('mentioned'), 'mention'));
  if (count('commented')) parts.push(plural(count('commented'), 'comment'));
  if (count('watched_change')) parts.push(plural(count('watched_change'), 'edit'));
  if (count('reminder')) parts.push(plural(count('reminder'), 'reminder'));
  if (count('overdue')) parts.push('overdue');
  else if (count('due_soon')) parts.push('due soon');
  return parts.join(', ') || plural(items.length, 'update');
}

/** One message for a period, grouped by task ("CRM-42: 3 updates — status In review, 2 comments"). */
export function renderDigest(input: DigestEmailInput): RenderedEmail {
  const groups = new Map<string, { task: EmailTask | undefined; items: DigestItem[] }>();
  for (const item of input.items) {
    const key = item.task ? `task:${item.task.id}` : 'none';
    const group = groups.get(key) ?? { task: item.task, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  const taskCount = [...groups.values()].filter((group) => group.task).length;
  const subject = oneLine(`${input.period === 'daily' ? 'Your daily' : 'Your hourly'} digest: ${plural(input.items.length, 'update')}${taskCount ? ` on ${plural(taskCount, 'task')}` : ''}`);
  const lines: string[] = [];
  const htmlItems: string[] = [];
  for (const { task, items } of groups.values()) {
    if (task) {
      const line = `${task.identifier ?? task.title}: ${plural(items.length, 'update')} — ${summarize(items)}`;
      lines.push(line, `  ${task.title}${task.link ? ` ${task.link}` : ''}`);
      const name = escapeHtml(task.identifier ?? task.title);
      htmlItems.push(
        `<li><strong>${task.link ? `<a href="${escapeHtml(task.link)}">${name}</a>` : name}</strong>: ${escapeHtml(plural(items.length, 'update'))} — ${escapeHtml(summarize(items))}<br><span style="color:#57606a">${escapeHtml(task.title)}</span></li>`,
      );
    } else {
      for (const item of items) {
        lines.push(item.message);
        htmlItems.push(`<li>${escapeHtml(item.message)}</li>`);
      }
    }
  }
  const footer = `You get this ${input.period} digest because of your notification settings.`;
  const text = [`Hi ${input.recipientName},`, '', ...lines, '', '--', footer, ...(input.unsubscribeUrl ? [`Turn all emails off: ${input.unsubscribeUrl}`] : [])].join('\n');
  const html = layout(input.workspaceName, `<p>Hi ${escapeHtml(input.recipientName)},</p>\n<ul>${htmlItems.join('\n')}</ul>`, footer, input.unsubscribeUrl);
  return { subject, text, html };
}
