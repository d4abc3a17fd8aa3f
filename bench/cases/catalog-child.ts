// Child process of the catalog bench. `image TARGET all|packages|misconfig|none`: catalogs an image
// (--input) with every analyzer, the package analyzers (what `bosun sbom` runs), the package and
// misconfiguration analyzers (every one but the secret scanner), or none; `rpmdb FILE`: parses an rpm
// database (the file read is not timed). Prints
// {ms, cpuMs, maxRssMb, count} as one JSON line (count: packages found).
import { readFileSync } from 'node:fs';
import { parseRpmDb } from '../../src/analyzer/pkg/rpm/index.js';
import { analyzerGroups, analyzers as allAnalyzers } from '../../src/analyzer/registry.js';
import { catalogTarget } from '../../src/scan/catalog.js';

const [mode, target, variant] = process.argv.slice(2);
const analyzers = {
  all: allAnalyzers,
  packages: analyzerGroups.vuln,
  misconfig: [...analyzerGroups.vuln, ...analyzerGroups.misconfig],
  none: [],
}[variant ?? 'all'];
let count: number;
let start: number;
let cpuStart: NodeJS.CpuUsage;
if (mode === 'rpmdb') {
  const buf = readFileSync(target!);
  start = performance.now();
  cpuStart = process.cpuUsage();
  count = parseRpmDb(buf, target!, 'sha256:bench').packages?.length ?? 0;
} else {
  start = performance.now();
  cpuStart = process.cpuUsage();
  if (!analyzers) throw new Error(`unknown analyzer set ${variant}`);
  const { artifact } = await catalogTarget('image', target!, { input: true, analyzers });
  count = artifact.packages.length;
}
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, count })}\n`,
);
