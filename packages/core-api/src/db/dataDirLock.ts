import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded database (PGlite) is one process's files: PGlite itself lets
 * a second process open the same folder, and two writers corrupt it. A lock
 * file with the holder's pid keeps the folder to one process; a lock left by
 * a process that died (`kill -9`, a crash) is recognised and taken over.
 */
export class DataDirLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirLockedError';
  }
}

interface LockOwner {
  pid: number;
  /** The owner's start time in clock ticks (Linux /proc): tells a reused pid from the owner. */
  startTicks?: string;
  since?: string;
  command?: string;
}

export const LOCK_FILE = 'taskbase.lock';

/** A process's start time from /proc/<pid>/stat (field 22), where there is a /proc. */
function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3];
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const ticks = startTicksOf(owner.pid);
  return !(owner.startTicks && ticks && owner.startTicks !== ticks);
}

function readOwner(path: string): LockOwner | undefined | 'missing' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'missing';
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** A lock file that cannot be read: just being written (keep off), or left half-written long ago (stale). */
function isFreshlyWritten(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 5000;
  } catch {
    return false;
  }
}

/**
 * Takes the lock on `dataDir` for this process, or throws DataDirLockedError
 * naming the process that holds it. Returns the release function. Also
 * removes PGlite's postmaster.pid under the lock: with the lock held, one
 * left behind cannot belong to a running process.
 */
export function lockDataDir(dataDir: string, pgdata: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, startTicks: startTicksOf(process.pid), since: new Date().toISOString(), command: process.argv.slice(1).join(' ') };
  const mine = JSON.stringify(me);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      writeFileSync(path, mine, { flag: 'wx', mode: 0o600 });
      rmSync(join(pgdata, 'postmaster.pid'), { force: true });
      return () => {
        const owner = readOwner(path);
        if (owner !== 'missing' && owner?.pid === process.pid) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(path);
    if (owner === 'missing') continue;
    if (owner === undefined ? isFreshlyWritten(path) : isAlive(owner)) {
      const who = owner ? `process ${owner.pid}${owner.command ? ` (${owner.command})` : ''}, since ${owner.since ?? 'an unknown time'}` : 'another process';
      throw new DataDirLockedError(
        `The embedded database in ${dataDir} is in use by ${who}. ` +
          'It serves one process at a time: stop that process first, or use PostgreSQL (DATABASE_URL) to run several.',
      );
    }
    // Stale. Move it aside rather than delete it: if another opener replaced it meanwhile, we see so and back off.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    const moved = readOwner(aside);
    if (moved !== 'missing' && moved !== undefined && owner !== undefined && moved.pid !== owner.pid) {
      // A live opener's fresh lock: give it back (link never overwrites) and stand aside.
      try {
        linkSync(aside, path);
      } finally {
        rmSync(aside, { force: true });
      }
      throw new DataDirLockedError(`The embedded database in ${dataDir} was taken by process ${moved.pid} while this one started.`);
    }
    rmSync(aside, { force: true });
  }
  throw new DataDirLockedError(`Could not take the lock ${path}: other processes keep changing it.`);
}
