// Child process of the walk bench: reads every layer of an image with no analyzers and prints
// {ms, cpuMs, maxRssMb, files} as one JSON line.
import { walkImage } from '../../src/layer/index.js';
import { openImageSource } from '../../src/source/index.js';

const [target, concurrency] = process.argv.slice(2);
const start = performance.now();
const cpuStart = process.cpuUsage();
const source = await openImageSource(target!, { input: true });
const layers = await walkImage(source, [], { concurrency: Number(concurrency ?? 2) });
await source.close();
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
const files = layers.reduce((sum, l) => sum + l.stats.fileCount, 0);
const bytes = layers.reduce((sum, l) => sum + l.stats.uncompressedSize, 0);
process.stdout.write(
  `${JSON.stringify({ ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, files, bytes })}\n`,
);
