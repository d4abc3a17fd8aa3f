import { compareStrings } from '../core/order.js';
import type { Artifact } from '../applier/index.js';
import { isOsPackage, type OsInfo, type Package } from '../core/package.js';
import type { Result } from '../core/report.js';

/** Names of the language package types in report targets, as users of other scanners know them. */
const LANG_NAMES: Record<string, string> = {
  npm: 'Node.js',
  python: 'Python',
  gomod: 'Go',
  gobinary: 'Go',
  jar: 'Java',
  gem: 'Ruby',
  cargo: 'Rust',
  composer: 'PHP',
  nuget: '.NET',
};

/**
 * Groups an artifact's facts into report results: OS packages in one result; installed language
 * packages one result per ecosystem; declared ones (lockfiles) one result per file; secrets and
 * misconfigurations one result per file.
 */
export function resultsFromArtifact(artifact: Artifact, artifactName: string): Result[] {
  const results: Result[] = [];
  const osPackages = artifact.packages.filter(isOsPackage);
  if (osPackages.length || artifact.os) {
    results.push({
      target: osTarget(artifactName, artifact.os),
      class: 'os-pkgs',
      type: osPackages[0]?.type ?? artifact.os?.family ?? 'unknown',
      packages: sortPackages(osPackages),
    });
  }
  const lang = new Map<string, Result>();
  for (const pkg of artifact.packages) {
    if (isOsPackage(pkg)) continue;
    const declared = pkg.origin === 'declared';
    const target = declared ? (pkg.locations[0]?.path ?? pkg.type) : (LANG_NAMES[pkg.type] ?? pkg.type);
    const key = `${declared ? 'file' : 'type'}\0${target}\0${pkg.type}`;
    let result = lang.get(key);
    if (!result) lang.set(key, (result = { target, class: 'lang-pkgs', type: pkg.type, packages: [] }));
    result.packages!.push(pkg);
  }
  for (const result of [...lang.values()].sort(
    (a, b) => compareStrings(a.target, b.target) || compareStrings(a.type, b.type),
  )) {
    result.packages = sortPackages(result.packages!);
    results.push(result);
  }
  const secretsByPath = groupBy(artifact.secrets, (s) => s.path);
  for (const [path, secrets] of secretsByPath)
    results.push({ target: path, class: 'secret', type: 'secret', secrets });
  const misconfigByPath = groupBy(artifact.misconfigurations, (m) => m.path ?? 'image config');
  for (const [path, misconfigurations] of misconfigByPath) {
    results.push({
      target: path,
      class: 'config',
      type: path === 'image config' ? 'image-config' : 'file',
      misconfigurations,
    });
  }
  return results;
}

function osTarget(name: string, os: OsInfo | undefined): string {
  return os ? `${name} (${os.family} ${os.version})` : name;
}

function sortPackages(packages: Package[]): Package[] {
  return [...packages].sort(
    (a, b) =>
      compareStrings(a.name, b.name) || compareStrings(a.version, b.version) || compareStrings(a.id, b.id),
  );
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(item);
  }
  return new Map([...map.entries()].sort(([a], [b]) => compareStrings(a, b)));
}
