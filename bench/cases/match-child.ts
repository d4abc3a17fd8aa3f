// Child of the scan bench case: `TARGET CACHE_DIR` catalogs an image through a warm layer cache,
// then times the matching step alone (open the database, match every package, as `bosun image`
// does), so that the warm scan's figure can be split into matching and the rest. Prints one
// JSON line {ms, cpuMs, maxRssMb, findings}.
import { analyzersFor } from '../../src/analyzer/registry.js';
import { LayerCache } from '../../src/cache/layer-cache.js';
import { baseLayerDiffIds } from '../../src/scan/base-layers.js';
import { catalogTarget } from '../../src/scan/catalog.js';
import { addVulnerabilities } from '../../src/scan/vulnerabilities.js';
import { openVulnDb } from '../../src/vulndb/index.js';

const [target, cacheDir] = process.argv.slice(2) as [string, string];
const { report, config } = await catalogTarget('image', target, {
  input: true,
  analyzers: analyzersFor(['vuln', 'secret']),
  layerCache: new LayerCache(cacheDir),
});
const start = performance.now();
const cpuStart = process.cpuUsage();
const db = openVulnDb({ cacheDir });
let matched;
try {
  matched = addVulnerabilities(report, db, baseLayerDiffIds(config));
} finally {
  db.close();
}
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(
  `${JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    findings: matched.results.reduce((n, r) => n + (r.vulnerabilities?.length ?? 0), 0),
  })}\n`,
);
