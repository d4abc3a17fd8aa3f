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
  readJson,
  str,
  uniqueById,
} from '../lang-package.js';

type Json = Record<string, unknown>;

function depNames(entry: Json, ...fields: string[]): string[] {
  return fields.flatMap((f) => (isRecord(entry[f]) ? Object.keys(entry[f]) : []));
}

/** `npm:real-name@1.2.3` (an alias) → its real name and version. */
function unalias(name: string, version: string): { name: string; version: string } | undefined {
  if (version.startsWith('npm:')) {
    const spec = version.slice(4);
    const at = spec.lastIndexOf('@');
    if (at > 0) return { name: spec.slice(0, at), version: spec.slice(at + 1) };
  }
  // git+https://…, file:…, tarball URLs: not a registry version.
  if (version.includes(':') || version.includes('/')) return undefined;
  return { name, version };
}

/** lockfileVersion 2 and 3: the flat `packages` map keyed by install path. */
function fromPackagesMap(path: string, packages: Json): Package[] {
  const entryAt = (key: string): Json | undefined => (isRecord(packages[key]) ? packages[key] : undefined);
  /** Node's module resolution: the nearest node_modules/<dep> walking up from `dir`. */
  const resolve = (dir: string, dep: string): string | undefined => {
    for (let d = dir; ;) {
      const key = d ? `${d}/node_modules/${dep}` : `node_modules/${dep}`;
      if (entryAt(key)) return key;
      if (d === '') return undefined;
      const up = d.lastIndexOf('/node_modules/');
      d = up >= 0 ? d.slice(0, up) : '';
    }
  };
  const resolved = new Map<
    string,
    { name: string; version: string; entry: Json; dir: string; dev: boolean }
  >();
  for (const [key, raw] of Object.entries(packages)) {
    const at = key.lastIndexOf('node_modules/');
    if (at < 0 || !isRecord(raw)) continue; // the root project and workspace source folders
    let entry = raw;
    let dir = key;
    if (raw.link === true && typeof raw.resolved === 'string') {
      entry = entryAt(raw.resolved) ?? raw;
      dir = raw.resolved;
    }
    const version = str(entry.version);
    const name = str(raw.name) ?? str(entry.name) ?? key.slice(at + 'node_modules/'.length);
    if (!version) continue;
    resolved.set(key, { name, version, entry, dir, dev: raw.dev === true });
  }
  const idOf = (key: string | undefined): string | undefined => {
    const r = key === undefined ? undefined : resolved.get(key);
    return r && langPackageId(NPM, r.name, r.version, path);
  };
  const pkgs: Package[] = [];
  for (const r of resolved.values()) {
    const deps = depNames(r.entry, 'dependencies', 'optionalDependencies', 'peerDependencies')
      .map((d) => idOf(resolve(r.dir, d)))
      .filter((d): d is string => d !== undefined);
    pkgs.push(
      langPackage(NPM, path, 'declared', {
        name: r.name,
        version: r.version,
        licenses: [str(r.entry.license)],
        dev: r.dev,
        dependsOn: deps,
      }),
    );
  }
  return pkgs;
}

/** lockfileVersion 1: a nested `dependencies` tree; `requires` resolve up the nesting. */
function fromDependencyTree(path: string, top: Json): Package[] {
  const pkgs: Package[] = [];
  const walk = (scopes: Json[]): void => {
    const level = scopes[scopes.length - 1] as Json;
    for (const [key, raw] of Object.entries(level)) {
      if (!isRecord(raw)) continue;
      const real = typeof raw.version === 'string' ? unalias(key, raw.version) : undefined;
      const nested = isRecord(raw.dependencies) ? raw.dependencies : undefined;
      const inner = nested ? [...scopes, nested] : scopes;
      if (real) {
        const dependsOn: string[] = [];
        for (const dep of depNames(raw, 'requires')) {
          const scope = [...inner].reverse().find((s) => isRecord(s[dep]));
          const target = scope?.[dep] as Json | undefined;
          const t = target && typeof target.version === 'string' ? unalias(dep, target.version) : undefined;
          if (t) dependsOn.push(langPackageId(NPM, t.name, t.version, path));
        }
        pkgs.push(langPackage(NPM, path, 'declared', { ...real, dev: raw.dev === true, dependsOn }));
      }
      if (nested) walk(inner);
    }
  };
  walk([top]);
  return pkgs;
}

export const npmPackageLockAnalyzer: Analyzer = {
  name: 'npm-package-lock',
  version: 1,
  wants: { names: ['package-lock.json', 'npm-shrinkwrap.json'] },
  required(path, info) {
    // node_modules/.package-lock.json is npm's hidden lockfile; the installed package.json files cover it.
    return (
      info.type === 'file' &&
      (hasName(path, 'package-lock.json') || hasName(path, 'npm-shrinkwrap.json')) &&
      !path.includes('node_modules/')
    );
  },
  async analyze({ info, content }) {
    const lock = await readJson(info.path, content);
    if (!isRecord(lock)) throw badInput(info.path, 'not an npm lockfile (expected a JSON object)');
    let pkgs: Package[];
    if (isRecord(lock.packages)) pkgs = fromPackagesMap(info.path, lock.packages);
    else if (isRecord(lock.dependencies)) pkgs = fromDependencyTree(info.path, lock.dependencies);
    else pkgs = [];
    return { packages: keepKnownDeps(uniqueById(pkgs)) };
  },
};
