import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { CustomField } from '@taskbase/sdk';
import { messageOf, type DetailContext, type Loadable } from './context.js';

type Value = string | number | boolean | string[] | null;

/** A URL safe to link to (http and https only). */
const safeUrl = (value: unknown) => (typeof value === 'string' && /^https?:\/\//i.test(value) ? value : undefined);

/**
 * The task's custom fields, one editor per type (text, number, date, select,
 * multi-select, user, checkbox, url), each saved on change; a 422 naming
 * `fields.<key>` is shown under its field.
 */
export class CustomFieldsSection {
  private data: Loadable<CustomField[]> = { state: 'loading' };
  /** Refusals by field key. */
  private errors = new Map<string, string>();
  private saving = new Set<string>();
  /** Values being saved, shown until the answer: a render meanwhile must not put a clicked box back. */
  private pending = new Map<string, Value>();

  constructor(private readonly ctx: DetailContext) {}

  /** The field of a key (for the activity's wording). */
  field(key: string): CustomField | undefined {
    return this.data.state === 'ready' ? this.data.value.find((f) => f.key === key) : undefined;
  }

  async load(signal: AbortSignal): Promise<void> {
    try {
      const page = await this.ctx.client()!.fields.list({ project: String(this.ctx.task()!.projectId) }, { signal });
      this.data = { state: 'ready', value: page.data };
    } catch (error) {
      if (!signal.aborted) this.data = { state: 'error', message: messageOf(error) };
    }
  }

  reset(): void {
    this.errors.clear();
  }

  private async save(field: CustomField, value: Value): Promise<void> {
    const task = this.ctx.task()!;
    const current = task.fields[field.key] ?? null;
    if (JSON.stringify(current) === JSON.stringify(value) && !this.errors.has(field.key)) return;
    this.errors.delete(field.key);
    this.saving.add(field.key);
    this.pending.set(field.key, value);
    this.ctx.requestUpdate();
    try {
      await this.ctx.patch({ fields: { [field.key]: value } });
    } catch (error) {
      const refusal = (error as { fieldErrors?: Array<{ path: string; message: string }> }).fieldErrors?.find((e) => e.path === `fields.${field.key}` || e.path === `/fields/${field.key}`);
      this.errors.set(field.key, refusal?.message ?? messageOf(error));
      this.ctx.failed(error, 'update');
    } finally {
      this.saving.delete(field.key);
      this.pending.delete(field.key);
      this.ctx.requestUpdate();
    }
  }

  render() {
    const { t } = this.ctx;
    if (this.data.state === 'loading') return html`<p class="muted" role="status">${t('loading')}</p>`;
    if (this.data.state === 'error') return html`<p class="field-error" role="alert">${t('sectionError', { section: t('customFields').toLowerCase(), message: this.data.message })}</p>`;
    if (!this.data.value.length) return nothing;
    return html`<section class="block" part="custom-fields" aria-labelledby="fields-heading">
      <div class="section" id="fields-heading" role="heading" aria-level=${this.ctx.headingLevel()}>${t('customFields')}</div>
      <div class="grid custom">${this.data.value.map((field) => this.renderField(field))}</div>
    </section>`;
  }

  private renderField(field: CustomField) {
    const id = `cf-${field.key}`;
    const error = this.errors.get(field.key);
    const described = [field.description ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    const help = html`${field.description ? html`<span class="help" id=${`${id}-help`}>${field.description}</span>` : nothing}
      ${error ? html`<span class="field-error" id=${`${id}-error`} role="alert">${error}</span>` : nothing}`;
    const editor = this.renderEditor(field, id, described, !!error);
    if (field.type === 'multi_select') {
      return html`<fieldset class="cf multi" data-key=${field.key} aria-describedby=${described || nothing} aria-invalid=${error ? 'true' : nothing}>
        <legend>${field.name}</legend>${editor}${help}</fieldset>`;
    }
    if (field.type === 'checkbox') {
      return html`<div class="cf check" data-key=${field.key}><label class="check-label">${editor} ${field.name}</label>${help}</div>`;
    }
    return html`<div class="cf" data-key=${field.key}><label for=${id}>${field.name}</label>${editor}${help}</div>`;
  }

  private renderEditor(field: CustomField, id: string, described: string, invalid: boolean) {
    const { t } = this.ctx;
    const value = (this.pending.has(field.key) ? this.pending.get(field.key) : this.ctx.task()!.fields[field.key]) as Value | undefined;
    const disabled = !this.ctx.canUpdate();
    const attrs = { id, describedby: described || nothing, invalid: invalid ? 'true' : nothing };
    const text = (type: string, map: (v: string) => Value) => html`<input class="field" part="field" id=${attrs.id} name=${`fields.${field.key}`} type=${type}
      aria-describedby=${attrs.describedby} aria-invalid=${attrs.invalid} ?disabled=${disabled} maxlength=${type === 'text' ? 500 : nothing}
      .value=${value === undefined || value === null ? '' : String(value)} @change=${(e: Event) => { const v = (e.target as HTMLInputElement).value.trim(); void this.save(field, v === '' ? null : map(v)); }}
      @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') (e.target as HTMLInputElement).dispatchEvent(new Event('change')); }} />`;
    switch (field.type) {
      case 'number':
        return text('number', (v) => Number(v));
      case 'date':
        return text('date', (v) => v);
      case 'url': {
        const href = safeUrl(value);
        return html`<div class="with-link">${text('url', (v) => v)}${href ? html`<a class="btn ghost icon" href=${href} target="_blank" rel="noopener noreferrer" aria-label=${t('openLink')} title=${t('openLink')}>↗</a>` : nothing}</div>`;
      }
      case 'checkbox':
        return html`<input type="checkbox" id=${id} name=${`fields.${field.key}`} aria-describedby=${attrs.describedby} aria-invalid=${attrs.invalid} ?disabled=${disabled}
          .checked=${live(value === true)} @change=${(e: Event) => void this.save(field, (e.target as HTMLInputElement).checked)} />`;
      case 'select':
      case 'user': {
        const choices = field.type === 'select' ? field.options.map((o) => ({ value: o.id, name: o.name })) : [...this.ctx.users().values()].map((u) => ({ value: String(u.id), name: u.name }));
        const selected = value === undefined || value === null ? '' : String(value);
        return html`<select class="field" part="field" id=${id} name=${`fields.${field.key}`} aria-describedby=${attrs.describedby} aria-invalid=${attrs.invalid} ?disabled=${disabled}
          @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; void this.save(field, v === '' ? null : field.type === 'user' ? Number(v) : v); }}>
          <option value="" ?selected=${selected === ''}>${t('fieldNone')}</option>
          ${choices.map((c) => html`<option value=${c.value} ?selected=${c.value === selected}>${c.name}</option>`)}
        </select>`;
      }
      case 'multi_select': {
        const chosen = new Set(Array.isArray(value) ? value : []);
        return html`<div class="checks">${field.options.map((option) => html`<label class="check-label"><input type="checkbox" name=${`fields.${field.key}`} value=${option.id} ?disabled=${disabled}
          .checked=${live(chosen.has(option.id))} @change=${(e: Event) => {
            const on = (e.target as HTMLInputElement).checked;
            const next = field.options.map((o) => o.id).filter((o) => (o === option.id ? on : chosen.has(o)));
            void this.save(field, next.length ? next : null);
          }} /> ${option.name}</label>`)}</div>`;
      }
      default:
        return text('text', (v) => v);
    }
  }
}
