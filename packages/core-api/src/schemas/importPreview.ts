import { Type } from '@sinclair/typebox';
import { named } from './common.js';

export const ImportPreview = named(
  'ImportPreview',
  Type.Object({
    columns: Type.Array(Type.String(), { description: 'A CSV’s header, in file order (at most 500, each cut to 200 characters); empty for the other sources' }),
    sample: Type.Array(Type.Array(Type.String()), { maxItems: 5, description: 'A CSV’s first records, one value per column; empty for the other sources' }),
    rows: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
      description: 'A CSV’s records after the header (null: a quote left open makes the rest unreadable); for the other sources, the tasks found',
    }),
    suggested: Type.Record(Type.String(), Type.String(), {
      description: 'A CSV mapping guessed from the header names (column → `title`, `status`, `dueDate`, … or `ignore`), to send as `mapping`; empty for the other sources',
    }),
  }),
);
