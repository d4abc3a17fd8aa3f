import { BosunError } from '../../core/errors.js';
import type { Package, PackageOrigin } from '../../core/package.js';
import { langPurl, type LangPurlType } from '../common/purl.js';
import { normalizeLicenses } from '../common/license.js';

/** One ecosystem's constants: bosun's package type, the OSV ecosystem and the purl type. */
export interface Ecosystem {
  type: string;
  ecosystem: string;
  purlType: LangPurlType;
}

export const NPM: Ecosystem = { type: 'npm', ecosystem: 'npm', purlType: 'npm' };
export const PYTHON: Ecosystem = { type: 'python', ecosystem: 'PyPI', purlType: 'pypi' };
export const GOMOD: Ecosystem = { type: 'gomod', ecosystem: 'Go', purlType: 'golang' };
export const GOBINARY: Ecosystem = { type: 'gobinary', ecosystem: 'Go', purlType: 'golang' };
export const JAR: Ecosystem = { type: 'jar', ecosystem: 'Maven', purlType: 'maven' };
export const GRADLE: Ecosystem = { type: 'gradle', ecosystem: 'Maven', purlType: 'maven' };
export const GEM: Ecosystem = { type: 'gem', ecosystem: 'RubyGems', purlType: 'gem' };
export const CARGO: Ecosystem = { type: 'cargo', ecosystem: 'crates.io', purlType: 'cargo' };
export const COMPOSER: Ecosystem = { type: 'composer', ecosystem: 'Packagist', purlType: 'composer' };
export const NUGET: Ecosystem = { type: 'nuget', ecosystem: 'NuGet', purlType: 'nuget' };

export interface LangPackageFields {
  name: string;
  version: string;
  licenses?: (string | undefined | null)[];
  dev?: boolean;
  dependsOn?: string[];
  properties?: Record<string, string>;
}

export function langPackageId(eco: Ecosystem, name: string, version: string, path: string): string {
  return `${eco.type}:${name}@${version}:${path}`;
}

/** A language package found in the file at `path`. */
export function langPackage(
  eco: Ecosystem,
  path: string,
  origin: PackageOrigin,
  f: LangPackageFields,
): Package {
  const pkg: Package = {
    id: langPackageId(eco, f.name, f.version, path),
    name: f.name,
    version: f.version,
    type: eco.type,
    ecosystem: eco.ecosystem,
    purl: langPurl(eco.purlType, f.name, f.version),
    origin,
    locations: [{ path }],
  };
  const licenses = f.licenses && normalizeLicenses(f.licenses);
  if (licenses) pkg.licenses = licenses;
  if (f.dev) pkg.dev = true;
  if (f.dependsOn && f.dependsOn.length > 0) pkg.dependsOn = [...new Set(f.dependsOn)].sort();
  if (f.properties && Object.keys(f.properties).length > 0) pkg.properties = f.properties;
  return pkg;
}

/** One package per id: lockfiles list the same name@version at several places; their dependencies merge. */
export function uniqueById(pkgs: Iterable<Package>): Package[] {
  const byId = new Map<string, Package>();
  for (const p of pkgs) {
    const seen = byId.get(p.id);
    if (!seen) {
      byId.set(p.id, p);
      continue;
    }
    if (seen.dev && !p.dev) delete seen.dev; // needed at runtime through one path at least
    if (p.dependsOn) seen.dependsOn = [...new Set([...(seen.dependsOn ?? []), ...p.dependsOn])].sort();
  }
  return [...byId.values()];
}

/** Only dependencies that resolved to a package listed in the same output. */
export function keepKnownDeps(pkgs: Package[]): Package[] {
  const ids = new Set(pkgs.map((p) => p.id));
  for (const p of pkgs) {
    if (!p.dependsOn) continue;
    p.dependsOn = p.dependsOn.filter((d) => ids.has(d) && d !== p.id);
    if (p.dependsOn.length === 0) delete p.dependsOn;
  }
  return pkgs;
}

/**
 * Marks packages reachable only from development roots as dev. For formats that record which
 * direct dependencies are for development but not which transitive ones (pnpm v9, uv).
 */
export function markDevOnly(pkgs: Package[], prodRoots: string[], devRoots: string[]): void {
  const depsOf = new Map(pkgs.map((p) => [p.id, p.dependsOn ?? []]));
  const reach = (start: string[]): Set<string> => {
    const seen = new Set<string>();
    const stack = [...start];
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(depsOf.get(id) ?? []));
    }
    return seen;
  };
  const prod = reach(prodRoots);
  const dev = reach(devRoots);
  for (const p of pkgs) if (dev.has(p.id) && !prod.has(p.id)) p.dev = true;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** basename(path) === name, without slicing: required() asks it of every file in an image. */
export function hasName(path: string, name: string): boolean {
  return (
    path.endsWith(name) &&
    (path.length === name.length || path.charCodeAt(path.length - name.length - 1) === 0x2f)
  );
}

export function badInput(path: string, what: string, cause?: unknown): BosunError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new BosunError('badInput', `${path}: ${what}${detail}`, { subject: path, cause });
}

/** Parses a JSON file, naming the file in the error. */
export async function readJson(path: string, content: { buffer(): Promise<Buffer> }): Promise<unknown> {
  const text = (await content.buffer()).toString('utf8');
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw badInput(path, 'invalid JSON', err);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
