// `npm run bench [case…]`: runs the bench cases (all, or those named) and prints one table.
// Cases are listed here explicitly; add a file under bench/cases/ and a line below.
import { scanCase } from './cases/scan.js';
import { secretCase } from './cases/secret.js';
import { catalogCase } from './cases/catalog.js';
import { vulndbCase } from './cases/vulndb.js';
import { walkCase } from './cases/walk.js';
import type { BenchCase, BenchRow } from './types.js';

const cases: BenchCase[] = [walkCase, vulndbCase, secretCase, scanCase, catalogCase];

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !cases.some((c) => c.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown bench case(s): ${unknown.join(', ')}; known: ${cases.map((c) => c.name).join(', ')}\n`,
  );
  process.exit(2);
}

const rows: (BenchRow & { case: string })[] = [];
for (const benchCase of cases.filter((c) => wanted.length === 0 || wanted.includes(c.name))) {
  process.stderr.write(`[${benchCase.name}] ${benchCase.description}\n`);
  const log = (message: string) => process.stderr.write(`[${benchCase.name}] ${message}\n`);
  for (const row of await benchCase.run({ runs: RUNS, log })) rows.push({ case: benchCase.name, ...row });
}

const table = [
  ['case', 'measurement', 'median ms', 'CPU ms', 'runs', 'peak RSS MB', 'note'],
  ...rows.map((r) => [
    r.case,
    r.name,
    r.medianMs.toFixed(0),
    r.medianCpuMs === undefined ? '-' : r.medianCpuMs.toFixed(0),
    String(r.runs),
    r.peakRssMb === undefined ? '-' : r.peakRssMb.toFixed(0),
    r.note ?? '',
  ]),
];
const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
for (const row of table)
  process.stdout.write(
    `${row
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd()}\n`,
  );
