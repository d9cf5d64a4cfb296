import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { Task as DataTask } from '@lit/task';
import type { AnalyticsRangeQuery, AnalyticsSummary, Project, RealtimeMessage, RealtimeTopic, WorkflowStatus } from '@taskbase/sdk';
import { TbElement } from '../shared/base.js';
import { baseStyles } from '../shared/styles.js';
import { PRIORITIES } from '../shared/format.js';
import { forgetProjects, matchesRef, projectsOf, statusLabel, unionWorkflow } from '../shared/workflow.js';
import { analyticsStyles } from './analytics.styles.js';
import { barChart, loadChart, trendChart } from './charts.js';

// The default statuses take themed colours (readable in light and dark); other statuses their workflow's.
// Priorities have their own four, so High and Urgent never look alike.
const STATUS_COLORS: Record<string, string> = { todo: 'var(--_c4)', in_progress: 'var(--_c1)', in_review: 'var(--_review)', done: 'var(--_c2)' };
const PRIORITY_COLORS = ['var(--_p-low)', 'var(--_p-medium)', 'var(--_p-high)', 'var(--_p-urgent)'];

/**
 * @summary Figures of the workspace (or of one project) as accessible SVG charts: status and priority breakdown, created-versus-done trend, load per assignee.
 * Each chart is an `role="img"` SVG with a label, and a visually hidden table as its text alternative.
 * @tag tb-analytics
 * @csspart chart - One chart card.
 * @csspart kpi - One headline figure.
 * @csspart connection - The "reconnecting" badge.
 * @cssproperty --tb-chart-1 - First series colour (open, created).
 * @cssproperty --tb-chart-2 - Second series colour (done).
 * @cssproperty --tb-chart-3 - Third series colour (overdue).
 * @cssproperty --tb-chart-4 - Fourth series colour (to do).
 * @cssproperty --tb-priority-low - Low priority bar.
 * @cssproperty --tb-priority-medium - Medium priority bar.
 * @cssproperty --tb-priority-high - High priority bar (amber by default).
 * @cssproperty --tb-priority-urgent - Urgent priority bar (red by default).
 */
export class TbAnalytics extends TbElement {
  static override styles = [baseStyles, analyticsStyles];

  /** Only this project's figures: its id, key (`CRM`) or `ext:<externalId>`; default: the provider's `project`, else the whole workspace. */
  @property() project = '';
  /** Start of the trend range (ISO date-time); default: the server's (last 30 days). */
  @property() from = '';
  /** End of the trend range (ISO date-time). */
  @property() to = '';

  private data = new DataTask(this, {
    task: async ([client, project, from, to], { signal }) => {
      if (!client) return undefined;
      const query: AnalyticsRangeQuery = {};
      if (project) query.project = project;
      if (from) query.from = from;
      if (to) query.to = to;
      const [summary, projects] = await Promise.all([client.analytics.summary(query, { signal }), projectsOf(client).catch(() => [] as Project[])]);
      const own = project ? projects.find((p) => matchesRef(p, project)) : undefined;
      this.workflow = own?.statuses ?? unionWorkflow(projects);
      this.ownWorkflow = !!own;
      return summary;
    },
    args: () => [this.client, this.project || this.providerProject || '', this.from, this.to] as const,
  });
  /** The statuses to chart: the project's workflow, or every status known across projects. */
  private workflow: WorkflowStatus[] = [];
  private ownWorkflow = false;

  protected override onRealtime(message: RealtimeMessage): void {
    if (message.type === 'event' && message.event.startsWith('project.') && this.client) forgetProjects(this.client);
    this.scheduleRefresh();
  }

  /** Bars of the status chart: the workflow's statuses in order (without a project, only those holding tasks), then any other key counted. */
  private statusBars(byStatus: Record<string, number>) {
    const keys = this.workflow.map((s) => s.key).filter((key) => this.ownWorkflow || (byStatus[key] ?? 0) > 0 || STATUS_COLORS[key]);
    for (const key of Object.keys(byStatus)) if (!keys.includes(key)) keys.push(key);
    return keys.map((key) => ({
      label: statusLabel(key, this.t.bind(this), this.workflow),
      value: byStatus[key] ?? 0,
      color: STATUS_COLORS[key] ?? this.workflow.find((s) => s.key === key)?.color ?? 'var(--_c4)',
    }));
  }

  protected override topics(): RealtimeTopic[] {
    return ['tasks'];
  }

  protected override refresh(): void {
    void this.data.run();
  }

  protected override render() {
    return html`<div class="head">${this.renderConnection()}</div>${this.renderData(this.data, (summary) => (summary ? this.renderSummary(summary) : ''))}`;
  }

  private renderSummary(s: AnalyticsSummary) {
    const counts = s.counts;
    const lang = this.activeLocale;
    const kpi = (label: string, value: string) => html`<div class="kpi" part="kpi"><dt>${label}</dt><dd>${value}</dd></div>`;
    return html`
      <dl class="kpis">
        ${kpi(this.t('total'), this.formatNumber(counts.total))}
        ${kpi(this.t('open'), this.formatNumber(counts.open))}
        ${kpi(this.t('overdue'), this.formatNumber(counts.overdue))}
        ${kpi(this.t('completionRate'), this.formatNumber(s.completion.completionRate, { style: 'percent' }))}
      </dl>
      <div class="charts">
        ${barChart(this.t('byStatus'), this.statusBars(counts.byStatus as Record<string, number>), lang, { count: this.t('count'), chart: this.t('status') })}
        ${barChart(this.t('byPriority'), PRIORITIES.map((p, i) => ({ label: this.t(`priority.${p}`), value: counts.byPriority[p] ?? 0, color: PRIORITY_COLORS[i]! })), lang, { count: this.t('count'), chart: this.t('priority') })}
        ${trendChart(this.t('trend'), s.trend, lang, { date: this.t('date'), created: this.t('created'), completed: this.t('completed') })}
        ${loadChart(this.t('byAssignee'), s.byAssignee.data, lang, { person: this.t('person'), open: this.t('open'), overdue: this.t('overdue'), done: this.t('completed') })}
      </div>`;
  }
}
