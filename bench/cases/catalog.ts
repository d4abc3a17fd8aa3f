import { statSync } from 'node:fs';
import path from 'node:path';
import { rpmFixtures } from '../../src/analyzer/pkg/rpm/test-fixtures.js';
import { fixtureLayout } from '../image.js';
import { measuredRow, median, runChild, type Measure } from '../lib.js';
import type { BenchCase, BenchRow } from '../types.js';

interface ChildResult extends Measure {
  count: number;
}

/**
 * Cataloging the multi fixture image — finding its packages, as `bosun sbom` does — against the
 * same pipeline with no analyzers (target: at most 20 % more); the misconfiguration and secret
 * scanners on top, for comparison; and parsing CentOS 8's Berkeley DB rpmdb (target: under 1 s).
 * Runs alternate between the variants so that load from other processes hits them alike.
 */
export const catalogCase: BenchCase = {
  name: 'catalog',
  description:
    'catalog the multi image (package analyzers; + misconfig; + secret; none); parse the CentOS 8 rpmdb',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const runs = Math.min(ctx.runs, 3);
    const target = fixtureLayout('multi', ctx.log)?.target;
    if (!target) ctx.log('multi fixture image not built (test/fixtures/build-images.sh); skipping it');
    else {
      const variants = {
        none: [] as ChildResult[],
        packages: [] as ChildResult[],
        misconfig: [] as ChildResult[],
        all: [] as ChildResult[],
      };
      for (let run = 0; run < runs; run++) {
        for (const [variant, results] of Object.entries(variants))
          results.push(await runChild<ChildResult>('cases/catalog-child.ts', ['image', target, variant]));
        ctx.log(`image run ${run + 1}/${runs} done`);
      }
      const floor = variants.none;
      const floorMs = median(floor.map((r) => r.ms));
      const floorCpuMs = median(floor.map((r) => r.cpuMs));
      const percent = (value: number, base: number) => `${((value / base - 1) * 100).toFixed(0)} %`;
      const overhead = (results: ChildResult[]) =>
        `+${percent(median(results.map((r) => r.ms)), floorMs)} wall, +${percent(median(results.map((r) => r.cpuMs)), floorCpuMs)} CPU vs none`;
      rows.push(measuredRow('multi image, no analyzers (read layers, apply)', floor, '0 packages'));
      const variantRow = (name: string, results: ChildResult[], target = '') =>
        measuredRow(name, results, `${results[0]!.count} packages; ${overhead(results)}${target}`);
      rows.push(
        variantRow('multi image, package analyzers (catalog, sbom)', variants.packages, '; target +20 %'),
        variantRow('multi image, package + misconfig analyzers', variants.misconfig),
        variantRow('multi image, all analyzers (+ secret)', variants.all),
      );
    }
    const rpmdb = path.join(rpmFixtures().bdbDir, 'centos8-modularitylabel', 'Packages');
    const rpm: ChildResult[] = [];
    for (let run = 0; run < ctx.runs; run++)
      rpm.push(await runChild<ChildResult>('cases/catalog-child.ts', ['rpmdb', rpmdb]));
    const mb = (statSync(rpmdb).size / 1e6).toFixed(1);
    rows.push(
      measuredRow('CentOS 8 BDB rpmdb parse', rpm, `${rpm[0]!.count} packages, ${mb} MB; target < 1000 ms`),
    );
    return rows;
  },
};
