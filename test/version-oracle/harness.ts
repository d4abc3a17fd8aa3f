// Shared pieces of the version comparators' differential tests: a seeded random source, the
// batch runner that feeds thousands of pairs to one oracle process, and the testdata reader.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { InvalidVersionError, type Ordering, type VersionComparator } from '../../src/version/types.js';

export type Pair = readonly [string, string];

/** mulberry32: small, fast and reproducible, so a failing pair can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Gen {
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  repeat(min: number, max: number, f: () => string, sep?: string): string;
}

export function gen(seed: number): Gen {
  const r = rng(seed);
  const g: Gen = {
    int: (n) => Math.floor(r() * n),
    pick: (xs) => xs[Math.floor(r() * xs.length)] as (typeof xs)[number],
    chance: (p) => r() < p,
    repeat: (min, max, f, sep = '') => Array.from({ length: min + g.int(max - min + 1) }, f).join(sep),
  };
  return g;
}

/**
 * Pairs drawn from a pool of generated versions, so that equal and nearly equal versions meet
 * often; a share of pairs compares a version with itself.
 */
export function randomPairs(seed: number, count: number, make: (g: Gen) => string, poolSize = 400): Pair[] {
  const g = gen(seed);
  const pool = Array.from({ length: poolSize }, () => make(g));
  const pairs: Pair[] = [];
  for (let i = 0; i < count; i++) {
    const a = g.pick(pool);
    pairs.push([a, g.chance(0.05) ? a : g.pick(pool)]);
  }
  return pairs;
}

export function hasTool(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** What an oracle says of one pair: an order, or that either version is invalid. */
export type Verdict = Ordering | 'invalid';

/**
 * Runs one oracle process: pairs as "a<TAB>b" lines on stdin, one line per pair on stdout:
 * -1, 0, 1 (any negative or positive number will do) or "invalid".
 */
export function runOracle(
  cmd: string,
  args: string[],
  pairs: readonly Pair[],
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<Verdict[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} exited with ${code}: ${err.slice(0, 2000)}`));
      const lines = out.split('\n').filter((l) => l !== '');
      if (lines.length !== pairs.length) {
        return reject(
          new Error(`${cmd} answered ${lines.length} of ${pairs.length} pairs: ${err.slice(0, 2000)}`),
        );
      }
      resolve(lines.map((l) => (l.trim() === 'invalid' ? 'invalid' : (Math.sign(Number(l)) as Ordering))));
    });
    child.stdin.end(pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
  });
}

/** Asserts our comparator agrees with the oracle on every pair, listing the first disagreements. */
export function assertAgrees(
  comparator: VersionComparator,
  pairs: readonly Pair[],
  expected: readonly Verdict[],
): void {
  const bad: string[] = [];
  pairs.forEach(([a, b], i) => {
    let got: Verdict | string;
    try {
      got = comparator.compare(a, b);
    } catch (e) {
      got = e instanceof InvalidVersionError ? 'invalid' : (e as Error).message;
    }
    if (got !== expected[i]) bad.push(`${a} vs ${b}: oracle ${expected[i]}, ours ${got}`);
  });
  assert.deepEqual(bad.slice(0, 25), [], `${bad.length} of ${pairs.length} pairs disagree`);
}

export interface Case {
  a: string;
  b: string;
  want: Ordering;
  line: number;
}

/** Reads "a < b", "a = b" or "a > b" lines; `#` starts a comment. */
export function loadCases(file: string | URL): Case[] {
  const ops: Record<string, Ordering> = { '<': -1, '=': 0, '>': 1 };
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((raw, i) => ({ text: raw.replace(/#.*/, '').trim(), line: i + 1 }))
    .filter((l) => l.text !== '')
    .map(({ text, line }) => {
      const m = /^(\S+)\s+([<=>])\s+(\S+)$/.exec(text);
      if (!m) throw new Error(`${String(file)}:${line}: cannot read "${text}"`);
      return { a: m[1] as string, b: m[3] as string, want: ops[m[2] as string] as Ordering, line };
    });
}

/** Checks hand cases both ways round (a op b and b reversed-op a). */
export function assertCases(comparator: VersionComparator, cases: readonly Case[]): void {
  const bad: string[] = [];
  for (const c of cases) {
    for (const [a, b, want] of [
      [c.a, c.b, c.want],
      [c.b, c.a, -c.want || 0],
    ] as const) {
      let got: Ordering | string;
      try {
        got = comparator.compare(a, b);
      } catch (e) {
        got = (e as Error).message;
      }
      if (got !== want) bad.push(`line ${c.line}: ${a} vs ${b}: want ${want}, got ${got}`);
    }
  }
  assert.deepEqual(bad, []);
}
