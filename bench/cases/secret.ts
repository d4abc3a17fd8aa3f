import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchImage, fixtureLayout, type BenchImage } from '../image.js';
import { bosunBin, buildWithDatabase, measureCommand, median, runChild } from '../lib.js';
import type { BenchCase, BenchContext, BenchRow } from '../types.js';

interface Measure {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  secrets?: number;
}

interface Variant {
  name: string;
  results: Measure[];
}

const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(0)}%`;

/**
 * The secret analyzer's cost on a cold scan, two ways; runs alternate between the variants and
 * CPU time is reported too, as wall time on a shared machine moves with other load.
 * - What users see (bosun issue #6's figure): `bosun image` of the multi-ecosystem fixture with an
 *   empty layer cache, `--scanners vuln` against `--scanners vuln,secret`.
 * - The analyzer alone: walkImage over every layer of the Debian fixture with only the secret
 *   analyzer against walkImage with none (decompression, tar framing and digest checks alone).
 */
export const secretCase: BenchCase = {
  name: 'secret',
  description: 'cold bosun image with and without secrets; walkImage with only the secret analyzer vs none',
  async run(ctx) {
    return [...(await cliRows(ctx)), ...(await walkRows(ctx))];
  },
};

async function cliRows(ctx: BenchContext): Promise<BenchRow[]> {
  const image = fixtureLayout('multi', ctx.log);
  if (!image) {
    ctx.log('multi fixture not built (run the tests once); CLI rows skipped');
    return [];
  }
  const work = mkdtempSync(path.join(tmpdir(), 'bosun-bench-secret-'));
  try {
    const dbCache = buildWithDatabase(work);
    const variants = ['vuln', 'vuln,secret'].map((scanners) => ({
      name: scanners,
      results: [] as Measure[],
    }));
    for (let run = 0; run < ctx.runs; run++) {
      for (const v of variants) {
        // A fresh cache with only the database: every layer is read.
        const cacheDir = path.join(work, 'cache');
        cpSync(path.join(dbCache, 'db'), path.join(cacheDir, 'db'), { recursive: true });
        const args = [
          ...['image', '--input', image.target, '--offline', '--cache-dir', cacheDir, '-q'],
          ...['--scanners', v.name, '--format', 'json', '-o', '/dev/null'],
        ];
        v.results.push(await measureCommand(process.execPath, [bosunBin, ...args]));
        rmSync(cacheDir, { recursive: true, force: true });
      }
      ctx.log(`cli: run ${run + 1}/${ctx.runs} done`);
    }
    return overheadRows(variants, (v) => `bosun image --scanners ${v.name}, cold (${image.label})`, ctx.runs);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function walkRows(ctx: BenchContext): Promise<BenchRow[]> {
  const image: BenchImage = benchImage(ctx.log);
  const variants = [
    { name: 'no analyzers', arg: 'none', results: [] as Measure[] },
    { name: 'secret analyzer only', arg: 'secret', results: [] as Measure[] },
  ];
  for (let run = 0; run < ctx.runs; run++) {
    for (const v of variants)
      v.results.push(await runChild<Measure>('cases/secret-child.ts', [image.target, v.arg]));
    ctx.log(`walk: run ${run + 1}/${ctx.runs} done`);
  }
  const rows = overheadRows(variants, (v) => `walkImage, ${v.name} (${image.label})`, ctx.runs);
  rows[1]!.note += `; ${variants[1]!.results[0]!.secrets} secrets`;
  return rows;
}

/** A row per variant (median wall and CPU); the second notes its overhead over the first. */
function overheadRows(variants: Variant[], name: (v: Variant) => string, runs: number): BenchRow[] {
  const medians = variants.map((v) => ({
    ms: median(v.results.map((r) => r.ms)),
    cpuMs: median(v.results.map((r) => r.cpuMs)),
  }));
  const [base, other] = medians;
  return variants.map((v, i): BenchRow => ({
    name: name(v),
    medianMs: medians[i]!.ms,
    medianCpuMs: medians[i]!.cpuMs,
    runs,
    peakRssMb: Math.max(...v.results.map((r) => r.maxRssMb)),
    ...(i === 0
      ? {}
      : { note: `overhead: wall ${pct(other!.ms, base!.ms)}, cpu ${pct(other!.cpuMs, base!.cpuMs)}` }),
  }));
}
