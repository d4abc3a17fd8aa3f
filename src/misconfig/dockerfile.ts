import type { Instruction, From, PropertyInstruction } from 'dockerfile-ast';
import { lazyRequire } from '../core/lazy.js';
import type { Misconfiguration, Severity } from '../core/report.js';
import {
  hasLiteralValue,
  isSecretName,
  isUrl,
  pipesDownloadToShell,
  SENSITIVE_PORTS,
  sensitivePortsOf,
  updateWithoutInstall,
  usesSudo,
} from './rules.js';
import { isRootUser } from './image-config.js';

interface Check {
  id: string;
  title: string;
  severity: Severity;
  remediation: string;
  controls: string[];
}

const CHECKS = {
  root: {
    id: 'BOSUN-DF-001',
    title: 'Container runs as root',
    severity: 'HIGH',
    remediation: 'Add `USER <non-root user>` after the last step that needs root',
    controls: ['CIS-DI-4.1'],
  },
  port: {
    id: 'BOSUN-DF-002',
    title: 'Sensitive port exposed',
    severity: 'MEDIUM',
    remediation: 'Remove the EXPOSE; run remote administration outside the container',
    controls: ['CIS-DI-5.8'],
  },
  healthcheck: {
    id: 'BOSUN-DF-003',
    title: 'No HEALTHCHECK',
    severity: 'LOW',
    remediation: 'Add a HEALTHCHECK instruction that probes the service',
    controls: ['CIS-DI-4.6'],
  },
  addUrl: {
    id: 'BOSUN-DF-004',
    title: 'ADD from a URL',
    severity: 'LOW',
    remediation: 'Download with a checksum check in a RUN (or ADD --checksum), or COPY local files',
    controls: ['CIS-DI-4.9'],
  },
  aptUpdate: {
    id: 'BOSUN-DF-005',
    title: 'apt-get update alone in a RUN',
    severity: 'MEDIUM',
    remediation: 'Run `apt-get update && apt-get install …` in one RUN so the index is never stale',
    controls: ['CIS-DI-4.7'],
  },
  unpinnedBase: {
    id: 'BOSUN-DF-006',
    title: 'Base image not pinned',
    severity: 'MEDIUM',
    remediation: 'Use a specific tag, better a digest: FROM debian:12.5@sha256:…',
    controls: ['CIS-DI-4.2'],
  },
  secret: {
    id: 'BOSUN-DF-007',
    title: 'Secret in ENV or ARG',
    severity: 'HIGH',
    remediation: 'Pass secrets with BuildKit `RUN --mount=type=secret` or at run time, never ENV/ARG',
    controls: ['CIS-DI-4.10'],
  },
  sudo: {
    id: 'BOSUN-DF-008',
    title: 'sudo used in a RUN',
    severity: 'MEDIUM',
    remediation: 'Build steps already run as the USER in effect: switch USER instead of using sudo',
    controls: ['CIS-DI-4.1'],
  },
  pipeToShell: {
    id: 'BOSUN-DF-009',
    title: 'Download piped into a shell',
    severity: 'MEDIUM',
    remediation: 'Download to a file, verify its checksum or signature, then run it',
    controls: ['CIS-DI-4.11'],
  },
} satisfies Record<string, Check>;

const dockerfileAst = lazyRequire<typeof import('dockerfile-ast')>('dockerfile-ast');

/** Every check's id and title, for documentation and compliance mapping. */
export const DOCKERFILE_CHECKS: readonly Check[] = Object.values(CHECKS);

/** Checks one Dockerfile's text; `path` names it in the findings. */
export function checkDockerfile(text: string, path: string): Misconfiguration[] {
  const dockerfile = dockerfileAst().DockerfileParser.parse(text);
  const found: Misconfiguration[] = [];
  const add = (check: Check, message: string, inst: Instruction | undefined): void => {
    const line = inst?.getRange().start.line;
    found.push({
      id: check.id,
      title: check.title,
      severity: check.severity,
      message,
      remediation: check.remediation,
      controls: check.controls,
      path,
      ...(line !== undefined ? { line: line + 1 } : {}),
    });
  };

  const instructions = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  const stageNames = new Set(froms.map((f) => f.getBuildStage()?.toLowerCase()).filter(Boolean));
  for (const from of froms) checkBase(from, stageNames, (msg) => add(CHECKS.unpinnedBase, msg, from));

  for (const inst of instructions) {
    const keyword = inst.getKeyword();
    if (keyword === 'RUN') {
      const script = (inst.getArgumentsContent() ?? '').replace(/\\\r?\n/g, ' ');
      if (updateWithoutInstall(script))
        add(CHECKS.aptUpdate, 'RUN has apt-get update without an install', inst);
      if (usesSudo(script)) add(CHECKS.sudo, 'RUN uses sudo', inst);
      if (pipesDownloadToShell(script)) add(CHECKS.pipeToShell, 'RUN pipes a download into a shell', inst);
    } else if (keyword === 'ADD') {
      const url = inst
        .getArguments()
        .map((a) => a.getValue())
        .find(isUrl);
      if (url) add(CHECKS.addUrl, `ADD fetches ${url}`, inst);
    } else if (keyword === 'ENV' || keyword === 'ARG') {
      for (const prop of (inst as PropertyInstruction).getProperties()) {
        const name = prop.getName();
        const value = prop.getValue();
        if (!isSecretName(name)) continue;
        // An ARG's value, even passed with --build-arg, is recorded in the history of every RUN after it.
        if (keyword === 'ARG') add(CHECKS.secret, `ARG ${name} looks like a credential`, inst);
        else if (value !== null && hasLiteralValue(value))
          add(CHECKS.secret, `ENV ${name} holds a value that looks like a credential`, inst);
      }
    }
  }

  // USER, HEALTHCHECK and EXPOSE matter for the image the file produces: its last stage.
  const lastFrom = froms.at(-1);
  const finalStage = lastFrom
    ? instructions.filter((i) => i.getRange().start.line > lastFrom.getRange().start.line)
    : [];
  if (lastFrom) {
    const lastUser = finalStage.filter((i) => i.getKeyword() === 'USER').at(-1);
    const user = lastUser?.getArgumentsContent()?.trim() ?? '';
    if (!lastUser) add(CHECKS.root, 'No USER in the final stage: the container runs as root', lastFrom);
    else if (isRootUser(user)) add(CHECKS.root, `The last USER is "${user}", the root user`, lastUser);
    if (!finalStage.some((i) => i.getKeyword() === 'HEALTHCHECK'))
      add(CHECKS.healthcheck, 'The final stage has no HEALTHCHECK', lastFrom);
  }
  for (const inst of finalStage.filter((i) => i.getKeyword() === 'EXPOSE')) {
    for (const arg of inst.getArguments()) {
      for (const port of sensitivePortsOf(arg.getValue()))
        add(CHECKS.port, `EXPOSE ${arg.getValue()} (${SENSITIVE_PORTS.get(port)})`, inst);
    }
  }
  return found.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** `latest` or no tag, unless pinned by digest; `scratch`, earlier stages and `$ARG` images are skipped. */
function checkBase(from: From, stageNames: Set<string | undefined>, report: (message: string) => void): void {
  const image = from.getImage();
  if (!image || image.includes('$') || image === 'scratch' || stageNames.has(image.toLowerCase())) return;
  if (from.getImageDigest()) return;
  const tag = from.getImageTag();
  if (!tag) report(`FROM ${image} has no tag: it means latest, which moves`);
  else if (tag === 'latest') report(`FROM ${image} uses the latest tag, which moves`);
}
