import type { Models } from '@cyclonedx/cyclonedx-library';
import { isOsPackage, type Package } from '../core/package.js';
import type { Report } from '../core/report.js';
import { VERSION } from '../core/version.js';
import { cyclonedxLibrary } from './cyclonedx-library.js';
import { reportPackages, sbomTimestamp, stableHash, uuidFromHash } from './ids.js';

/** A CycloneDX 1.6 JSON SBOM of the report's packages, with the OS as a component and layer properties. */
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
