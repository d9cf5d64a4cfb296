import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import type { RowError } from '../records.js';

/** One record of a CSV file and the line it starts on (the header is line 1). */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** Delimiters we recognise, in order of preference when counts tie. */
const DELIMITERS = [',', ';', '\t', '|'] as const;
const SNIFF_BYTES = 64 * 1024;
/** One record's text at most: a runaway quoted value must not fill the memory. */
export const MAX_RECORD_CHARS = 1_000_000;

/**
 * Picks the delimiter of a CSV by counting candidates on its first line
 * outside quotes (Excel in many European locales writes `;`).
 */
export async function sniffDelimiter(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SNIFF_BYTES, 0);
    return delimiterOf(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await file.close();
  }
}

export function delimiterOf(head: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of head) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * Turns CRLF and lone CR into LF, so every record's raw text holds its own
 * line breaks and line numbers can be counted from it (csv-parse's own
 * count is off by one per record on CRLF files). Quoted values keep their
 * breaks, as LF.
 */
class LineEndings extends Transform {
  private pendingCr = false;

  constructor() {
    super({ decodeStrings: false, encoding: 'utf8' });
  }

  override _transform(chunk: string, _encoding: BufferEncoding, done: TransformCallback): void {
    let text = (this.pendingCr ? '\r' : '') + chunk;
    this.pendingCr = text.endsWith('\r');
    if (this.pendingCr) text = text.slice(0, -1);
    done(null, text.replace(/\r\n?/g, '\n'));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.pendingCr ? '\n' : '');
  }
}

const leadingNewlines = (raw: string) => raw.length - raw.replace(/^\n+/, '').length;
const newlines = (raw: string) => raw.split('\n').length - 1;

/**
 * Streams a CSV file's records (the header included, as line 1) with the
 * line each starts on. UTF-8 with or without a BOM; `,` `;` tab or `|`
 * delimited (sniffed); CRLF, LF or CR line ends; blank lines skipped;
 * quotes inside an unquoted value kept. A quote that is never closed
 * swallows the rest of the file: that yields one RowError and ends.
 */
export async function* csvRows(path: string, delimiter?: string): AsyncGenerator<CsvRow | RowError> {
  let consumed = 0;
  let skipped: string | undefined;
  const parser = createReadStream(path, { encoding: 'utf8' })
    .pipe(new LineEndings())
    .pipe(
      parse({
        bom: true,
        delimiter: delimiter ?? (await sniffDelimiter(path)),
        info: true,
        raw: true,
        relax_quotes: true,
        relax_column_count: true,
        skip_empty_lines: true,
        max_record_size: MAX_RECORD_CHARS,
        skip_records_with_error: true,
        on_skip: (error) => {
          skipped ??= (error as { code?: string }).code;
        },
      }),
    );
  for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    const line = consumed + leadingNewlines(raw) + 1;
    consumed += newlines(raw);
    yield { line, cells: record };
  }
  // The broken record is the last: it starts right after the last good one.
  if (skipped) {
    const why = skipped === 'CSV_MAX_RECORD_SIZE' ? `A record from this line on is longer than ${MAX_RECORD_CHARS} characters` : 'A quoted value opened on this line is never closed';
    yield { kind: 'error', line: consumed + 1, field: 'file', message: `${why}: the rest of the file could not be read` };
  }
}
