import type { Package } from '../core/package.js';

/**
 * A project directory often holds both its lockfile and the packages installed from it
 * (`app/package-lock.json` and `app/node_modules/**`). Listing both would double every package
 * and every finding: a declared package is dropped when the same package (type, name, version) is
 * installed under the lockfile's own directory. Declared packages with no installed twin stay.
 */
export function dropInstalledDuplicates(packages: readonly Package[]): Package[] {
  const installed = new Map<string, string[]>();
  for (const p of packages) {
    if (p.origin === 'declared') continue;
    const key = `${p.type}\0${p.name}\0${p.version}`;
    installed.set(key, [...(installed.get(key) ?? []), ...p.locations.map((l) => l.path)]);
  }
  return packages.filter((p) => {
    if (p.origin !== 'declared') return true;
    const dir = parentDir(p.locations[0]?.path ?? '');
    const twins = installed.get(`${p.type}\0${p.name}\0${p.version}`) ?? [];
    return !twins.some((path) => dir === '' || path.startsWith(`${dir}/`));
  });
}

function parentDir(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
