import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BosunError } from '../core/errors.js';

export interface Lock {
  release(): void;
}

/**
 * The update lock: a file created with O_EXCL holding the owner's pid. A lock whose pid is no
 * longer running (a killed update) is stale and taken over. Otherwise wait, up to `timeoutMs`,
 * then fail naming the holder. Readers never take it.
 */
export async function acquireUpdateLock(
  dir: string,
  options: { timeoutMs: number; onWait?: (pid: number) => void },
): Promise<Lock> {
  const file = path.join(dir, 'update.lock');
  const deadline = Date.now() + options.timeoutMs;
  let waited = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new BosunError('database', `cannot create lock ${file}: ${(err as Error).message}`, {
          subject: file,
          cause: err,
        });
      }
    }
    const holder = readPid(file);
    if (holder === undefined) continue; // released between our open and read
    if (!isRunning(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new BosunError(
        'database',
        `another database update (pid ${holder}) holds ${file}; wait for it or remove the file if that process is gone`,
        {
          subject: file,
        },
      );
    }
    if (!waited) options.onWait?.(holder);
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  if (pid === 0) return true; // empty: the owner is between creating and writing it
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
