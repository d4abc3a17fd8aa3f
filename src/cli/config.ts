import type { Command } from 'commander';
import { BosunError } from '../core/errors.js';
import type { Report, Severity } from '../core/report.js';
import { scanConfigPath } from '../misconfig/config-scan.js';
import { loadPolicies, policyChecks } from '../misconfig/cel-policy.js';
import { SEVERITIES } from '../report/severity-order.js';
import { collect, parseOutputs, writeOutputs } from './output.js';

const FORMATS = ['table', 'json', 'sarif', 'junit', 'gitlab', 'markdown'];

interface ConfigFlags {
  format?: string[];
  output?: string;
  severity?: string;
  allowedRegistries?: string;
  policy?: string[];
  exitCode?: string;
}

/** `bosun config PATH`: Dockerfile and Kubernetes manifest checks, network policies, CEL policies. */
export function register(program: Command): void {
  program
    .command('config')
    .description('Check Dockerfiles and Kubernetes manifests (a file or a directory) for misconfigurations')
    .argument('<path>', 'file or directory')
    .option(
      '--format <format>',
      `output format (repeatable; FORMAT=FILE writes a file): ${FORMATS.join('|')}`,
      collect,
    )
    .option('-o, --output <file>', 'write the output to this file')
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
    .action((target: string, flags: ConfigFlags) => run(target, flags));
}

async function run(target: string, flags: ConfigFlags): Promise<void> {
  const outputs = parseOutputs(flags.format ?? ['table'], flags.output, FORMATS);
  const severities = parseSeverities(flags.severity);
  const exitCode = parseExitCode(flags.exitCode);
  const policies = (await Promise.all((flags.policy ?? []).map(loadPolicies))).flat();
  const allowedRegistries = (flags.allowedRegistries ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let report: Report = await scanConfigPath(target, {
    allowedRegistries,
    ...(policies.length ? { extraChecks: policyChecks(policies) } : {}),
  });
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

function parseSeverities(value: string | undefined): Severity[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((s) => s.trim().toUpperCase());
  const unknown = list.find((s) => !(SEVERITIES as readonly string[]).includes(s));
  if (unknown !== undefined) {
    throw new BosunError(
      'usage',
      `--severity: unknown severity "${unknown}" (expected ${SEVERITIES.join(', ')})`,
      {
        subject: '--severity',
      },
    );
  }
  return list as Severity[];
}

function parseExitCode(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const code = Number(value);
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    throw new BosunError('usage', `--exit-code: expected a whole number from 0 to 255, got "${value}"`, {
      subject: '--exit-code',
    });
  }
  return code;
}
