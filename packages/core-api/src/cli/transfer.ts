import { createWriteStream, openAsBlob, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError, parseCommand, text, type Output } from './args.js';
import { ApiError, SERVER_OPTIONS, ServerApi, type DataJob } from './api.js';
import { exportFromDataDir } from './local.js';
import { ProgressReporter } from './progress.js';

const SOURCES = ['taskbase', 'csv', 'trello', 'asana'];

/** "tasks 200, comments 50" from a result's counts (whatever the job put there; zeros left out). */
function counts(value: unknown): string {
  if (!value || typeof value !== 'object') return '';
  return Object.entries(value as Record<string, unknown>)
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .map(([name, n]) => `${name} ${(n as number).toLocaleString('en-US')}`)
    .join(', ');
}

async function followJob(api: ServerApi, kind: 'exports' | 'imports', job: DataJob, output: Output): Promise<DataJob> {
  const progress = new ProgressReporter(output, kind === 'exports' ? 'export' : 'import');
  try {
    return await api.follow(kind, job, (current) => progress.update(current.progress));
  } finally {
    progress.finish();
  }
}

/** `taskbase export --out FILE [--format json|csv] [--project KEY]` against a running server. */
export async function exportCommand(args: string[], output: Output): Promise<number> {
  const parsed = parseCommand(args, {
    ...SERVER_OPTIONS,
    out: { type: 'string' },
    format: { type: 'string' },
    project: { type: 'string' },
    'data-dir': { type: 'string' },
    workspace: { type: 'string' },
  });
  const out = text(parsed, 'out');
  const format = text(parsed, 'format') ?? (out?.endsWith('.csv') ? 'csv' : 'json');
  if (!out) throw new UsageError('export needs --out FILE');
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, got "${format}"`);
  if (parsed.positionals.length) throw new UsageError(`export takes no ${parsed.positionals[0]}`);
  const dataDir = text(parsed, 'data-dir');
  if (dataDir) return exportFromDataDir(parsed, dataDir, out, format, output);
  const api = ServerApi.from(parsed);
  return runAgainstServer(output, async () => {
    const project = text(parsed, 'project');
    const projectId = project ? await api.projectId(project) : undefined;
    const started = await api.request<DataJob>('POST', '/api/exports', { format, ...(projectId ? { projectId } : {}) });
    const job = await followJob(api, 'exports', started, output);
    if (job.status !== 'succeeded' || !job.download) {
      output.err(`The export ${job.status}${job.error ? `: ${job.error}` : ''}\n`);
      return 1;
    }
    const response = await fetch(api.resolve(job.download.url));
    if (!response.ok || !response.body) throw await ApiError.from(response, 'The download');
    const partial = `${out}.partial-${process.pid}`;
    try {
      await pipeline(Readable.fromWeb(response.body as never), createWriteStream(partial));
      renameSync(partial, out);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    const size = statSync(out).size;
    const what = counts((job.result as { counts?: unknown } | null)?.counts ?? job.result);
    output.out(`Exported to ${out} (${format}, ${(size / 1024).toFixed(1)} KB)${what ? `: ${what}` : ''}\n`);
    return 0;
  });
}

/** `taskbase import FILE --source S [--project KEY] [--mapping FILE] [--dry-run] [--on-error skip]` against a running server. */
export async function importCommand(args: string[], output: Output): Promise<number> {
  const parsed = parseCommand(args, {
    ...SERVER_OPTIONS,
    source: { type: 'string' },
    project: { type: 'string' },
    mapping: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'on-error': { type: 'string' },
  });
  const [file, ...more] = parsed.positionals;
  const source = text(parsed, 'source');
  const onError = text(parsed, 'on-error') ?? 'stop';
  if (!file || more.length) throw new UsageError('import needs one FILE');
  if (!source || !SOURCES.includes(source)) throw new UsageError(`--source must be one of ${SOURCES.join(', ')}`);
  if (onError !== 'stop' && onError !== 'skip') throw new UsageError(`--on-error must be stop or skip, got "${onError}"`);
  const mappingFile = text(parsed, 'mapping');
  let mapping: string | undefined;
  if (mappingFile) {
    mapping = readFileSync(mappingFile, 'utf8');
    try {
      JSON.parse(mapping);
    } catch (error) {
      throw new UsageError(`--mapping ${mappingFile} is not JSON: ${(error as Error).message}`);
    }
  }
  const dryRun = parsed.values['dry-run'] === true;
  const api = ServerApi.from(parsed);
  return runAgainstServer(output, async () => {
    const project = text(parsed, 'project');
    const form = new FormData();
    // Fields before the file: the server reads them as the upload streams by.
    form.append('source', source);
    if (project) form.append('projectId', String(await api.projectId(project)));
    if (mapping) form.append('mapping', mapping);
    form.append('dryRun', String(dryRun));
    form.append('onError', onError);
    form.append('file', await openAsBlob(file), basename(file));
    const started = await api.request<DataJob>('POST', '/api/imports', form);
    const job = await followJob(api, 'imports', started, output);
    const result = job.result as {
      created?: Record<string, number>;
      updated?: Record<string, number>;
      skipped?: number;
      errorCount?: number;
      errors?: Array<{ line: number; field: string; message: string }>;
    } | null;
    const errors = result?.errors ?? [];
    for (const error of errors.slice(0, 50)) output.err(`  line ${error.line}${error.field ? `, ${error.field}` : ''}: ${error.message}\n`);
    const errorCount = result?.errorCount ?? errors.length;
    if (errorCount > 50) output.err(`  … and ${errorCount - 50} more\n`);
    if (job.status !== 'succeeded') {
      output.err(`The import ${job.status}${job.error ? `: ${job.error}` : ''}${errorCount ? ` (${errorCount} errors; nothing written with --on-error stop)` : ''}\n`);
      return 1;
    }
    const made = counts(result?.created);
    const changed = counts(result?.updated);
    const lines = dryRun
      ? [`Dry run of ${file}: nothing written.`, `  checked: ${job.progress.done.toLocaleString('en-US')} records`, ...(made ? [`  would create: ${made}`] : [])]
      : [`Imported ${file}.`, `  created: ${made || 'nothing'}`, ...(changed ? [`  updated: ${changed}`] : [])];
    lines.push(`  ${dryRun ? 'would skip' : 'skipped'}: ${result?.skipped ?? 0}, errors: ${errorCount}`);
    output.out(`${lines.join('\n')}\n`);
    return dryRun && errorCount > 0 ? 1 : 0;
  });
}

/** The server's refusals as one message and exit code 1. */
async function runAgainstServer(output: Output, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    output.err(`${error.message}\n`);
    return 1;
  }
}
