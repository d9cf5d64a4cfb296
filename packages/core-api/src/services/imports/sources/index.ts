import type { ImportSource, SourceReader } from '../records.js';
import { readAsana } from './asana.js';
import { readCsv } from './csv.js';
import { readTaskbase } from './taskbase.js';
import { readTrello } from './trello.js';

/** Every source an import reads, by the name `POST /api/imports` takes in `source`. */
export const readers: Record<ImportSource, SourceReader> = {
  taskbase: readTaskbase,
  csv: readCsv,
  trello: readTrello,
  asana: readAsana,
};

export const IMPORT_SOURCES = Object.keys(readers) as ImportSource[];
