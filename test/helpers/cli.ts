import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './paths.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the bosun CLI from source in a child process, as a user would, with no cache or database
 * settings inherited from the caller's environment. `entry` runs a built CLI instead.
 */
export function runBosun(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; entry?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      options.entry
        ? [options.entry, ...args]
        : ['--import', 'tsx', path.join(repoRoot, 'src/cli/bin.ts'), ...args],
      {
        cwd: options.cwd ?? repoRoot,
        env: {
          ...process.env,
          BOSUN_CACHE_DIR: '',
          XDG_CACHE_HOME: '',
          BOSUN_DB_REPOSITORY: '',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
