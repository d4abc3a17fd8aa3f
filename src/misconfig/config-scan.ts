import { compareStrings } from '../core/order.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BosunError, errorMessage } from '../core/errors.js';
import {
  REPORT_SCHEMA_VERSION,
  type FileError,
  type Misconfiguration,
  type Report,
  type Result,
} from '../core/report.js';
import { checkDockerfile } from './dockerfile.js';
import { checkKubernetes, type KubernetesOptions } from './kubernetes.js';
import { parseManifests, type Manifest } from './manifests.js';
import { checkNetworkPolicies } from './network-policy.js';

export interface ConfigScanOptions extends KubernetesOptions {
  /** Extra checks on the parsed manifests (CEL policies), run after the built-in ones. */
  extraChecks?: (manifests: readonly Manifest[]) => Misconfiguration[];
}

type ConfigKind = 'dockerfile' | 'kubernetes';

/** Folders that hold dependencies or VCS data, not the project's own configuration. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'vendor', '.terraform']);
/** Bigger YAML is data, not a manifest a person wrote; it is skipped with an error noted. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

export function configKindOf(name: string): ConfigKind | undefined {
  const base = path.basename(name);
  if (/^(?:Dockerfile|Containerfile)(?:\..+)?$/.test(base) || /\.(?:Dockerfile|Containerfile)$/i.test(base))
    return 'dockerfile';
  if (/\.ya?ml$/i.test(base)) return 'kubernetes';
  return undefined;
}

/**
 * `bosun config PATH`: finds Dockerfiles and Kubernetes YAML under PATH (or reads PATH itself),
 * checks each, then checks network isolation across all manifests together.
 */
export async function scanConfigPath(target: string, opts: ConfigScanOptions = {}): Promise<Report> {
  const info = await stat(target).catch((err: unknown) => {
    throw new BosunError('notFound', `${target}: ${errorMessage(err)}`, { subject: target, cause: err });
  });
  const errors: FileError[] = [];
  const files = info.isDirectory()
    ? await findConfigFiles(target, target, errors)
    : [{ file: target, kind: configKindOf(target) ?? 'kubernetes' }];
  const byFile = new Map<string, { kind: ConfigKind; found: Misconfiguration[] }>();
  const manifests: Manifest[] = [];
  for (const { file, kind } of files) {
    const rel = info.isDirectory() ? path.relative(target, file) : file;
    const text = await readSmallFile(file).catch((err: unknown) => {
      errors.push({ path: rel, message: `skipped: ${errorMessage(err)}` });
      return undefined;
    });
    if (text === undefined) continue;
    if (kind === 'dockerfile') {
      byFile.set(rel, { kind, found: checkDockerfile(text, rel) });
      continue;
    }
    const parsed = parseManifests(text, rel);
    errors.push(...parsed.errors);
    if (parsed.manifests.length === 0) continue;
    manifests.push(...parsed.manifests);
    byFile.set(rel, { kind, found: [] });
  }
  const manifestFindings = [
    ...checkKubernetes(manifests, opts),
    ...checkNetworkPolicies(manifests),
    ...(opts.extraChecks?.(manifests) ?? []),
  ];
  for (const m of manifestFindings) byFile.get(m.path!)?.found.push(m);

  const results: Result[] = [...byFile]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([file, { kind, found }]) => ({
      target: file,
      class: 'config' as const,
      type: kind,
      misconfigurations: found.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    }));
  return configReport(target, results, errors);
}

export function configReport(name: string, results: Result[], errors: FileError[]): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    artifact: { name, type: 'filesystem' },
    results,
    errors,
  };
}

async function readSmallFile(file: string): Promise<string> {
  const { size } = await stat(file);
  if (size > MAX_FILE_BYTES) throw new Error(`${size} bytes is over the ${MAX_FILE_BYTES}-byte limit`);
  return readFile(file, 'utf8');
}

/** Files under `dir` by name; an unreadable subdirectory is noted in `errors` and skipped. */
async function findConfigFiles(
  dir: string,
  root: string,
  errors: FileError[],
): Promise<{ file: string; kind: ConfigKind }[]> {
  const out: { file: string; kind: ConfigKind }[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    if (dir === root)
      throw new BosunError('badInput', `${dir}: ${errorMessage(err)}`, { subject: dir, cause: err });
    errors.push({ path: path.relative(root, dir), message: `skipped: ${errorMessage(err)}` });
    return [];
  });
  entries.sort((a, b) => compareStrings(a.name, b.name));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) out.push(...(await findConfigFiles(full, root, errors)));
    } else if (e.isFile()) {
      const kind = configKindOf(e.name);
      if (kind) out.push({ file: full, kind });
    }
  }
  return out;
}
