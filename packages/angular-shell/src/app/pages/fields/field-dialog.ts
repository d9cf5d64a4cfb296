import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormArray, NonNullableFormBuilder, ReactiveFormsModule, Validators, type FormGroup, type FormControl } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  CatalogApi,
  FIELD_TYPE_INFO,
  FIELD_TYPES,
  hasOptions,
  LABEL_COLORS,
  projectLimit,
  suggestFieldKey,
  unlistedProjects,
  type CustomField,
  type FieldOptionInput,
  type FieldType,
} from '../../core/catalog';
import { FormSubmission } from '../../core/form-submission';
import { ProjectStore } from '../../core/projects';

export interface FieldDialogData {
  /** The field to edit; none for "New field". */
  field: CustomField | null;
  /** Keys in use, so the suggested key is free. */
  takenKeys: string[];
}

/** New options take these colours in turn. */
const OPTION_COLORS = LABEL_COLORS.slice(1);

type OptionGroup = FormGroup<{ id: FormControl<string>; name: FormControl<string>; color: FormControl<string> }>;

/**
 * "New field" or "Edit field": name, key (suggested from the name until edited;
 * fixed once made), type (fixed once made), description, options of a select
 * (name and colour; add, remove, reorder) and the projects it is limited to.
 */
@Component({
  selector: 'tb-shell-field-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule, MatTooltipModule, ReactiveFormsModule],
  templateUrl: './field-dialog.html',
  styleUrl: './field-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FieldDialog {
  private readonly api = inject(CatalogApi);
  private readonly ref = inject<MatDialogRef<FieldDialog, CustomField>>(MatDialogRef);
  private readonly data = inject<FieldDialogData>(MAT_DIALOG_DATA);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly field = this.data.field;
  protected readonly projects = inject(ProjectStore);
  protected readonly types = FIELD_TYPES;
  protected readonly typeInfo = FIELD_TYPE_INFO;
  protected readonly hasOptions = hasOptions;
  /** Whether the person typed a key of their own (then the name no longer changes it). */
  private readonly keyTouched = signal(false);
  protected readonly form = this.fb.group({
    name: [this.field?.name ?? '', [Validators.required, Validators.maxLength(100), Validators.pattern(/\S/)]],
    key: [{ value: this.field?.key ?? '', disabled: this.field !== null }, [Validators.required, Validators.maxLength(40), Validators.pattern(/^[a-z][a-z0-9_]*$/)]],
    type: [{ value: this.field?.type ?? ('text' as FieldType), disabled: this.field !== null }],
    description: [this.field?.description ?? '', [Validators.maxLength(500)]],
    options: this.fb.array<OptionGroup>((this.field?.options ?? []).map((option, i) => this.optionGroup(i, option))),
    projectIds: [this.field?.projectIds ?? ([] as number[])],
  });
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;
  /** The options of a select without any: the API would take it, but it offers nothing to choose. */
  protected readonly noOptions = signal(false);

  constructor() {
    void this.projects.load().catch(() => undefined);
  }

  protected get options(): FormArray<OptionGroup> {
    return this.form.controls.options;
  }

  protected get type(): FieldType {
    return this.form.controls.type.value;
  }

  private optionGroup(index: number, option: { id?: string; name?: string; color?: string } = {}): OptionGroup {
    return this.fb.group({
      id: [option.id ?? ''],
      name: [option.name ?? '', [Validators.required, Validators.maxLength(100), Validators.pattern(/\S/)]],
      color: [option.color ?? OPTION_COLORS[index % OPTION_COLORS.length]],
    });
  }

  protected nameChanged(): void {
    if (this.field || this.keyTouched()) return;
    this.form.controls.key.setValue(suggestFieldKey(this.form.controls.name.value, this.data.takenKeys));
  }

  protected keyEdited(): void {
    const control = this.form.controls.key;
    this.keyTouched.set(control.value !== '');
    control.setValue(control.value.toLowerCase().replace(/[^a-z0-9_]/g, ''), { emitEvent: false });
  }

  protected typeChanged(type: FieldType): void {
    if (hasOptions(type) && !this.options.length) {
      this.addOption(false);
      this.addOption(false);
    }
  }

  protected addOption(focus = true): void {
    this.options.push(this.optionGroup(this.options.length));
    this.noOptions.set(false);
    if (focus) {
      const index = this.options.length - 1;
      setTimeout(() => document.querySelector<HTMLInputElement>(`[data-option-index="${index}"]`)?.focus());
    }
  }

  protected removeOption(index: number): void {
    this.options.removeAt(index);
  }

  protected moveOption(index: number, by: -1 | 1): void {
    const to = index + by;
    if (to < 0 || to >= this.options.length) return;
    const option = this.options.at(index);
    this.options.removeAt(index, { emitEvent: false });
    this.options.insert(to, option);
    setTimeout(() => document.querySelector<HTMLElement>(`[data-move="${by < 0 ? 'up' : 'down'}-${to}"]:not([disabled])`)?.focus());
  }

  /** Projects this field is limited to that the picker cannot list (archived, or not visible to you): kept as they are. */
  protected readonly unlisted = computed(() => unlistedProjects(this.field?.projectIds ?? null, this.projects.projects().map((project) => project.id)));

  private projectIds(chosen: number[]): number[] | null {
    return projectLimit(chosen, this.field?.projectIds ?? null, this.projects.projects().map((project) => project.id));
  }

  protected async submit(): Promise<void> {
    const { name, key, type, description, options, projectIds } = this.form.getRawValue();
    const withOptions = hasOptions(type);
    if (withOptions && !options.length) {
      this.noOptions.set(true);
      return;
    }
    const optionInput: FieldOptionInput[] = options.map((option) => ({ ...(option.id ? { id: option.id } : {}), name: option.name.trim(), color: option.color }));
    const common = { name: name.trim(), description: description.trim(), projectIds: this.projectIds(projectIds) };
    await this.submission.run(async () =>
      this.ref.close(
        this.field
          ? await this.api.updateField(this.field.key, { ...common, ...(withOptions ? { options: optionInput } : {}) })
          : await this.api.createField({ ...common, key, type, ...(withOptions ? { options: optionInput } : {}) }),
      ),
    );
  }
}
