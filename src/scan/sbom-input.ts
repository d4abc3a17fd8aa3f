import { readFile } from 'node:fs/promises';
import type { PackageURL } from 'packageurl-js';
import { purlLibrary } from '../core/lazy.js';
import { osvEcosystem } from '../analyzer/os/ecosystem.js';
import { BosunError, errorMessage } from '../core/errors.js';
import { isOsPackage, type OsInfo, type Package } from '../core/package.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../core/report.js';
import { resultsFromArtifact } from './results.js';

/** purl type → bosun package type and OSV ecosystem (OS types get the distro's release later). */
const PURL_TYPES: Record<string, { type: string; ecosystem: string }> = {
  deb: { type: 'dpkg', ecosystem: 'Debian' },
  apk: { type: 'apk', ecosystem: 'Alpine' },
  rpm: { type: 'rpm', ecosystem: 'Red Hat' },
  npm: { type: 'npm', ecosystem: 'npm' },
  pypi: { type: 'python', ecosystem: 'PyPI' },
  golang: { type: 'gomod', ecosystem: 'Go' },
  maven: { type: 'jar', ecosystem: 'Maven' },
  gem: { type: 'gem', ecosystem: 'RubyGems' },
  cargo: { type: 'cargo', ecosystem: 'crates.io' },
  composer: { type: 'composer', ecosystem: 'Packagist' },
  nuget: { type: 'nuget', ecosystem: 'NuGet' },
};

/** Property names that carry a source package, from bosun's and Trivy's SBOMs. */
const SRC_NAME = ['bosun:package:srcName', 'aquasecurity:trivy:SrcName'];
const SRC_VERSION = ['bosun:package:srcVersion', 'aquasecurity:trivy:SrcVersion'];

interface Entry {
  purl: string;
  id?: string;
  properties: Map<string, string>;
}

/** Reads a CycloneDX or SPDX JSON SBOM into a report of its packages, ready for matching. */
export async function readSbomReport(file: string): Promise<Report> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    const kind = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'notFound' : 'badInput';
    throw new BosunError(kind, `cannot read SBOM ${file}: ${errorMessage(err)}`, { subject: file });
  }
  let parsed: { name: string; os?: { family: string; version: string }; entries: Entry[] };
  if (doc.bomFormat === 'CycloneDX') parsed = fromCycloneDx(doc);
  else if (typeof doc.spdxVersion === 'string') parsed = fromSpdx(doc);
  else
    throw new BosunError(
      'badInput',
      `${file} is neither a CycloneDX (bomFormat) nor an SPDX (spdxVersion) JSON document`,
      { subject: file },
    );

  const os: OsInfo | undefined = parsed.os
    ? { ...parsed.os, ...(osvEcosystem(parsed.os) ? { ecosystem: osvEcosystem(parsed.os)! } : {}) }
    : undefined;
  const packages = parsed.entries.flatMap((e) => toPackage(e, os) ?? []);
  const artifact = { ...(os ? { os } : {}), packages, secrets: [], misconfigurations: [], errors: [] };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    artifact: { name: parsed.name || file, type: 'sbom', ...(os ? { os } : {}) },
    results: resultsFromArtifact(artifact, parsed.name || file),
    errors: [],
  };
}

function fromCycloneDx(doc: Record<string, unknown>) {
  const entries: Entry[] = [];
  let os: { family: string; version: string } | undefined;
  const visit = (components: unknown) => {
    if (!Array.isArray(components)) return;
    for (const c of components as Record<string, unknown>[]) {
      if (c.type === 'operating-system' && typeof c.name === 'string')
        os ??= { family: c.name.toLowerCase(), version: String(c.version ?? '') };
      if (typeof c.purl === 'string') {
        const properties = new Map<string, string>();
        for (const p of Array.isArray(c.properties)
          ? (c.properties as { name?: unknown; value?: unknown }[])
          : []) {
          if (typeof p.name === 'string' && typeof p.value === 'string' && !properties.has(p.name))
            properties.set(p.name, p.value);
        }
        entries.push({
          purl: c.purl,
          ...(typeof c['bom-ref'] === 'string' ? { id: c['bom-ref'] } : {}),
          properties,
        });
      }
      visit(c.components);
    }
  };
  const metadata = (doc.metadata ?? {}) as { component?: Record<string, unknown> };
  visit(doc.components);
  if (metadata.component) visit(metadata.component.components);
  return { name: typeof metadata.component?.name === 'string' ? metadata.component.name : '', os, entries };
}

function fromSpdx(doc: Record<string, unknown>) {
  const entries: Entry[] = [];
  let os: { family: string; version: string } | undefined;
  for (const p of Array.isArray(doc.packages) ? (doc.packages as Record<string, unknown>[]) : []) {
    if (p.primaryPackagePurpose === 'OPERATING_SYSTEM' && typeof p.name === 'string') {
      os ??= { family: p.name.toLowerCase(), version: String(p.versionInfo ?? '') };
    }
    const refs = Array.isArray(p.externalRefs) ? (p.externalRefs as Record<string, unknown>[]) : [];
    const purl = refs.find((r) => r.referenceType === 'purl')?.referenceLocator;
    if (typeof purl !== 'string') continue;
    const properties = new Map<string, string>();
    // bosun writes "built from source package NAME VERSION".
    const source =
      typeof p.sourceInfo === 'string' ? /source package (\S+)(?: (\S+))?/.exec(p.sourceInfo) : null;
    if (source) {
      properties.set(SRC_NAME[0]!, source[1]!);
      if (source[2]) properties.set(SRC_VERSION[0]!, source[2]);
    }
    entries.push({ purl, properties });
  }
  return { name: typeof doc.name === 'string' ? doc.name : '', os, entries };
}

function toPackage(entry: Entry, os: OsInfo | undefined): Package | undefined {
  let purl: PackageURL;
  try {
    purl = purlLibrary().PackageURL.fromString(entry.purl);
  } catch {
    return undefined;
  }
  const kind = PURL_TYPES[purl.type];
  if (!kind || !purl.version) return undefined;
  const isOs = isOsPackage(kind);
  // An OS purl's namespace is the distro; elsewhere it is part of the name (npm scope, Go path, Maven group).
  const name =
    isOs || !purl.namespace ? purl.name : `${purl.namespace}${purl.type === 'maven' ? ':' : '/'}${purl.name}`;
  const prop = (names: string[]) => names.map((n) => entry.properties.get(n)).find((v) => v !== undefined);
  // syft writes the source package as the `upstream` qualifier: `src` or `src@version`.
  const upstream = purl.qualifiers?.upstream?.split('@');
  const srcName = prop(SRC_NAME) ?? upstream?.[0];
  const srcVersion = prop(SRC_VERSION) ?? upstream?.[1];
  const ecosystem = isOs
    ? (os?.ecosystem ?? distroEcosystem(purl.qualifiers?.distro) ?? kind.ecosystem)
    : kind.ecosystem;
  const ownerId = entry.properties.get('bosun:package:ownerId');
  return {
    id: entry.id ?? entry.purl,
    name,
    version: purl.version,
    type: kind.type,
    ecosystem,
    purl: entry.purl,
    ...(srcName ? { srcName } : {}),
    ...(srcVersion ? { srcVersion } : {}),
    ...(ownerId ? { ownerId } : {}),
    ...(entry.properties.get('bosun:package:origin') === 'declared' ? { origin: 'declared' as const } : {}),
    locations: entry.properties.has('bosun:location:path')
      ? [{ path: entry.properties.get('bosun:location:path')! }]
      : [],
  };
}

/** A purl `distro` qualifier such as `debian-12` or `alpine-3.19.1`. */
function distroEcosystem(distro: string | undefined): string | undefined {
  const m = distro ? /^([a-z-]+?)-(\d[\w.]*)$/.exec(distro) : null;
  return m ? osvEcosystem({ family: m[1]!, version: m[2]! }) : undefined;
}
