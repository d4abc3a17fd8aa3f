import { isOsPackage, type Package } from '../core/package.js';
import type { Report } from '../core/report.js';
import { VERSION } from '../core/version.js';
import { cyclonedxLibrary } from './cyclonedx-library.js';
import { reportPackages, sbomTimestamp, stableHash } from './ids.js';

interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS' | 'DEPENDS_ON';
  relatedSpdxElement: string;
}

/** An SPDX 2.3 JSON document of the report's packages: the artifact contains the OS, which contains its packages. */
export function writeSpdx(report: Report): string {
  const packages = reportPackages(report);
  const { artifact } = report;
  const docHash = stableHash(artifact.name, artifact.digest ?? '', ...packages.map((p) => p.id));
  const artifactId = 'SPDXRef-Artifact';
  const spdxPackages: object[] = [
    {
      SPDXID: artifactId,
      name: artifact.name,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: artifact.type === 'container_image' ? 'CONTAINER' : 'SOURCE',
      ...(artifact.digest?.startsWith('sha256:')
        ? { checksums: [{ algorithm: 'SHA256', checksumValue: artifact.digest.slice('sha256:'.length) }] }
        : {}),
    },
  ];
  const relationships: SpdxRelationship[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: artifactId },
  ];
  let osId: string | undefined;
  if (artifact.os) {
    osId = 'SPDXRef-OperatingSystem';
    spdxPackages.push({
      SPDXID: osId,
      name: artifact.os.family,
      versionInfo: artifact.os.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'OPERATING_SYSTEM',
    });
    relationships.push({ spdxElementId: artifactId, relationshipType: 'CONTAINS', relatedSpdxElement: osId });
  }

  const ids = new Map(packages.map((pkg) => [pkg.id, `SPDXRef-Package-${stableHash(pkg.id).slice(0, 16)}`]));
  for (const pkg of packages) {
    const id = ids.get(pkg.id)!;
    spdxPackages.push(toSpdxPackage(pkg, id));
    const parent = osId && isOsPackage(pkg) ? osId : artifactId;
    relationships.push({ spdxElementId: parent, relationshipType: 'CONTAINS', relatedSpdxElement: id });
    for (const dep of pkg.dependsOn ?? []) {
      const target = ids.get(dep);
      if (target && target !== id) {
        relationships.push({ spdxElementId: id, relationshipType: 'DEPENDS_ON', relatedSpdxElement: target });
      }
    }
  }

  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: artifact.name,
    documentNamespace: `https://bosun.invalid/spdx/${encodeURIComponent(artifact.name)}-${docHash.slice(0, 32)}`,
    creationInfo: {
      created: sbomTimestamp(report)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      creators: [`Tool: bosun-${VERSION}`],
    },
    documentDescribes: [artifactId],
    packages: spdxPackages,
    relationships,
  };
  return JSON.stringify(document, null, 2) + '\n';
}

function toSpdxPackage(pkg: Package, id: string): object {
  const annotations = pkg.locations.map(
    (loc) => `path=${loc.path}${loc.layerDiffId ? ` layer=${loc.layerDiffId}` : ''}`,
  );
  return {
    SPDXID: id,
    name: pkg.name,
    versionInfo: pkg.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: licenseExpression(pkg.licenses),
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: isOsPackage(pkg) ? 'INSTALL' : 'LIBRARY',
    ...(pkg.srcName
      ? { sourceInfo: `built from source package ${pkg.srcName} ${pkg.srcVersion ?? ''}`.trim() }
      : {}),
    ...(annotations.length ? { comment: annotations.join('; ') } : {}),
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl },
    ],
  };
}

/** SPDX wants a valid expression or NOASSERTION; only known SPDX ids qualify. */
function licenseExpression(licenses: string[] | undefined): string {
  const { SPDX } = cyclonedxLibrary();
  if (!licenses?.length || !licenses.every((l) => SPDX.isSupportedSpdxId(l))) return 'NOASSERTION';
  return [...new Set(licenses)].sort().join(' AND ');
}
