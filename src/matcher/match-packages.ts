import { isOsPackage, type OsInfo, type Package } from '../core/package.js';
import type { FileError, LayerInfo, Severity, VulnerabilityFinding } from '../core/report.js';
import { maxSeverity } from '../severity/index.js';
import { getComparator } from '../version/index.js';
import type { Advisory } from '../vulndb/types.js';
import { evaluate } from './evaluate.js';

/** What the matcher needs of the vulnerability database. */
export interface AdvisorySource {
  advisoriesFor(ecosystem: string, name: string, options?: { anyRelease?: boolean }): Advisory[];
  raw(id: string): Record<string, unknown> | undefined;
}

export interface MatchContext {
  os?: OsInfo;
  /** Layer facts by diffId, to say which layer (and build step) brought each finding. */
  layers?: readonly LayerInfo[];
  /** diffIds of the base image's layers: findings there are fixed by rebuilding on a newer base. */
  baseLayers?: ReadonlySet<string>;
}

export interface MatchResult {
  /** Findings per package id. */
  findings: Map<string, VulnerabilityFinding[]>;
  /** Versions the ecosystem's comparator rejects: reported, never guessed safe or vulnerable. */
  errors: FileError[];
}

/**
 * Matches packages against the advisories of their ecosystem. OS packages match by their source
 * package and the distro release, since that is what distro advisories name; a language package
 * that an OS package installed is matched through its owner only (distros backport fixes without
 * changing the upstream version), and third-party OS packages are not matched against the distro.
 * Advisories that name each other (a CVE, its DSA, DEBIAN-CVE and GHSA records) become one finding.
 */
export function matchPackages(
  packages: readonly Package[],
  db: AdvisorySource,
  context: MatchContext = {},
): MatchResult {
  const findings = new Map<string, VulnerabilityFinding[]>();
  const errors: FileError[] = [];
  const layerById = new Map((context.layers ?? []).map((l) => [l.diffId, l]));
  for (const pkg of packages) {
    if (pkg.ownerId !== undefined || pkg.thirdParty) continue;
    const query = matchQuery(pkg, context.os);
    if (!query) continue;
    const comparator = getComparator(query.ecosystem);
    if (!comparator) continue;
    const hits: Hit[] = [];
    let invalid: string | undefined;
    for (const advisory of db.advisoriesFor(query.ecosystem, query.name, { anyRelease: query.prefix })) {
      // A prefix query (Red Hat) returns entries of several repositories: evaluate each one's own.
      const ecosystems = query.prefix
        ? [...new Set(advisory.affected.map((a) => a.ecosystem))]
        : [query.ecosystem];
      const fixed: string[] = [];
      let affected = false;
      for (const ecosystem of ecosystems) {
        const verdict = evaluate(advisory, ecosystem, query.name, query.version, comparator);
        if (verdict.invalidVersion) {
          invalid = verdict.reason;
          break;
        }
        affected ||= verdict.affected;
        if (verdict.affected) fixed.push(...verdict.fixed.filter((f) => !fixed.includes(f)));
      }
      if (invalid !== undefined) break;
      if (affected) hits.push({ advisory, fixed });
    }
    if (invalid !== undefined) {
      errors.push({
        path: pkg.locations[0]?.path,
        analyzer: 'matcher',
        message: `${pkg.name} ${query.version}: not a valid ${query.ecosystem} version (${invalid}); its advisories were not evaluated`,
      });
      continue;
    }
    if (hits.length === 0) continue;
    const layerDiffId = pkg.locations[0]?.layerDiffId;
    const layer = layerDiffId ? (layerById.get(layerDiffId) ?? { diffId: layerDiffId }) : undefined;
    const list = mergeAliases(hits).map((group) =>
      toFinding(group, pkg, comparator, db, {
        layer,
        fromBaseImage:
          isOsPackage(pkg) && layerDiffId !== undefined && (context.baseLayers?.has(layerDiffId) ?? false),
      }),
    );
    findings.set(
      pkg.id,
      list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    );
  }
  return { findings, errors };
}

/** The (ecosystem, name, version) that advisories name for this package. */
/**
 * The (ecosystem, name, version) that advisories name for this package. Red Hat's ecosystems
 * carry the repository after the release (`Red Hat:enterprise_linux:9::appstream`), which an image
 * does not record, so they are queried as a prefix.
 */
function matchQuery(
  pkg: Package,
  os: OsInfo | undefined,
): { ecosystem: string; name: string; version: string; prefix: boolean } | undefined {
  if (!isOsPackage(pkg))
    return { ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version, prefix: false };
  const ecosystem = pkg.ecosystem.includes(':') ? pkg.ecosystem : os?.ecosystem;
  if (!ecosystem) return undefined;
  // Red Hat-family advisories name binary rpms; Debian, Ubuntu and Alpine name source packages.
  if (pkg.type === 'rpm')
    return { ecosystem, name: pkg.name, version: pkg.version, prefix: ecosystem.startsWith('Red Hat:') };
  return { ecosystem, name: pkg.srcName ?? pkg.name, version: pkg.srcVersion ?? pkg.version, prefix: false };
}

/**
 * Ids that name the same vulnerability as this advisory: its aliases and upstream ids, and the
 * CVE that a distro record is named after but lists only as `related` (UBUNTU-CVE-X → CVE-X).
 */
function sameVulnerability(advisory: Advisory): string[] {
  const namesake = advisory.related.filter(
    (id) => /^CVE-\d{4}-\d+$/.test(id) && advisory.id.endsWith(`-${id}`),
  );
  return [...advisory.aliases, ...advisory.upstream, ...namesake];
}

interface Hit {
  advisory: Advisory;
  fixed: string[];
}

/** Groups advisories that share an id, alias or upstream id (transitively). */
function mergeAliases(hits: Hit[]): Hit[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    for (const x of [a, b]) if (!parent.has(x)) parent.set(x, x);
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const { advisory } of hits) {
    union(advisory.id, advisory.id);
    for (const other of sameVulnerability(advisory)) union(advisory.id, other);
  }
  const groups = new Map<string, Hit[]>();
  for (const hit of hits) {
    const root = find(hit.advisory.id);
    groups.set(root, [...(groups.get(root) ?? []), hit]);
  }
  return [...groups.values()];
}

function toFinding(
  group: Hit[],
  pkg: Package,
  comparator: { compare(a: string, b: string): -1 | 0 | 1 },
  db: AdvisorySource,
  extra: { layer?: LayerInfo; fromBaseImage: boolean },
): VulnerabilityFinding {
  const ids = new Set<string>();
  for (const { advisory } of group)
    for (const id of [advisory.id, ...sameVulnerability(advisory)]) ids.add(id);
  const sorted = [...ids].sort();
  // A CVE id is what people search for; otherwise the first advisory's own id.
  const id = sorted.find((x) => /^CVE-\d{4}-\d+$/.test(x)) ?? group[0]!.advisory.id;
  // The version that fixes every merged record: the highest of their fixes.
  const fixes = group.flatMap((h) => h.fixed);
  const fixedVersion = fixes.length
    ? fixes.reduce((a, b) => (safeCompare(comparator, a, b) >= 0 ? a : b))
    : undefined;
  // The most severe rating among the merged records, and which record gave it.
  const rated = group.reduce((best, h) =>
    maxSeverity(best.advisory.severity.level, h.advisory.severity.level) === best.advisory.severity.level
      ? best
      : h,
  );
  const severity: Severity = rated.advisory.severity.level;
  const severitySource = rated.advisory.severity.source
    ? `${rated.advisory.id} (${rated.advisory.severity.source})`
    : undefined;
  const cvss: NonNullable<VulnerabilityFinding['cvss']> = [];
  for (const { advisory } of group) {
    for (const score of advisory.severity.scores) {
      if (score.source === 'cvss' && score.score !== undefined) {
        cvss.push({
          source: advisory.id,
          version: score.version ?? '',
          vector: score.raw,
          score: score.score,
        });
      }
    }
  }
  const primary = group.find((h) => h.advisory.summary) ?? group[0]!;
  return {
    id,
    aliases: sorted.filter((x) => x !== id),
    pkgId: pkg.id,
    pkgName: pkg.name,
    pkgPurl: pkg.purl,
    installedVersion: pkg.version,
    ...(fixedVersion ? { fixedVersion } : {}),
    status: fixedVersion ? 'fixed' : 'affected',
    severity,
    ...(severitySource ? { severitySource } : {}),
    ...(cvss.length ? { cvss } : {}),
    ...(primary.advisory.summary ? { title: primary.advisory.summary } : {}),
    ...(primary.advisory.details ? { description: primary.advisory.details } : {}),
    references: references(group, db),
    ...(pkg.locations[0]?.path ? { path: pkg.locations[0].path } : {}),
    ...(extra.layer ? { layer: extra.layer } : {}),
    ...(extra.fromBaseImage ? { fromBaseImage: true } : {}),
  };
}

function references(group: Hit[], db: AdvisorySource): string[] {
  const urls = new Set<string>();
  for (const { advisory } of group) {
    const refs = db.raw(advisory.id)?.references;
    if (!Array.isArray(refs)) continue;
    for (const ref of refs) {
      if (ref && typeof ref === 'object' && typeof (ref as { url?: unknown }).url === 'string')
        urls.add((ref as { url: string }).url);
    }
  }
  return [...urls];
}

/** Fix versions come from the data; one the comparator rejects sorts low rather than failing the scan. */
function safeCompare(
  comparator: { compare(a: string, b: string): -1 | 0 | 1 },
  a: string,
  b: string,
): number {
  try {
    return comparator.compare(a, b);
  } catch {
    return a < b ? -1 : a > b ? 1 : 0;
  }
}
