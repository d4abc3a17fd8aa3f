import type { Analyzer } from '../../types.js';
import {
  NUGET,
  badInput,
  isRecord,
  keepKnownDeps,
  langPackage,
  langPackageId,
  readJson,
} from '../lang-package.js';

/**
 * A .NET app's `<app>.deps.json`: `libraries` lists every library as `Name/Version` with its type
 * (package, project, reference); the `targets` sections record each one's dependencies.
 */
export const dotnetDepsAnalyzer: Analyzer = {
  name: 'dotnet-deps',
  version: 1,
  wants: { extensions: ['.json'] },
  required: (path, info) => info.type === 'file' && path.endsWith('.deps.json'),
  async analyze({ info, content }) {
    const path = info.path;
    const doc = await readJson(path, content);
    if (!isRecord(doc) || !isRecord(doc.libraries)) throw badInput(path, 'not a .deps.json (no "libraries")');
    const depsOf = new Map<string, string[]>();
    for (const target of Object.values(isRecord(doc.targets) ? doc.targets : {})) {
      if (!isRecord(target)) continue;
      for (const [key, lib] of Object.entries(target)) {
        if (!isRecord(lib) || !isRecord(lib.dependencies)) continue;
        const deps = Object.entries(lib.dependencies).map(([n, v]) =>
          langPackageId(NUGET, n, String(v), path),
        );
        depsOf.set(key, [...(depsOf.get(key) ?? []), ...deps]);
      }
    }
    const pkgs = Object.entries(doc.libraries).flatMap(([key, lib]) => {
      const slash = key.lastIndexOf('/');
      if (!isRecord(lib) || lib.type !== 'package' || slash <= 0) return [];
      const [name, version] = [key.slice(0, slash), key.slice(slash + 1)];
      return [langPackage(NUGET, path, 'installed', { name, version, dependsOn: depsOf.get(key) })];
    });
    return { packages: keepKnownDeps(pkgs) };
  },
};
