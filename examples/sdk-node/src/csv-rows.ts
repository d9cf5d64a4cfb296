import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

/** One data row of the CSV file, as text, with the line it starts on. */
export interface CsvRow {
  line: number;
  fields: Record<string, string>;
}

/**
 * Reads a CSV file whose first line names the columns. Quoted fields may span
 * lines, so each row keeps the line it *starts* on: that is the line number a
 * person looks for in their spreadsheet.
 */
export async function readCsvRows(file: string): Promise<CsvRow[]> {
  const records = parse(await readFile(file, 'utf8'), {
    columns: true,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    // A row with too few or too many cells is reported, not fatal.
    relax_column_count: true,
    info: true,
    raw: true,
  }) as Array<{ record: Record<string, string>; raw: string; info: { lines: number } }>;
  return records.map(({ record, raw, info }) => {
    // `info.lines` is where the row ends; count back the line breaks inside it.
    const inner = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
    return { line: info.lines - (inner.match(/\n/g)?.length ?? 0), fields: record };
  });
}
