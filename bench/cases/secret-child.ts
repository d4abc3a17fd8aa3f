// Child of the secret bench case: reads every layer of an image with either no analyzers or only
// the secret analyzer, and prints {ms, cpuMs, maxRssMb, secrets} as one JSON line.
import { secretAnalyzer } from '../../src/analyzer/secret/index.js';
import { walkImage } from '../../src/layer/index.js';
import { openImageSource } from '../../src/source/index.js';

const [target, variant] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const start = performance.now();
const source = await openImageSource(target!, { input: true });
const layers = await walkImage(source, variant === 'secret' ? [secretAnalyzer] : []);
await source.close();
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpu0);
const secrets = layers.reduce(
  (n, l) => n + l.files.reduce((m, f) => m + (f.output.secrets?.length ?? 0), 0),
  0,
);
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, secrets })}\n`,
);
