import { yamlLibrary } from '../../../core/lazy.js';
import type { Package } from '../../../core/package.js';
import type { Analyzer } from '../../types.js';
import {
  NPM,
  badInput,
  hasName,
  isRecord,
  keepKnownDeps,
  langPackage,
  langPackageId,
  markDevOnly,
  str,
  uniqueById,
} from '../lang-package.js';

type Json = Record<string, unknown>;

/** Peer-dependency suffixes: `1.0.0(react@18.2.0)` (v6, v9) and `1.0.0_react@18.2.0` (v5). */
function stripPeers(version: string): string {
  return version.replace(/[(_].*$/, '');
}

/**
 * A package key → name and version. v5: `/name/1.0.0`, `/@scope/name/1.0.0_peer`; v6:
 * `/name@1.0.0(peer)`; v9: `name@1.0.0(peer)`. Non-registry versions (tarballs, git) give undefined.
 */
export function parsePnpmKey(
  key: string,
  slashFormat: boolean,
): { name: string; version: string } | undefined {
  const k = key.replace(/^\//, '');
  const bare = k.replace(/\(.*$/, '');
  const sep = slashFormat ? bare.lastIndexOf('/') : bare.indexOf('@', 1);
  if (sep <= 0) return undefined;
  const name = bare.slice(0, sep);
  const version = stripPeers(bare.slice(sep + 1));
  if (!version || version.includes(':') || (slashFormat && name.startsWith('@') && !name.includes('/'))) {
    return undefined;
  }
  return { name, version };
}

/** A dependency reference inside an entry: a plain version, or a key when it is an alias or a link. */
function parseDepRef(
  name: string,
  ref: string,
  slashFormat: boolean,
): { name: string; version: string } | undefined {
  if (ref.startsWith('link:') || ref.startsWith('file:')) return undefined;
  if (ref.startsWith('/')) return parsePnpmKey(ref, slashFormat);
  if (!slashFormat && /^@?[^@(]+@/.test(ref) && !/^\d/.test(ref)) return parsePnpmKey(ref, false);
  return { name, version: stripPeers(ref) };
}

function depEntries(entry: Json): [string, string][] {
  return ['dependencies', 'optionalDependencies']
    .flatMap((f) => (isRecord(entry[f]) ? Object.entries(entry[f]) : []))
    .filter((e): e is [string, string] => typeof e[1] === 'string');
}

/** v9 has no per-package dev flag: the importers say which direct dependencies are for development. */
function importerRoots(doc: Json, path: string, field: string): string[] {
  const ids: string[] = [];
  for (const importer of Object.values(isRecord(doc.importers) ? doc.importers : {})) {
    if (!isRecord(importer) || !isRecord(importer[field])) continue;
    for (const [name, spec] of Object.entries(importer[field])) {
      const version = isRecord(spec) ? str(spec.version) : str(spec);
      const dep = version ? parseDepRef(name, version, false) : undefined;
      if (dep) ids.push(langPackageId(NPM, dep.name, dep.version, path));
    }
  }
  return ids;
}

export const pnpmLockAnalyzer: Analyzer = {
  name: 'pnpm-lock',
  version: 1,
  wants: { names: ['pnpm-lock.yaml'] },
  required: (path, info) =>
    info.type === 'file' && hasName(path, 'pnpm-lock.yaml') && !path.includes('node_modules/'),
  async analyze({ info, content }) {
    const path = info.path;
    let doc: unknown;
    try {
      doc = yamlLibrary().parse((await content.buffer()).toString('utf8'));
    } catch (err) {
      throw badInput(path, 'invalid YAML', err);
    }
    if (!isRecord(doc)) throw badInput(path, 'not a pnpm lockfile');
    const lockVersion = parseFloat(String(doc.lockfileVersion ?? '0'));
    const slashFormat = lockVersion < 6;
    const packages = isRecord(doc.packages) ? doc.packages : {};
    // v9 keeps dependencies in `snapshots` (keyed with peer suffixes); earlier versions in `packages`.
    const withDeps = isRecord(doc.snapshots) ? doc.snapshots : packages;
    const pkgs: Package[] = [];
    for (const [key, raw] of Object.entries(withDeps)) {
      const entry = isRecord(raw) ? raw : {};
      const meta = isRecord(packages[key])
        ? packages[key]
        : ((packages[key.replace(/\(.*$/, '')] as Json | undefined) ?? entry);
      const parsed = parsePnpmKey(key, slashFormat);
      const name = str(meta.name) ?? parsed?.name;
      const version = str(meta.version) ?? parsed?.version;
      if (!name || !version) continue;
      const dependsOn = depEntries(entry)
        .map(([n, ref]) => parseDepRef(n, ref, slashFormat))
        .filter((d) => d !== undefined)
        .map((d) => langPackageId(NPM, d.name, d.version, path));
      pkgs.push(langPackage(NPM, path, 'declared', { name, version, dev: meta.dev === true, dependsOn }));
    }
    const unique = keepKnownDeps(uniqueById(pkgs));
    if (isRecord(doc.snapshots)) {
      const prodRoots = [
        ...importerRoots(doc, path, 'dependencies'),
        ...importerRoots(doc, path, 'optionalDependencies'),
      ];
      markDevOnly(unique, prodRoots, importerRoots(doc, path, 'devDependencies'));
    }
    return { packages: unique };
  },
};
