import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { loadConfig } from '../config.js';
import { openDatabase, pendingMigrations } from '../db/database.js';
import { createLogger } from '../logger.js';
import { createServices } from '../services/index.js';
import { UsageError, text, type Output, type Parsed } from './args.js';
import { ProgressReporter } from './progress.js';

/**
 * `taskbase export --data-dir DIR --workspace ID|NAME …`: in this process, on an embedded data
 * folder no server holds (its lock is taken as a server would; a running server's folder stops
 * with exit code 75), through the export service itself, with no HTTP and no job.
 */
export async function exportFromDataDir(parsed: Parsed, dataDir: string, out: string, format: 'json' | 'csv', output: Output): Promise<number> {
  const workspaceRef = text(parsed, 'workspace');
  if (!workspaceRef) throw new UsageError('export --data-dir needs --workspace ID|NAME (the folder may hold several)');
  const config = loadConfig({ ...process.env, TASKBASE_DATA_DIR: dataDir, DATABASE_URL: undefined });
  const database = await openDatabase({ dataDir: config.dataDir });
  try {
    const pending = await pendingMigrations(database.knex);
    if (pending.length) throw new UsageError(`${dataDir} needs migrations first (taskbase migrate): ${pending.join(', ')}`);
    const { knex } = database;
    const workspace = (await knex('workspaces')
      .where((query) => (/^\d+$/.test(workspaceRef) ? query.where('id', Number(workspaceRef)) : query.where('name', workspaceRef)))
      .select('id', 'name')) as Array<{ id: number; name: string }>;
    if (workspace.length !== 1) throw new UsageError(`--workspace ${workspaceRef}: ${workspace.length ? 'several workspaces have that name; give its id' : 'no such workspace in this folder'}`);
    const workspaceId = workspace[0]!.id;
    const projectRef = text(parsed, 'project');
    let projectId: number | undefined;
    if (projectRef) {
      const project = (await knex('projects').where({ workspaceId }).andWhere((query) => query.where('key', projectRef).orWhere('id', /^\d+$/.test(projectRef) ? Number(projectRef) : -1)).first('id')) as
        | { id: number }
        | undefined;
      if (!project) throw new UsageError(`--project ${projectRef}: no such project in workspace ${workspace[0]!.name}`);
      projectId = project.id;
    }
    const services = createServices(knex, config, createLogger('silent'));
    await services.storage.ready();
    const progress = new ProgressReporter(output, 'export');
    const partial = `${out}.partial-${process.pid}`;
    const file = createWriteStream(partial);
    let written: string;
    try {
      const onProgress = (state: { done: number; total: number | null; phase: string }) => progress.update(state);
      if (format === 'json') {
        const counts = await services.exports.writeArchive(workspaceId, { projectId }, file, onProgress);
        written = Object.entries(counts).filter(([, n]) => n > 0).map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`).join(', ');
      } else {
        written = `tasks ${(await services.exports.writeCsv(workspaceId, { projectId }, file, onProgress)).toLocaleString('en-US')}`;
      }
      if (!file.writableFinished) await once(file.end(), 'finish');
      renameSync(partial, out);
    } catch (error) {
      file.destroy();
      rmSync(partial, { force: true });
      throw error;
    } finally {
      progress.finish();
    }
    output.out(`Exported workspace "${workspace[0]!.name}" from ${dataDir} to ${out} (${format}): ${written}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
