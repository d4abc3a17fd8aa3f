import type { Command } from 'commander';
import { BosunError } from '../core/errors.js';
import type { ImageConfig } from '../core/image.js';
import type { Misconfiguration, Report, Result } from '../core/report.js';
import { existsSync } from 'node:fs';
import { configReport, scanConfigPath } from '../misconfig/config-scan.js';
import { imageConfigResult } from '../misconfig/image-config.js';
import { openImageSource } from '../source/index.js';
import { SEVERITIES } from '../report/severity-order.js';
import { parseExitCode, parseSeverities } from './flags.js';
import { addOutputOptions, collect, parseOutputs, writeOutputs } from './output.js';

const FORMATS = ['table', 'json', 'sarif', 'junit', 'gitlab', 'markdown'];

interface ConfigFlags {
  format?: string[];
  output?: string;
  severity?: string;
  allowedRegistries?: string;
  policy?: string[];
  exitCode?: string;
  image?: string;
}

/** `bosun config PATH`: Dockerfile and Kubernetes manifest checks, network policies, CEL policies. */
export function register(program: Command): void {
  addOutputOptions(
    program
      .command('config')
      .description('Check Dockerfiles and Kubernetes manifests (a file or a directory) for misconfigurations')
      .argument('[path]', 'file or directory')
      .option(
        '--image <ref|archive>',
        "also check an image's config and history (a path is read as an archive)",
      ),
    FORMATS,
  )
    .option('--severity <list>', `severities to report, comma-separated: ${SEVERITIES.join(',')}`)
    .option(
      '--allowed-registries <list>',
      'registries images may come from, comma-separated (e.g. ghcr.io/acme)',
    )
    .option(
      '--policy <dir>',
      'directory of ValidatingAdmissionPolicy-style CEL policies (repeatable)',
      collect,
    )
    .option('--exit-code <code>', 'exit with this code when misconfigurations remain')
    .action((target: string | undefined, flags: ConfigFlags) => run(target, flags));
}

async function run(target: string | undefined, flags: ConfigFlags): Promise<void> {
  if (target === undefined && flags.image === undefined) {
    throw new BosunError('usage', 'give a PATH to check, or --image', { subject: 'config' });
  }
  const outputs = parseOutputs(flags.format ?? ['table'], flags.output, FORMATS);
  const severities = parseSeverities(flags.severity);
  const exitCode = parseExitCode(flags.exitCode);
  // The CEL engine and policy schema load only when policies are given.
  const cel = flags.policy?.length ? await import('../misconfig/cel-policy.js') : undefined;
  const policies = cel ? (await Promise.all(flags.policy!.map(cel.loadPolicies))).flat() : [];
  const allowedRegistries = (flags.allowedRegistries ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let report: Report = target
    ? await scanConfigPath(target, {
        allowedRegistries,
        ...(cel && policies.length ? { extraChecks: cel.policyChecks(policies) } : {}),
      })
    : configReport(flags.image!, [], []);
  if (flags.image !== undefined) {
    const result = await checkImage(flags.image, (config, name) =>
      cel ? cel.evaluateImagePolicies(policies, config, name) : [],
    );
    report = { ...report, results: [...report.results, result] };
  }
  if (severities) {
    report = {
      ...report,
      results: report.results.map((r) => ({
        ...r,
        misconfigurations: (r.misconfigurations ?? []).filter((m) => severities.includes(m.severity)),
      })),
    };
  }
  await writeOutputs(report, outputs);
  const count = report.results.reduce((n, r) => n + (r.misconfigurations?.length ?? 0), 0);
  if (exitCode !== undefined && count > 0) process.exitCode = exitCode;
}

/** An image's config checks and ImageConfig policies; a path that exists is read as an archive or layout. */
async function checkImage(
  image: string,
  evaluatePolicies: (config: ImageConfig, name: string) => Misconfiguration[],
): Promise<Result> {
  const source = await openImageSource(image, { input: existsSync(image) });
  try {
    const config = await source.config();
    return imageConfigResult(config, evaluatePolicies(config, source.name));
  } finally {
    await source.close();
  }
}
