import type { Models } from '@cyclonedx/cyclonedx-library';
import { isOsPackage, type Package } from '../core/package.js';
import type { Report, Severity, VulnerabilityFinding } from '../core/report.js';
import { VERSION } from '../core/version.js';
import { cyclonedxLibrary } from './cyclonedx-library.js';
import { vulnerabilityEntries } from './findings.js';
import { reportPackages, sbomTimestamp, stableHash, uuidFromHash } from './ids.js';

/**
 * A CycloneDX 1.6 JSON SBOM of the report's packages, with the OS as a component and layer
 * properties, and the report's vulnerability findings (none for `bosun sbom`, which matches nothing).
 */
export function writeCycloneDx(report: Report): string {
  const { Enums, Models, Serialize, Spec } = cyclonedxLibrary();
  const packages = reportPackages(report);
  const bom = new Models.Bom();
  bom.serialNumber = `urn:uuid:${uuidFromHash(stableHash(report.artifact.name, report.artifact.digest ?? '', ...packages.map((p) => p.id)))}`;
  bom.metadata.timestamp = sbomTimestamp(report);
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, 'bosun', { version: VERSION }),
  );
  const subject = new Models.Component(
    report.artifact.type === 'container_image'
      ? Enums.ComponentType.Container
      : Enums.ComponentType.Application,
    report.artifact.name,
    { bomRef: 'artifact' },
  );
  if (report.artifact.digest)
    subject.properties.add(new Models.Property('bosun:image:digest', report.artifact.digest));
  bom.metadata.component = subject;

  const os = report.artifact.os;
  let osComponent: Models.Component | undefined;
  if (os) {
    osComponent = new Models.Component(Enums.ComponentType.OperatingSystem, os.family, {
      version: os.version,
      bomRef: `os:${os.family}@${os.version}`,
    });
    bom.components.add(osComponent);
    subject.dependencies.add(osComponent.bomRef);
  }

  const components = new Map<string, Models.Component>();
  for (const pkg of packages) {
    const component = toComponent(pkg);
    components.set(pkg.id, component);
    bom.components.add(component);
  }
  // Dependencies: recorded edges first; packages nobody depends on hang from the OS (OS packages)
  // or from the artifact itself, so the graph is connected.
  const dependedOn = new Set<string>();
  for (const pkg of packages) {
    const component = components.get(pkg.id)!;
    for (const dep of pkg.dependsOn ?? []) {
      const target = components.get(dep);
      if (target && target !== component) {
        component.dependencies.add(target.bomRef);
        dependedOn.add(dep);
      }
    }
  }
  for (const pkg of packages) {
    if (dependedOn.has(pkg.id)) continue;
    const ref = components.get(pkg.id)!.bomRef;
    if (osComponent && isOsPackage(pkg)) osComponent.dependencies.add(ref);
    else subject.dependencies.add(ref);
  }

  for (const vulnerability of toVulnerabilities(report, components)) bom.vulnerabilities.add(vulnerability);

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return serializer.serialize(bom, { sortLists: true, space: 2 }) + '\n';
}

function toComponent(pkg: Package): Models.Component {
  const { Enums, Models, SPDX } = cyclonedxLibrary();
  const component = new Models.Component(Enums.ComponentType.Library, pkg.name, {
    version: pkg.version,
    bomRef: pkg.id,
    purl: pkg.purl,
  });
  for (const license of pkg.licenses ?? []) {
    component.licenses.add(
      SPDX.isSupportedSpdxId(license) ? new Models.SpdxLicense(license) : new Models.NamedLicense(license),
    );
  }
  const props: [string, string | undefined][] = [
    ['bosun:package:type', pkg.type],
    ['bosun:package:ecosystem', pkg.ecosystem],
    ['bosun:package:srcName', pkg.srcName],
    ['bosun:package:srcVersion', pkg.srcVersion],
    ['bosun:package:origin', pkg.origin],
    ['bosun:package:ownerId', pkg.ownerId],
  ];
  for (const loc of pkg.locations) {
    props.push(['bosun:location:path', loc.path]);
    props.push(['bosun:layer:diffId', loc.layerDiffId]);
  }
  for (const [name, value] of props) if (value) component.properties.add(new Models.Property(name, value));
  return component;
}

const CVSS_METHOD: Record<string, 'CVSSv2' | 'CVSSv3' | 'CVSSv31' | 'CVSSv4'> = {
  '2.0': 'CVSSv2',
  '3.0': 'CVSSv3',
  '3.1': 'CVSSv31',
  '4.0': 'CVSSv4',
};

/**
 * One vulnerability per id, as Trivy and Grype write them: it `affects` every component that has
 * the finding, and its recommendation names each package's fixed version. Ratings are the CVSS
 * scores with their source; with none, the severity alone. Aliases are references to the same
 * vulnerability in other databases. Findings whose package is not among the components (none in
 * bosun's own reports) are left out rather than pointing at nothing.
 */
function toVulnerabilities(
  report: Report,
  components: ReadonlyMap<string, Models.Component>,
): Models.Vulnerability.Vulnerability[] {
  const byId = new Map<string, VulnerabilityFinding[]>();
  for (const { vuln } of vulnerabilityEntries(report)) {
    if (components.has(vuln.pkgId)) byId.set(vuln.id, [...(byId.get(vuln.id) ?? []), vuln]);
  }
  return [...byId].map(([id, findings]) => toVulnerability(id, findings, components));
}

function toVulnerability(
  id: string,
  findings: readonly VulnerabilityFinding[],
  components: ReadonlyMap<string, Models.Component>,
): Models.Vulnerability.Vulnerability {
  const { Enums, Models } = cyclonedxLibrary();
  const first = findings[0]!;
  const osv = (ref: string) =>
    new Models.Vulnerability.Source({
      name: 'OSV',
      url: `https://osv.dev/vulnerability/${encodeURIComponent(ref)}`,
    });
  const vulnerability = new Models.Vulnerability.Vulnerability({
    bomRef: `vulnerability:${id}`,
    id,
    source: osv(id),
    description: first.title,
    detail: first.description,
    recommendation: recommendation(findings),
  });
  for (const alias of new Set(findings.flatMap((f) => f.aliases)))
    vulnerability.references.add(new Models.Vulnerability.Reference(alias, osv(alias)));
  const severity = Enums.Vulnerability.Severity[SEVERITY_NAME[first.severity]];
  for (const cvss of first.cvss ?? []) {
    const method = CVSS_METHOD[cvss.version];
    vulnerability.ratings.add(
      new Models.Vulnerability.Rating({
        source: new Models.Vulnerability.Source({ name: cvss.source }),
        score: cvss.score,
        ...(method ? { method: Enums.Vulnerability.RatingMethod[method] } : {}),
        vector: cvss.vector,
      }),
    );
  }
  vulnerability.ratings.add(
    new Models.Vulnerability.Rating({
      severity,
      ...(first.severitySource
        ? { source: new Models.Vulnerability.Source({ name: first.severitySource }) }
        : {}),
    }),
  );
  for (const url of first.references ?? [])
    if (isHttpUrl(url)) vulnerability.advisories.add(new Models.Vulnerability.Advisory(url));
  for (const finding of findings) {
    const affect = new Models.Vulnerability.Affect(components.get(finding.pkgId)!.bomRef);
    affect.versions.add(
      new Models.Vulnerability.AffectedSingleVersion(finding.installedVersion, {
        status: Enums.Vulnerability.AffectStatus.Affected,
      }),
    );
    vulnerability.affects.add(affect);
  }
  return vulnerability;
}

const SEVERITY_NAME: Record<Severity, 'Critical' | 'High' | 'Medium' | 'Low' | 'Unknown'> = {
  CRITICAL: 'Critical',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
  UNKNOWN: 'Unknown',
};

/** "Upgrade smallvec 0.6.9 to 0.6.13", one sentence per affected package; none when nothing fixes it. */
function recommendation(findings: readonly VulnerabilityFinding[]): string | undefined {
  const lines = findings.flatMap((f) =>
    f.fixedVersion ? [`Upgrade ${f.pkgName} ${f.installedVersion} to ${f.fixedVersion}.`] : [],
  );
  return lines.length ? [...new Set(lines)].join(' ') : undefined;
}

/** Advisory URLs must be URLs: OSV records hold the odd typo (`ttps://…`). */
function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^\s]+$/.test(text) && URL.canParse(text);
}
