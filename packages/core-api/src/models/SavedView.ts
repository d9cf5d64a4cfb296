import { SavedView as ViewSchema, type SavedViewDto } from '../schemas/views.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

export type SavedViewRow = StoredRow<Omit<SavedViewDto, 'can'>>;
export const VIEW_COLUMNS = Object.keys(ViewSchema.properties).filter((field) => field !== 'can') as Array<keyof SavedViewRow>;
const serialize = rowSerializer<SavedViewDto>(ViewSchema);
export const viewSnapshot = (row: SavedViewRow): Omit<SavedViewDto, 'can'> => {
  const { can: _can, ...snapshot } = serialize({ ...row, can: [] } as StoredRow<SavedViewDto>);
  return snapshot;
};

export class SavedView extends BaseModel {
  static override tableName = 'saved_views';
}
