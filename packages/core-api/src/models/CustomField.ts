import { CustomField as FieldSchema, type CustomFieldDto } from '../schemas/fields.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

export type CustomFieldRow = StoredRow<CustomFieldDto>;
export const FIELD_COLUMNS = Object.keys(FieldSchema.properties) as Array<keyof CustomFieldRow>;
export const fieldSnapshot = rowSerializer<CustomFieldDto>(FieldSchema);

export class CustomField extends BaseModel {
  static override tableName = 'custom_fields';
}

/** One custom-field value of a task in a typed column: what filters and sorts on a field read through an index. */
export class TaskFieldValue extends BaseModel {
  static override tableName = 'task_field_values';
}
