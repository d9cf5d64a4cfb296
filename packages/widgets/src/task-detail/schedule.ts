import { html, nothing } from 'lit';
import type { Reminder, RecurrenceMode } from '@taskbase/sdk';
import { addStrings, type StringKey } from '../shared/locale.js';
import { messageOf, type DetailContext, type Loadable } from './context.js';

// This section's words live with it (not in the shared dictionaries every element loads).
addStrings('en', {
  'sched.title': 'Repeat and reminders',
  'sched.repeat': 'Repeat',
  'sched.none': 'Does not repeat',
  'sched.daily': 'Every day',
  'sched.weekdays': 'Every weekday (Monday to Friday)',
  'sched.weekly': 'Every week on {day}',
  'sched.monthly': 'Every month on day {day}',
  'sched.custom': 'Custom (RRULE)…',
  'sched.rule': 'Rule (RFC 5545 RRULE)',
  'sched.mode': 'Next occurrence',
  'sched.after_completion': 'When this one is completed',
  'sched.schedule': 'On schedule, done or not',
  'sched.save': 'Save repeat',
  'sched.stop': 'Stop repeating',
  'sched.ended': 'The rule has no further occurrence.',
  'sched.zone': 'Times in {zone}',
  'sched.reminders': 'Reminders',
  'sched.noReminders': 'No reminders',
  'sched.remind': 'Remind me',
  'sched.when': 'When',
  'sched.at': 'At a time…',
  'sched.atTime': 'Reminder time',
  'sched.PT0S': 'At the due time',
  'sched.PT15M': '15 minutes before due',
  'sched.PT1H': '1 hour before due',
  'sched.P1D': '1 day before due',
  'sched.P1W': '1 week before due',
  'sched.before': '{duration} before due',
  'sched.add': 'Add reminder',
  'sched.remove': 'Remove the reminder {when}',
  'sched.sent': 'sent',
  'sched.noDue': 'waits for a due date',
  'sched.for': 'for {name}',
});
addStrings('fr', {
  'sched.title': 'Répétition et rappels',
  'sched.repeat': 'Répéter',
  'sched.none': 'Ne se répète pas',
  'sched.daily': 'Chaque jour',
  'sched.weekdays': 'Chaque jour ouvré (lundi à vendredi)',
  'sched.weekly': 'Chaque semaine le {day}',
  'sched.monthly': 'Chaque mois le {day}',
  'sched.custom': 'Personnalisé (RRULE)…',
  'sched.rule': 'Règle (RRULE RFC 5545)',
  'sched.mode': 'Occurrence suivante',
  'sched.after_completion': 'Quand celle-ci est terminée',
  'sched.schedule': 'À date fixe, terminée ou non',
  'sched.save': 'Enregistrer la répétition',
  'sched.stop': 'Arrêter la répétition',
  'sched.ended': 'La règle n’a plus d’occurrence.',
  'sched.zone': 'Heures en {zone}',
  'sched.reminders': 'Rappels',
  'sched.noReminders': 'Aucun rappel',
  'sched.remind': 'Me rappeler',
  'sched.when': 'Quand',
  'sched.at': 'À une heure…',
  'sched.atTime': 'Heure du rappel',
  'sched.PT0S': 'À l’échéance',
  'sched.PT15M': '15 minutes avant l’échéance',
  'sched.PT1H': '1 heure avant l’échéance',
  'sched.P1D': '1 jour avant l’échéance',
  'sched.P1W': '1 semaine avant l’échéance',
  'sched.before': '{duration} avant l’échéance',
  'sched.add': 'Ajouter le rappel',
  'sched.remove': 'Supprimer le rappel {when}',
  'sched.sent': 'envoyé',
  'sched.noDue': 'attend une échéance',
  'sched.for': 'pour {name}',
});

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
const BEFORE = ['PT0S', 'PT15M', 'PT1H', 'P1D', 'P1W'] as const;
type Preset = 'none' | 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'custom';

/**
 * A task's repeat rule (presets or a custom RRULE, the mode, stop) and its
 * reminders (at a time, or before the due date; list, remove). Keyboard: all
 * native controls, in reading order.
 */
export class ScheduleSection {
  private reminders: Loadable<Reminder[]> = { state: 'loading' };
  private preset?: Preset;
  private rule?: string;
  private mode?: RecurrenceMode;
  private when: string = 'PT1H';
  private at = '';
  private busy = false;
  private error = '';

  constructor(private readonly ctx: DetailContext) {}

  private t = (key: string, vars?: Record<string, string | number>) => this.ctx.t(key as StringKey, vars);

  async load(signal: AbortSignal): Promise<void> {
    this.preset = this.rule = this.mode = undefined;
    this.error = '';
    try {
      this.reminders = { state: 'ready', value: (await this.ctx.client()!.tasks.reminders.list(this.ctx.task()!.id, { signal })).data };
    } catch (error) {
      if (!signal.aborted) this.reminders = { state: 'error', message: messageOf(error) };
    }
  }

  /** The presets' rules, anchored on the task's due date (or today). */
  private presets(): Record<Exclude<Preset, 'none' | 'custom'>, string> {
    const due = this.ctx.task()?.dueDate;
    const day = due ? new Date(due) : new Date();
    return { daily: 'FREQ=DAILY', weekdays: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', weekly: `FREQ=WEEKLY;BYDAY=${DAYS[day.getDay()]}`, monthly: 'FREQ=MONTHLY' };
  }

  private presetOf(rule: string | undefined): Preset {
    if (!rule) return 'none';
    const match = Object.entries(this.presets()).find(([, value]) => value === rule);
    return (match?.[0] as Preset | undefined) ?? 'custom';
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.error = '';
    this.ctx.requestUpdate();
    try {
      await action();
    } catch (error) {
      this.error = (error as { fieldErrors?: Array<{ message: string }> }).fieldErrors?.[0]?.message ?? messageOf(error);
      this.ctx.failed(error, 'update');
    } finally {
      this.busy = false;
      this.ctx.requestUpdate();
    }
  }

  private saveRepeat = () => {
    const task = this.ctx.task()!;
    const preset = this.preset ?? this.presetOf(task.recurrence?.rule);
    const rule = preset === 'custom' ? (this.rule ?? task.recurrence?.rule ?? '').trim() : preset === 'none' ? '' : this.presets()[preset];
    const mode = this.mode ?? task.recurrence?.mode ?? 'after_completion';
    return this.run(async () => {
      await this.ctx.patch({ recurrence: rule ? { rule, mode } : null });
      this.preset = this.rule = this.mode = undefined;
    });
  };

  private stop = () => this.run(() => this.ctx.patch({ recurrence: null }));

  private addReminder = () => {
    const client = this.ctx.client()!;
    const id = this.ctx.task()!.id;
    if (this.when === 'at' && !this.at) return this.ctx.focus('#reminder-at');
    const input = this.when === 'at' ? { at: new Date(this.at).toISOString() } : { beforeDue: this.when };
    return this.run(async () => {
      const created = await client.tasks.reminders.create(id, input);
      if (this.reminders.state === 'ready') this.reminders = { state: 'ready', value: [...this.reminders.value, created] };
      this.at = '';
    });
  };

  private remove = async (reminder: Reminder) => {
    await this.run(async () => {
      await this.ctx.client()!.tasks.reminders.delete(this.ctx.task()!.id, reminder.id);
      if (this.reminders.state === 'ready') this.reminders = { state: 'ready', value: this.reminders.value.filter((r) => r.id !== reminder.id) };
    });
    // Its button is gone: the focus goes to the start of the reminder form (enabled again by now).
    this.ctx.focus('#reminder-when');
  };

  private time(iso: string): string {
    return new Intl.DateTimeFormat(this.ctx.locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  private describe(reminder: Reminder): string {
    if (reminder.at) return this.time(reminder.at);
    const key = `sched.${reminder.beforeDue}`;
    const preset = this.t(key);
    return preset === key ? this.t('sched.before', { duration: reminder.beforeDue ?? '' }) : preset;
  }

  render() {
    const task = this.ctx.task();
    if (!task) return nothing;
    const { t } = this;
    const editable = this.ctx.canUpdate();
    const current = task.recurrence;
    const preset = this.preset ?? this.presetOf(current?.rule);
    const mode = this.mode ?? current?.mode ?? 'after_completion';
    const day = task.dueDate ? new Date(task.dueDate) : new Date();
    const weekday = new Intl.DateTimeFormat(this.ctx.locale(), { weekday: 'long' }).format(day);
    const labels: Record<Preset, string> = {
      none: t('sched.none'),
      daily: t('sched.daily'),
      weekdays: t('sched.weekdays'),
      weekly: t('sched.weekly', { day: weekday }),
      monthly: t('sched.monthly', { day: day.getDate() }),
      custom: t('sched.custom'),
    };
    return html`<section class="block schedule" part="schedule" aria-labelledby="schedule-heading">
      <div class="section" id="schedule-heading" role="heading" aria-level=${this.ctx.headingLevel()}>${t('sched.title')}</div>
      <div class="inline-form">
        <label class="stack">${t('sched.repeat')}
          <select id="repeat-preset" class="field" part="field" name="repeat" ?disabled=${!editable || this.busy}
            @change=${(e: Event) => ((this.preset = (e.target as HTMLSelectElement).value as Preset), this.ctx.requestUpdate())}>
            ${(Object.keys(labels) as Preset[]).map((key) => html`<option value=${key} ?selected=${key === preset}>${labels[key]}</option>`)}
          </select></label>
        ${preset !== 'none' ? html`<label class="stack">${t('sched.mode')}
          <select class="field" part="field" name="repeatMode" ?disabled=${!editable || this.busy} @change=${(e: Event) => (this.mode = (e.target as HTMLSelectElement).value as RecurrenceMode)}>
            ${(['after_completion', 'schedule'] as const).map((m) => html`<option value=${m} ?selected=${m === mode}>${t(`sched.${m}`)}</option>`)}
          </select></label>` : nothing}
      </div>
      ${preset === 'custom' ? html`<label class="stack rule">${t('sched.rule')}
        <input class="field" part="field" name="rule" spellcheck="false" autocomplete="off" placeholder="FREQ=WEEKLY;BYDAY=MO,TH" .value=${this.rule ?? current?.rule ?? ''} ?disabled=${!editable || this.busy}
          @input=${(e: Event) => (this.rule = (e.target as HTMLInputElement).value)} @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void this.saveRepeat()} /></label>` : nothing}
      ${editable ? html`<div class="inline-form">
        <button type="button" class="btn small" part="button" ?disabled=${this.busy} @click=${this.saveRepeat}>${t('sched.save')}</button>
        ${current ? html`<button type="button" class="btn small ghost" part="button" ?disabled=${this.busy} @click=${this.stop}>${t('sched.stop')}</button>` : nothing}
      </div>` : nothing}
      ${current ? html`<p class="help">${current.rule} · ${t('sched.zone', { zone: current.timezone })}${current.ended ? html` · ${t('sched.ended')}` : nothing}</p>` : nothing}
      <div class="group-title" id="reminders-title">${t('sched.reminders')}</div>
      ${this.renderReminders()}
      <div class="inline-form reminder-add">
        <label class="stack">${t('sched.when')}
          <select id="reminder-when" class="field" part="field" name="reminderWhen" ?disabled=${this.busy}
            @change=${(e: Event) => ((this.when = (e.target as HTMLSelectElement).value), this.ctx.requestUpdate())}>
            ${BEFORE.map((d) => html`<option value=${d} ?selected=${d === this.when}>${t(`sched.${d}`)}</option>`)}
            <option value="at" ?selected=${this.when === 'at'}>${t('sched.at')}</option>
          </select></label>
        ${this.when === 'at' ? html`<label class="stack">${t('sched.atTime')}
          <input id="reminder-at" class="field" part="field" type="datetime-local" name="reminderAt" .value=${this.at} @input=${(e: Event) => (this.at = (e.target as HTMLInputElement).value)} /></label>` : nothing}
        <button type="button" class="btn small" part="button" ?disabled=${this.busy} @click=${this.addReminder}>${t('sched.add')}</button>
      </div>
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  private renderReminders() {
    const { t } = this;
    if (this.reminders.state === 'loading') return html`<p class="muted" role="status">${t('loading')}</p>`;
    if (this.reminders.state === 'error') return html`<p class="field-error" role="alert">${t('sectionError', { section: t('sched.reminders').toLowerCase(), message: this.reminders.message })}</p>`;
    if (!this.reminders.value.length) return html`<p class="muted">${t('sched.noReminders')}</p>`;
    const me = this.ctx.task()!;
    const users = this.ctx.users();
    return html`<ul class="items" aria-labelledby="reminders-title">${this.reminders.value.map((reminder) => {
      const when = this.describe(reminder);
      const state = reminder.sentAt ? t('sched.sent') : reminder.fireAt ? (reminder.at ? '' : this.time(reminder.fireAt)) : t('sched.noDue');
      const someoneElse = reminder.userId !== me.createdBy && users.get(reminder.userId) && reminder.createdBy !== reminder.userId;
      return html`<li class=${reminder.sentAt ? 'done' : ''}>
        <span class="title-link">${when}${someoneElse ? html` <span class="muted">${t('sched.for', { name: users.get(reminder.userId)!.name })}</span>` : nothing}</span>
        <span class="meta">${state ? html`<span class="pill status">${state}</span>` : nothing}
          <button type="button" class="btn ghost icon" aria-label=${t('sched.remove', { when })} title=${t('sched.remove', { when })} ?disabled=${this.busy} @click=${() => void this.remove(reminder)}>×</button></span>
      </li>`;
    })}</ul>`;
  }
}
