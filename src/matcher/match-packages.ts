import { compareStrings } from '../core/order.js';
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
    const list = groupAdvisories(hits).map((group) =>
      toFinding(group, pkg, comparator, db, {
        layer,
        fromBaseImage:
          isOsPackage(pkg) && layerDiffId !== undefined && (context.baseLayers?.has(layerDiffId) ?? false),
      }),
    );
    findings.set(
      pkg.id,
      list.sort((a, b) => compareStrings(a.id, b.id)),
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
  const namesake = advisory.related.filter((id) => CVE_ID.test(id) && advisory.id.endsWith(`-${id}`));
  return [...advisory.aliases, ...advisory.upstream, ...namesake];
}

interface Hit {
  advisory: Advisory;
  fixed: string[];
}

const CVE_ID = /^CVE-\d{4}-\d+$/;

/** One finding-to-be: the advisories behind it, and every id it is known by. */
interface Group {
  hits: Hit[];
  ids: Set<string>;
}

/**
 * Groups advisories that name the same vulnerability: shared ids, aliases and upstream ids,
 * transitively. An advisory that bundles several CVEs (a DSA or USN fixing three) must not merge
 * those CVEs into one finding: it joins each of their groups as an alias (its fix counting for
 * each), and stands alone only when none of its CVEs has a finding of its own.
 */
function groupAdvisories(hits: Hit[]): Group[] {
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
  const bundles: Hit[] = [];
  const singles: Hit[] = [];
  for (const hit of hits) {
    const names = sameVulnerability(hit.advisory);
    const cves = new Set(names.filter((id) => CVE_ID.test(id)));
    if (cves.size > 1) {
      bundles.push(hit);
      continue;
    }
    singles.push(hit);
    union(hit.advisory.id, hit.advisory.id);
    for (const other of names) union(hit.advisory.id, other);
  }
  const byRoot = new Map<string, Group>();
  for (const hit of singles) {
    const root = find(hit.advisory.id);
    let group = byRoot.get(root);
    if (!group) byRoot.set(root, (group = { hits: [], ids: new Set() }));
    group.hits.push(hit);
    for (const id of [hit.advisory.id, ...sameVulnerability(hit.advisory)]) group.ids.add(id);
  }
  const groups = [...byRoot.values()];
  for (const bundle of bundles) {
    const cves = sameVulnerability(bundle.advisory).filter((id) => CVE_ID.test(id));
    const joined = groups.filter((g) => cves.some((cve) => g.ids.has(cve)));
    for (const group of joined) {
      group.hits.push(bundle);
      group.ids.add(bundle.advisory.id);
    }
    if (joined.length === 0)
      groups.push({
        hits: [bundle],
        ids: new Set([bundle.advisory.id, ...sameVulnerability(bundle.advisory)]),
      });
  }
  return groups;
}

function toFinding(
  { hits: group, ids }: Group,
  pkg: Package,
  comparator: { compare(a: string, b: string): -1 | 0 | 1 },
  db: AdvisorySource,
  extra: { layer?: LayerInfo; fromBaseImage: boolean },
): VulnerabilityFinding {
  const sorted = [...ids].sort();
  // A CVE id is what people search for; otherwise the first advisory's own id.
  const cves = sorted.filter((x) => CVE_ID.test(x));
  const id = cves.length === 1 ? cves[0]! : group[0]!.advisory.id;
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
    return compareStrings(a, b);
  }
}
