import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { analyzersFor, SCANNERS, type Scanner } from '../analyzer/registry.js';
import { withSecretConfig } from '../analyzer/secret/index.js';
import { LayerCache } from '../cache/layer-cache.js';
import { BosunError, ExitCode } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { applyFilters } from '../gate/filter.js';
import { evaluateGate, readGateFile } from '../gate/gate-file.js';
import { readIgnoreFile } from '../gate/ignore-file.js';
import { readVexFile, type VexStatement } from '../gate/vex.js';
import { SEVERITIES } from '../report/severity-order.js';
import { baseLayerDiffIds } from '../scan/base-layers.js';
import { catalogTarget, type TargetKind } from '../scan/catalog.js';
import { remediationOf } from '../scan/remediation.js';
import { readSbomReport } from '../scan/sbom-input.js';
import { addVulnerabilities } from '../scan/vulnerabilities.js';
import { dbPath, openVulnDb, resolveCacheDir, updateDb } from '../vulndb/index.js';
import { parseExitCode, parseSeverities } from './flags.js';
import { addOutputOptions, collect, parseOutputs, writeOutputs } from './output.js';
import { addSourceOptions, sourceOptionsFrom, type SourceFlags } from './source-options.js';

const FORMATS = ['table', 'json', 'sarif', 'cyclonedx', 'spdx-json', 'junit', 'gitlab', 'markdown'];
const DEFAULT_IGNORE_FILE = '.bosunignore';

interface ScanFlags extends SourceFlags {
  format?: string[];
  output?: string;
  severity?: string;
  ignoreUnfixed?: boolean;
  ignorefile?: string;
  vex?: string[];
  exitCode?: string;
  gate?: string;
  cacheDir?: string;
  skipDbUpdate?: boolean;
  offline?: boolean;
  dbRepository?: string;
  quiet?: boolean;
  scanners?: string;
  secretConfig?: string;
}

/** `bosun image`, `fs`, `rootfs` and `scan-sbom`: catalog, match, filter, report, gate. */
export function register(program: Command): void {
  withScanOptions(
    addSourceOptions(
      program
        .command('image')
        .description('Scan a container image for vulnerable packages')
        .argument('<target>', 'image reference, or with --input a path to an archive or OCI layout'),
    ),
  ).action((target: string, flags: ScanFlags) => run('image', target, flags));
  withScanOptions(
    program
      .command('fs')
      .description('Scan a project directory: its lockfiles, manifests and installed packages')
      .argument('<dir>', 'directory'),
  ).action((dir: string, flags: ScanFlags) => run('fs', dir, flags));
  withScanOptions(
    program
      .command('rootfs')
      .description('Scan an unpacked root filesystem (OS and language packages)')
      .argument('<dir>', 'root filesystem directory'),
  ).action((dir: string, flags: ScanFlags) => run('rootfs', dir, flags));
  withScanOptions(
    program
      .command('scan-sbom')
      .description(
        "Scan the packages listed in a CycloneDX or SPDX JSON SBOM (bosun's own or another tool's)",
      )
      .argument('<file>', 'SBOM file'),
  ).action((file: string, flags: ScanFlags) => run('sbom', file, flags));
}

function withScanOptions(command: Command): Command {
  return addOutputOptions(command, FORMATS)
    .option('--severity <list>', `severities to report, comma-separated: ${SEVERITIES.join(',')}`)
    .option('--ignore-unfixed', 'report only vulnerabilities that have a fix')
    .option(
      '--ignorefile <file>',
      `ids to ignore, with optional package scope and expiry (default ${DEFAULT_IGNORE_FILE} when present)`,
    )
    .option(
      '--vex <file>',
      'OpenVEX or CycloneDX VEX document (repeatable): not_affected and fixed statements suppress',
      collect,
    )
    .option('--exit-code <code>', 'exit with this code when findings remain (or when --gate fails)')
    .option('--gate <file>', 'gate file with per-severity thresholds (security_gates.container_scan)')
    .addOption(
      new Option('--cache-dir <dir>', 'cache directory (database, layer cache)').env('BOSUN_CACHE_DIR'),
    )
    .option('--skip-db-update', 'never download the database, even when there is none')
    .option('--offline', 'no network for the database (implies --skip-db-update)')
    .addOption(
      new Option('--db-repository <url|dir>', 'OSV bucket URL or mirror for a first update').env(
        'BOSUN_DB_REPOSITORY',
      ),
    )
    .option('--scanners <list>', `what to look for, comma-separated: ${SCANNERS.join(',')}`, 'vuln,secret')
    .option('--secret-config <file>', 'custom secret rules, allow rules and disabled rules (YAML)')
    .option('-q, --quiet', 'no progress or notices on stderr');
}

async function run(kind: TargetKind | 'sbom', target: string, flags: ScanFlags): Promise<void> {
  const outputs = parseOutputs(flags.format ?? ['table'], flags.output, FORMATS);
  const severities = parseSeverities(flags.severity);
  const exitCode = parseExitCode(flags.exitCode);
  const ignoreFile = flags.ignorefile ?? (existsSync(DEFAULT_IGNORE_FILE) ? DEFAULT_IGNORE_FILE : undefined);
  const [ignoreRules, vex, gate] = await Promise.all([
    ignoreFile ? readIgnoreFile(ignoreFile) : undefined,
    Promise.all((flags.vex ?? []).map(readVexFile)).then((lists): VexStatement[] => lists.flat()),
    flags.gate ? readGateFile(flags.gate) : undefined,
  ]);
  const scanners = parseScanners(flags.scanners);
  const cacheDir = resolveCacheDir(flags.cacheDir);
  const matching = scanners.includes('vuln');
  if (matching) await ensureDatabase(cacheDir, flags);

  let report: Report;
  let baseLayers = new Set<string>();
  if (kind === 'sbom') {
    report = await readSbomReport(target);
  } else {
    const catalog = await catalogTarget(kind, target, {
      ...sourceOptionsFrom(flags),
      analyzers: await withSecretConfig(analyzersFor(scanners), flags.secretConfig),
      layerCache: new LayerCache(cacheDir),
    });
    report = catalog.report;
    if (kind === 'image') baseLayers = baseLayerDiffIds(catalog.config);
  }
  if (matching) {
    const db = openVulnDb({ cacheDir });
    try {
      report = addVulnerabilities(report, db, baseLayers);
    } finally {
      db.close();
    }
  }
  report = applyFilters(report, {
    ...(severities ? { severities } : {}),
    ignoreUnfixed: flags.ignoreUnfixed,
    ignoreRules,
    vex,
  });
  const ecosystems = new Map(
    report.results.flatMap((r) =>
      (r.packages ?? []).map(
        (p) =>
          [
            p.id,
            p.ecosystem.includes(':') ? p.ecosystem : (report.artifact.os?.ecosystem ?? p.ecosystem),
          ] as const,
      ),
    ),
  );
  report = { ...report, remediation: remediationOf(report, (id) => ecosystems.get(id)) };
  await writeOutputs(report, outputs);
  // A table on stdout shows the notices itself; saying them on stderr as well would print them twice.
  const tableOnStdout = outputs.some((o) => o.format === 'table' && !o.file);
  if (!flags.quiet && !tableOnStdout)
    for (const notice of report.notices ?? []) process.stderr.write(`bosun: ${notice}\n`);

  if (gate) {
    const verdict = evaluateGate(report, gate);
    if (!verdict.passed) {
      process.stderr.write(`bosun: gate failed:\n${verdict.violations.map((v) => `  ${v}`).join('\n')}\n`);
      process.exitCode = exitCode ?? ExitCode.gateFailed;
    }
  } else if (exitCode !== undefined && report.results.some((r) => (r.vulnerabilities?.length ?? 0) > 0)) {
    process.exitCode = exitCode;
  }
}

/** A first scan with no database fetches one, unless told not to touch the network. */
async function ensureDatabase(cacheDir: string, flags: ScanFlags): Promise<void> {
  if (existsSync(dbPath(cacheDir))) return;
  if (flags.skipDbUpdate || flags.offline) {
    throw new BosunError(
      'database',
      `no vulnerability database at ${dbPath(cacheDir)} and --skip-db-update/--offline was given; run \`bosun db import\` first`,
      { subject: dbPath(cacheDir) },
    );
  }
  if (!flags.quiet)
    process.stderr.write(`bosun: no vulnerability database yet; downloading it to ${cacheDir}\n`);
  await updateDb({ cacheDir, ...(flags.dbRepository ? { repository: flags.dbRepository } : {}) });
}

function parseScanners(value: string | undefined): Scanner[] {
  const list = (value ?? 'vuln,secret').split(',').map((s) => s.trim());
  for (const s of list) {
    if (!(SCANNERS as readonly string[]).includes(s)) {
      throw new BosunError('usage', `--scanners: unknown scanner "${s}" (expected ${SCANNERS.join(', ')})`, {
        subject: '--scanners',
      });
    }
  }
  return list as Scanner[];
}
