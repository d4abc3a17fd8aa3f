import type { Package } from '../../../core/package.js';
import type { Analyzer } from '../../types.js';
import {
  NUGET,
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

/**
 * NuGet's lockfile, packages.lock.json: per target framework, each package's resolved version
 * and its dependencies by name (with ranges, so they resolve by name within the framework).
 * `Project` entries are the solution's own projects.
 */
export const nugetLockAnalyzer: Analyzer = {
  name: 'nuget-packages-lock',
  version: 1,
  wants: { names: ['packages.lock.json'] },
  required: (path, info) => info.type === 'file' && hasName(path, 'packages.lock.json'),
  async analyze({ info, content }) {
    const path = info.path;
    const doc = await readJson(path, content);
    if (!isRecord(doc) || !isRecord(doc.dependencies)) throw badInput(path, 'not a NuGet packages.lock.json');
    const pkgs: Package[] = [];
    for (const framework of Object.values(doc.dependencies)) {
      if (!isRecord(framework)) continue;
      const resolved = new Map<string, string>();
      for (const [name, dep] of Object.entries(framework)) {
        const version = isRecord(dep) && dep.type !== 'Project' ? str(dep.resolved) : undefined;
        if (version) resolved.set(name.toLowerCase(), langPackageId(NUGET, name, version, path));
      }
      for (const [name, dep] of Object.entries(framework)) {
        const version = isRecord(dep) && dep.type !== 'Project' ? str(dep.resolved) : undefined;
        if (!isRecord(dep) || !version) continue;
        const dependsOn = Object.keys(isRecord(dep.dependencies) ? dep.dependencies : {})
          .map((d) => resolved.get(d.toLowerCase()))
          .filter((d): d is string => d !== undefined);
        pkgs.push(langPackage(NUGET, path, 'declared', { name, version, dependsOn }));
      }
    }
    return { packages: keepKnownDeps(uniqueById(pkgs)) };
  },
};
