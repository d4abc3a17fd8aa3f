import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types.js';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(benchDir, '..');

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One measured run of a command or bench child. */
export interface Measure {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
}

/** A table row from repeated runs: median wall and CPU time, the highest peak RSS. */
export function measuredRow(name: string, runs: readonly Measure[], note?: string): BenchRow {
  return {
    name,
    medianMs: median(runs.map((r) => r.ms)),
    medianCpuMs: median(runs.map((r) => r.cpuMs)),
    runs: runs.length,
    peakRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
    ...(note ? { note } : {}),
  };
}

/** Runs a command to completion and returns its wall time; throws on a non-zero exit. */
export function timeCommand(file: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: repoRoot, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve({ ms: performance.now() - start, stdout });
    });
  });
}

/** Runs a command under /usr/bin/time: wall and CPU time, peak RSS. */
export async function measureCommand(file: string, args: string[]): Promise<Measure> {
  const marker = '__bosun_bench__';
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/time',
      ['-f', `${marker} %e %U %S %M`, file, ...args],
      { cwd: repoRoot },
      (err, _out, stderr) => {
        const line = stderr.split('\n').find((l) => l.startsWith(marker));
        if (err || !line) return reject(new Error(`${file} ${args.join(' ')}: ${stderr || err?.message}`));
        const [wall, user, sys, rssKb] = line.slice(marker.length).trim().split(' ').map(Number);
        resolve({ ms: wall! * 1000, cpuMs: (user! + sys!) * 1000, maxRssMb: rssKb! / 1024 });
      },
    );
  });
}

/**
 * Runs a TypeScript bench child (through tsx) that prints one JSON line with its own figures:
 * measuring inside the child leaves node's and tsx's start-up out of the time.
 */
export async function runChild<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await timeCommand(process.execPath, [
    '--import',
    'tsx',
    path.join(benchDir, script),
    ...args,
  ]);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

/** The compiled CLI, which the CLI rows run as users do. */
export const bosunBin = path.join(repoRoot, 'bin/bosun.js');

/**
 * Builds the CLI and imports the fixture OSV mirror into `<work>/db-cache`; each measured scan
 * copies that database into a cache directory of its own. Returns the database's cache dir.
 */
export function buildWithDatabase(work: string): string {
  execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  const dbCache = path.join(work, 'db-cache');
  execFileSync(
    process.execPath,
    [bosunBin, 'db', 'import', path.resolve(repoRoot, '../shared/fixtures/osv'), '--cache-dir', dbCache],
    { stdio: 'ignore' },
  );
  return dbCache;
}
