// Child process of the walk bench: inflates the given blobs with node's zlib (sequentially, output
// discarded) and prints {ms, cpuMs, maxRssMb}: the floor for a walker that must gunzip in-process.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

const start = performance.now();
const cpuStart = process.cpuUsage();
for (const file of process.argv.slice(2)) {
  for await (const chunk of createReadStream(file).pipe(createGunzip({ chunkSize: 1 << 16 }))) void chunk;
}
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(`${JSON.stringify({ ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
