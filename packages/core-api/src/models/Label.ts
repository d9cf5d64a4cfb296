import { Label as LabelSchema, type LabelDto } from '../schemas/labels.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

export type LabelRow = StoredRow<LabelDto>;
export const LABEL_COLUMNS = Object.keys(LabelSchema.properties) as Array<keyof LabelRow>;
export const labelSnapshot = rowSerializer<LabelDto>(LabelSchema);

export class Label extends BaseModel {
  static override tableName = 'labels';
}
