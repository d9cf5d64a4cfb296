/** A column of a printed table: a header and how to show a row's value. */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: 'left' | 'right';
}

/** Renders rows as a plain-text table with aligned columns. */
export function formatTable<Row>(rows: Row[], columns: Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i]!.length)));
  const pad = (text: string, i: number) =>
    (columns[i]!.align ?? 'right') === 'left' ? text.padEnd(widths[i]!) : text.padStart(widths[i]!);
  const line = (values: string[]) => values.map(pad).join('  ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(columns.map((column) => column.header)), rule, ...cells.map(line)].join('\n');
}

export function printTable<Row>(title: string, rows: Row[], columns: Column<Row>[]): void {
  process.stdout.write(`\n${title}\n\n${formatTable(rows, columns)}\n\n`);
}

export const fmt = {
  int: (value: number) => Math.round(value).toLocaleString('en-US'),
  ms: (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`,
  ratio: (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(2)}x`),
  perSecond: (value: number) => value.toFixed(value < 100 ? 1 : 0),
};
