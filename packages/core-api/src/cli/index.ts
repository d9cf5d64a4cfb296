import { DataDirLockedError } from '../db/dataDirLock.js';
import { RestoreError } from '../db/backup.js';
import { ConfigError } from '../config.js';
import { UsageError, processOutput, type Output } from './args.js';
import { backupCommand, restoreCommand } from './backup.js';
import { exportCommand, importCommand } from './transfer.js';

/** The commands that live in src/cli/ (cli.ts keeps the server's own). */
export const COMMANDS: Record<string, (args: string[], output: Output) => Promise<number>> = {
  backup: backupCommand,
  restore: restoreCommand,
  export: exportCommand,
  import: importCommand,
};

export const COMMANDS_USAGE = `  backup    --out FILE [--url URL]
            a consistent copy of the embedded database while the server runs (needs BACKUP_TOKEN),
            or of a data folder no server holds; on PostgreSQL it prints the pg_dump command
  restore   FILE --data-dir DIR
            a backup into an empty or new data folder
  export    --out FILE [--format json|csv] [--project KEY] [--url URL] [--token T]
            the workspace (or one project) from a running server: a JSON archive or a CSV;
            or --data-dir DIR --workspace ID|NAME: in this process, on a data folder no server holds
  import    FILE --source taskbase|csv|trello|asana [--project KEY] [--mapping FILE]
            [--dry-run] [--on-error stop|skip] [--url URL] [--token T]
            into the workspace of a running server (admins); --url/--token default to
            TASKBASE_URL (http://127.0.0.1:3000) and TASKBASE_TOKEN (an API key or a session token)
`;

/** Runs one of COMMANDS; the exit code tells how it went (2: a bad command line). */
export async function runCommand(name: string, args: string[], usage: string, output: Output = processOutput): Promise<number> {
  try {
    return await COMMANDS[name]!(args, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof RestoreError || error instanceof DataDirLockedError) {
      output.err(`${error.message}\n`);
      return error instanceof ConfigError ? 78 : error instanceof DataDirLockedError ? 75 : 1;
    }
    throw error;
  }
}
