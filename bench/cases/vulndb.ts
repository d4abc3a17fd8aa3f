import { median, runChild } from '../lib.js';
import type { BenchCase } from '../types.js';

interface ChildResult {
  records: number;
  importMs: number;
  importCpuMs: number;
  lookupMs: number;
  lookupCpuMs: number;
  packages: number;
  advisories: number;
  affected: number;
  dbBytes: number;
  maxRssMb: number;
}

/**
 * `db import` of the whole OSV fixture mirror (target ≥ 5,000 records/s), then advisoriesFor +
 * evaluate for 2,000 packages on the warm database (target < 200 ms), packages the warm-up did
 * not look up. Each run is a fresh child.
 */
export const vulndbCase: BenchCase = {
  name: 'vulndb',
  description: 'import the OSV fixture mirror; look up and evaluate 2,000 packages on the warm DB',
  async run(ctx) {
    const results: ChildResult[] = [];
    for (let run = 0; run < Math.min(ctx.runs, 3); run++) {
      results.push(await runChild<ChildResult>('cases/vulndb-child.ts', []));
      ctx.log(`run ${run + 1} done`);
    }
    const last = results.at(-1)!;
    const importMs = median(results.map((r) => r.importMs));
    const cpuMs = median(results.map((r) => r.importCpuMs));
    return [
      {
        name: `import ${last.records} records`,
        medianMs: importMs,
        medianCpuMs: cpuMs,
        runs: results.length,
        peakRssMb: Math.max(...results.map((r) => r.maxRssMb)),
        note: `${Math.round(last.records / (importMs / 1000))} records/s wall, ${Math.round(last.records / (cpuMs / 1000))}/s of CPU time; DB ${(last.dbBytes / 1e6).toFixed(1)} MB`,
      },
      {
        name: `look up + evaluate ${last.packages} packages (warm)`,
        medianMs: median(results.map((r) => r.lookupMs)),
        medianCpuMs: median(results.map((r) => r.lookupCpuMs)),
        runs: results.length,
        note: `${last.advisories} advisories evaluated, ${last.affected} affected; DB ${(last.dbBytes / 1e6).toFixed(1)} MB`,
      },
    ];
  },
};
