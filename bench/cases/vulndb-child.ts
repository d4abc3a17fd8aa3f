// Child of the vulndb bench case: imports the OSV fixture mirror into a fresh cache directory,
// then looks up and evaluates advisories for 2,000 packages on the warm database. Prints one
// JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evaluate } from '../../src/matcher/index.js';
import { getComparator } from '../../src/version/index.js';
import { importPath, openVulnDb } from '../../src/vulndb/index.js';
import { sharedFixtures } from '../../test/helpers/paths.js';
import Database from 'better-sqlite3';

const PACKAGES = 2000;
const cacheDir = mkdtempSync(path.join(tmpdir(), 'bosun-bench-vulndb-'));
try {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results = await importPath(path.join(sharedFixtures, 'osv'), { cacheDir });
  const importMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const records = results.reduce((n, r) => n + r.imported, 0);

  // 2,000 distinct packages, each with a version taken from its own ranges (a boundary: the
  // evaluation walks every event), spread over the whole table. GIT ranges name commits, which
  // no installed package has as its version: the version comes from a SEMVER or ECOSYSTEM range.
  const raw = new Database(path.join(cacheDir, 'db', 'bosun.db'), { readonly: true });
  const all = (
    raw
      .prepare('SELECT ecosystem, name, MIN(ranges) AS ranges FROM affected GROUP BY ecosystem, name_key')
      .all() as { ecosystem: string; name: string; ranges: string }[]
  ).map((p) => {
    const ranges = JSON.parse(p.ranges) as { type: string; events: Record<string, string>[] }[];
    const events = ranges.find((r) => r.type !== 'GIT')?.events ?? [];
    const version = events.map((e) => Object.values(e)[0]!).find((v) => v !== '0') ?? '1.0.0';
    return { ecosystem: p.ecosystem, name: p.name, version };
  });
  raw.close();
  const step = all.length / PACKAGES;
  const chosen = new Set(
    Array.from({ length: Math.min(PACKAGES, all.length) }, (_, i) => Math.floor(i * step)),
  );
  const packages = all.filter((_, i) => chosen.has(i));
  // The warm-up looks up the other packages, twice (some 11,000 advisories, more than the
  // measured run's, for a steady JIT): it warms the file's pages, the statements and the code,
  // not the per-version caches, so the measured run parses its versions for the first time.
  const others = all.filter((_, i) => !chosen.has(i));

  const db = openVulnDb({ cacheDir });
  const lookup = (list: typeof all) => {
    let advisories = 0;
    let affected = 0;
    for (const p of list) {
      const comparator = getComparator(p.ecosystem) ?? { compare: () => 0 as const };
      for (const advisory of db.advisoriesFor(p.ecosystem, p.name)) {
        advisories++;
        const result = evaluate(advisory, p.ecosystem, p.name, p.version, comparator);
        if (!result.invalidVersion && result.affected) affected++;
      }
    }
    return { advisories, affected };
  };
  for (let pass = 0; pass < 2; pass++) lookup(others);
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  const counts = lookup(packages);
  const lookupMs = performance.now() - t1;
  const lookupCpu = process.cpuUsage(cpu1);
  const status = db.status();
  db.close();
  process.stdout.write(
    `${JSON.stringify({
      records,
      importMs,
      importCpuMs: (cpu.user + cpu.system) / 1000,
      lookupMs,
      lookupCpuMs: (lookupCpu.user + lookupCpu.system) / 1000,
      packages: packages.length,
      ...counts,
      dbBytes: status.sizeBytes,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
