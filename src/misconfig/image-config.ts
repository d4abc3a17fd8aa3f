import type { Analyzer } from '../analyzer/types.js';
import type { ImageConfig } from '../core/image.js';
import type { Misconfiguration, Result } from '../core/report.js';
import { imageFilesAnalyzer } from './image-files.js';
import {
  hasLiteralValue,
  isSecretName,
  isUrl,
  SENSITIVE_PORTS,
  sensitivePortsOf,
  updateWithoutInstall,
} from './rules.js';

/** The target name of the image-config result, as the report's results name it. */
export const IMAGE_CONFIG_TARGET = 'image config';

/**
 * Checks of the image's config and history (CIS Docker Benchmark v1.6, section 4). Checks that need
 * the image's files (sudo, setuid files, package caches) are the file analyzer's, in
 * image-files.ts: they run while the layers are walked.
 */
export function checkImageConfig(config: ImageConfig): Misconfiguration[] {
  const c = config.config ?? {};
  const found: Misconfiguration[] = [];
  const user = (c.User ?? '').trim();
  if (isRootUser(user)) {
    found.push({
      id: 'BOSUN-IMG-001',
      title: 'Image runs as root',
      severity: 'HIGH',
      message: user ? `USER is "${user}", the root user` : 'No USER is set: containers run as root',
      remediation: 'Create an unprivileged user and switch to it with USER in the Dockerfile',
      controls: ['CIS-DI-4.1'],
    });
  }
  for (const spec of Object.keys(c.ExposedPorts ?? {})) {
    for (const port of sensitivePortsOf(spec)) {
      found.push({
        id: 'BOSUN-IMG-002',
        title: 'Sensitive port exposed',
        severity: 'MEDIUM',
        message: `Port ${spec} (${SENSITIVE_PORTS.get(port)}) is exposed`,
        remediation: 'Remove the EXPOSE; run remote administration outside the container',
        controls: ['CIS-DI-5.8'],
      });
    }
  }
  const test = c.Healthcheck?.Test;
  if (!test || test.length === 0 || test[0] === 'NONE') {
    found.push({
      id: 'BOSUN-IMG-003',
      title: 'No HEALTHCHECK',
      severity: 'LOW',
      message:
        test?.[0] === 'NONE' ? 'HEALTHCHECK NONE disables the health check' : 'The image has no HEALTHCHECK',
      remediation: 'Add a HEALTHCHECK instruction that probes the service',
      controls: ['CIS-DI-4.6'],
    });
  }
  for (const entry of c.Env ?? []) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (isSecretName(name) && eq >= 0 && hasLiteralValue(entry.slice(eq + 1))) {
      found.push({
        id: 'BOSUN-IMG-004',
        title: 'Secret in environment variable',
        severity: 'HIGH',
        message: `ENV ${name} holds a value that looks like a credential`,
        remediation: 'Pass secrets at run time (orchestrator secrets, mounted files, BuildKit --secret)',
        controls: ['CIS-DI-4.10'],
      });
    }
  }
  for (const [index, step] of (config.history ?? []).entries()) {
    const command = step.created_by ?? '';
    const run = shellOf(command);
    if (run !== undefined && updateWithoutInstall(run)) {
      found.push({
        id: 'BOSUN-IMG-005',
        title: 'apt-get update alone in a RUN',
        severity: 'MEDIUM',
        message: `History step ${index + 1} runs apt-get update without installing in the same step`,
        remediation: 'Run `apt-get update && apt-get install …` in one RUN so the index is never stale',
        controls: ['CIS-DI-4.7'],
      });
    }
    const added = addSource(command);
    if (added !== undefined) {
      found.push({
        id: 'BOSUN-IMG-006',
        title: 'ADD from a URL',
        severity: 'LOW',
        message: `History step ${index + 1} adds ${added}`,
        remediation: 'Download with a checksum check in a RUN (or ADD --checksum), or COPY local files',
        controls: ['CIS-DI-4.9'],
      });
    }
  }
  return found;
}

/** Empty, `root`, `0`, `root:…` or `0:…`. */
export function isRootUser(user: string): boolean {
  const name = user.split(':')[0]!.trim();
  return name === '' || name === 'root' || name === '0';
}

/**
 * The shell script of a RUN history entry. Classic builders write `/bin/sh -c CMD` (with `|N ARG=…`
 * before it when build args are set, and `#(nop) ` for non-RUN steps); BuildKit writes
 * `RUN /bin/sh -c CMD # buildkit`.
 */
function shellOf(createdBy: string): string | undefined {
  const m = /^(?:\|\d+(?:\s+\S+=\S*)*\s+)?(?:RUN\s+)?\/bin\/(?:ba)?sh\s+-c\s+(.*)$/s.exec(createdBy.trim());
  if (!m || m[1]!.startsWith('#(nop)')) return undefined;
  return m[1]!.replace(/\s+# buildkit$/, '');
}

/** The URL an ADD history step fetched, in either builder's spelling. */
function addSource(createdBy: string): string | undefined {
  const m = /(?:^|#\(nop\)\s+)ADD\s+(?:--\S+\s+)*(\S+)/.exec(createdBy.trim());
  return m && isUrl(m[1]!) ? m[1] : undefined;
}

/** The image-config result of a scan whose analyzers include the misconfiguration ones. */
export function imageConfigResults(config: ImageConfig, analyzers: readonly Analyzer[]): Result[] {
  if (!analyzers.includes(imageFilesAnalyzer)) return [];
  const misconfigurations = checkImageConfig(config);
  return misconfigurations.length
    ? [{ target: IMAGE_CONFIG_TARGET, class: 'config', type: 'image-config', misconfigurations }]
    : [];
}

/** The image-config result for `bosun config --image`: the built-in checks plus any extra (policy) findings. */
export function imageConfigResult(config: ImageConfig, extra: readonly Misconfiguration[]): Result {
  return {
    target: IMAGE_CONFIG_TARGET,
    class: 'config',
    type: 'image-config',
    misconfigurations: [...checkImageConfig(config), ...extra],
  };
}
