import { benchImage } from '../image.js';
import { median, runChild } from '../lib.js';
import type { BenchCase, BenchRow } from '../types.js';

interface ChildResult {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  secrets: number;
}

/**
 * The secret analyzer's cost on a cold scan: walkImage over every layer with only the secret
 * analyzer against walkImage with none (decompression, tar framing and digest checks alone).
 * Runs alternate between the two; CPU time is reported too, as wall time on a shared machine
 * moves with other load.
 */
export const secretCase: BenchCase = {
  name: 'secret',
  description: 'walkImage with only the secret analyzer vs with no analyzers',
  async run(ctx) {
    const image = benchImage(ctx.log);
    const variants = [
      { name: 'no analyzers', arg: 'none', results: [] as ChildResult[] },
      { name: 'secret analyzer only', arg: 'secret', results: [] as ChildResult[] },
    ];
    for (let run = 0; run < ctx.runs; run++) {
      for (const v of variants)
        v.results.push(await runChild<ChildResult>('cases/secret-child.ts', [image.target, v.arg]));
      ctx.log(`run ${run + 1}/${ctx.runs} done`);
    }
    const [base, secret] = variants.map((v) => ({
      ms: median(v.results.map((r) => r.ms)),
      cpuMs: median(v.results.map((r) => r.cpuMs)),
    }));
    const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(0)}%`;
    return variants.map((v, i): BenchRow => ({
      name: `${v.name} (${image.label})`,
      medianMs: i === 0 ? base!.ms : secret!.ms,
      medianCpuMs: i === 0 ? base!.cpuMs : secret!.cpuMs,
      runs: ctx.runs,
      peakRssMb: Math.max(...v.results.map((r) => r.maxRssMb)),
      ...(i === 0
        ? {}
        : {
            note: `overhead: wall ${pct(secret!.ms, base!.ms)}, cpu ${pct(secret!.cpuMs, base!.cpuMs)}; ${v.results[0]!.secrets} secrets`,
          }),
    }));
  },
};
