import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { analyzersFor } from '../analyzer/registry.js';
import { LayerCache } from '../cache/layer-cache.js';
import { evaluateCompliance, complianceTable, SPECS } from '../compliance/index.js';
import { BosunError, errorMessage } from '../core/errors.js';
import { baseLayerDiffIds } from '../scan/base-layers.js';
import { catalogTarget } from '../scan/catalog.js';
import { addVulnerabilities } from '../scan/vulnerabilities.js';
import { dbPath, openVulnDb, resolveCacheDir } from '../vulndb/index.js';
import { parseExitCode } from './flags.js';
import { addSourceOptions, sourceOptionsFrom, type SourceFlags } from './source-options.js';

const FORMATS = ['table', 'json'];

interface ComplianceFlags extends SourceFlags {
  spec: string;
  format: string;
  output?: string;
  cacheDir?: string;
  exitCode?: string;
}

/** `bosun compliance TARGET --spec cis-docker|pci-dss`: scans an image and judges it against a spec. */
export function register(program: Command): void {
  addSourceOptions(
    program
      .command('compliance')
      .description('Check an image against a compliance spec (CIS Docker Benchmark section 4, PCI DSS 4.0)')
      .argument('<target>', 'image reference, or with --input a path to an archive or OCI layout'),
  )
    .requiredOption('--spec <spec>', `compliance spec: ${Object.keys(SPECS).join('|')}`)
    .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .option('-o, --output <file>', 'write the output to this file')
    .addOption(
      new Option('--cache-dir <dir>', 'cache directory (database, layer cache)').env('BOSUN_CACHE_DIR'),
    )
    .option('--exit-code <code>', 'exit with this code when a control fails')
    .action((target: string, flags: ComplianceFlags) => run(target, flags));
}

async function run(target: string, flags: ComplianceFlags): Promise<void> {
  const spec = SPECS[flags.spec];
  if (!spec) {
    throw new BosunError(
      'usage',
      `--spec: unknown spec "${flags.spec}" (expected ${Object.keys(SPECS).join(', ')})`,
      {
        subject: '--spec',
      },
    );
  }
  if (!FORMATS.includes(flags.format)) {
    throw new BosunError(
      'usage',
      `--format: unknown format "${flags.format}" (expected ${FORMATS.join(', ')})`,
      {
        subject: '--format',
      },
    );
  }
  const exitCode = parseExitCode(flags.exitCode);
  // Patch-level controls need vulnerability data: never judge them on an empty database.
  const cacheDir = resolveCacheDir(flags.cacheDir);
  if (!existsSync(dbPath(cacheDir))) {
    throw new BosunError(
      'database',
      `no vulnerability database at ${dbPath(cacheDir)}; run \`bosun db update\` or \`bosun db import\` first`,
      { subject: dbPath(cacheDir) },
    );
  }
  const catalog = await catalogTarget('image', target, {
    ...sourceOptionsFrom(flags),
    analyzers: analyzersFor(['vuln', 'secret', 'misconfig']),
    layerCache: new LayerCache(cacheDir),
  });
  const db = openVulnDb({ cacheDir });
  let report;
  try {
    report = addVulnerabilities(catalog.report, db, baseLayerDiffIds(catalog.config));
  } finally {
    db.close();
  }
  const result = evaluateCompliance(report, spec);
  const text = flags.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : complianceTable(result);
  if (flags.output) {
    await writeFile(flags.output, text).catch((err: unknown) => {
      throw new BosunError('usage', `--output ${flags.output}: ${errorMessage(err)}`, {
        subject: flags.output,
      });
    });
  } else {
    process.stdout.write(text);
  }
  if (exitCode !== undefined && result.summary.fail > 0) process.exitCode = exitCode;
}
