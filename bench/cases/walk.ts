import { benchImage } from '../image.js';
import { measureCommand, median, runChild } from '../lib.js';
import type { BenchCase, BenchRow } from '../types.js';

interface ChildResult {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  files: number;
  bytes: number;
}

/**
 * Reading every layer through walkImage with no analyzers, against the floor: the native
 * decompressor (gzip -dc / zstd -dc) of the same blobs, one after another, output discarded.
 * Node's own inflate of the same blobs shows what is left for the tar parsing.
 * Runs alternate between the two so that load from other processes hits both alike.
 */
export const walkCase: BenchCase = {
  name: 'walk',
  description: 'walkImage over every layer, no analyzers, vs the native decompressor floor',
  async run(ctx) {
    const image = benchImage(ctx.log);
    const mb = (image.layers.reduce((sum, l) => sum + l.size, 0) / 1e6).toFixed(1);
    ctx.log(`image ${image.label}: ${image.layers.length} layers, ${mb} MB compressed`);
    const floorScript =
      'for f; do case $(od -An -tx1 -N2 "$f" | tr -d " ") in 1f8b) gzip -dc "$f";; 28b5) zstd -dc "$f";; *) cat "$f";; esac; done >/dev/null';
    const floorArgs = ['-c', floorScript, 'sh', ...image.layers.map((l) => l.file)];
    const floor: { ms: number; cpuMs: number; maxRssMb: number }[] = [];
    const gzipped = image.layers.every((l) => l.mediaType.endsWith('gzip'));
    const inflate: ChildResult[] = [];
    const variants = [
      { name: 'walkImage, concurrency 2 (default)', concurrency: 2, results: [] as ChildResult[] },
      { name: 'walkImage, concurrency 1', concurrency: 1, results: [] as ChildResult[] },
    ];
    for (let run = 0; run < ctx.runs; run++) {
      floor.push(await measureCommand('sh', floorArgs));
      if (gzipped)
        inflate.push(
          await runChild<ChildResult>(
            'cases/inflate-child.ts',
            image.layers.map((l) => l.file),
          ),
        );
      for (const v of variants)
        v.results.push(
          await runChild<ChildResult>('cases/walk-child.ts', [image.target, String(v.concurrency)]),
        );
      ctx.log(`run ${run + 1}/${ctx.runs} done`);
    }
    const floorMs = median(floor.map((r) => r.ms));
    const floorCpuMs = median(floor.map((r) => r.cpuMs));
    /** Compared with the floor both ways: wall time, and CPU time (steadier on a loaded machine). */
    const row = (name: string, results: ChildResult[]): BenchRow => {
      const ms = median(results.map((r) => r.ms));
      const cpuMs = median(results.map((r) => r.cpuMs));
      return {
        name,
        medianMs: ms,
        medianCpuMs: cpuMs,
        runs: ctx.runs,
        peakRssMb: Math.max(...results.map((r) => r.maxRssMb)),
        note: `${(ms / floorMs).toFixed(2)}x floor wall, ${(cpuMs / floorCpuMs).toFixed(2)}x floor CPU`,
      };
    };
    const first = variants[0]!.results[0]!;
    const rows: BenchRow[] = [
      {
        name: `floor: native decompress (${image.label})`,
        medianMs: floorMs,
        medianCpuMs: floorCpuMs,
        runs: ctx.runs,
        peakRssMb: Math.max(...floor.map((r) => r.maxRssMb)),
        note: `${(first.bytes / 1e6).toFixed(0)} MB tar, ${first.files} entries`,
      },
    ];
    if (gzipped) rows.push(row('node zlib inflate only, no tar parsing', inflate));
    for (const v of variants) rows.push(row(v.name, v.results));
    return rows;
  },
};
