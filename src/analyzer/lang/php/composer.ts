import type { Package } from '../../../core/package.js';
import type { Analyzer } from '../../types.js';
import {
  COMPOSER,
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

function licensesOf(p: Json): string[] {
  return Array.isArray(p.license)
    ? p.license.filter((l): l is string => typeof l === 'string')
    : [str(p.license) ?? ''];
}

/** Packages with dependsOn resolved by name within the same file (platform requirements like php, ext-* drop out). */
function composerPackages(
  path: string,
  origin: 'installed' | 'declared',
  entries: { p: Json; dev: boolean }[],
): Package[] {
  const located = entries.flatMap(({ p, dev }) => {
    const name = str(p.name);
    const version = str(p.version);
    return name && version ? [{ name, version, dev, p }] : [];
  });
  const idByName = new Map(
    located.map((e) => [e.name.toLowerCase(), langPackageId(COMPOSER, e.name, e.version, path)]),
  );
  return keepKnownDeps(
    uniqueById(
      located.map(({ name, version, dev, p }) =>
        langPackage(COMPOSER, path, origin, {
          name,
          version,
          dev,
          licenses: licensesOf(p),
          dependsOn: Object.keys(isRecord(p.require) ? p.require : {})
            .map((d) => idByName.get(d.toLowerCase()))
            .filter((d): d is string => d !== undefined),
        }),
      ),
    ),
  );
}

const records = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** composer.lock: `packages` and `packages-dev`. */
export const composerLockAnalyzer: Analyzer = {
  name: 'composer-lock',
  version: 1,
  wants: { names: ['composer.lock'] },
  required: (path, info) => info.type === 'file' && hasName(path, 'composer.lock'),
  async analyze({ info, content }) {
    const doc = await readJson(info.path, content);
    if (!isRecord(doc)) throw badInput(info.path, 'not a composer.lock (expected a JSON object)');
    const entries = [
      ...records(doc.packages).map((p) => ({ p, dev: false })),
      ...records(doc['packages-dev']).map((p) => ({ p, dev: true })),
    ];
    return { packages: composerPackages(info.path, 'declared', entries) };
  },
};

/** vendor/composer/installed.json: an array (Composer 1) or {packages, dev-package-names} (Composer 2). */
export const composerInstalledAnalyzer: Analyzer = {
  name: 'composer-installed',
  version: 1,
  wants: { names: ['installed.json'] },
  required: (path, info) => info.type === 'file' && /(?:^|\/)vendor\/composer\/installed\.json$/.test(path),
  async analyze({ info, content }) {
    const doc = await readJson(info.path, content);
    const list = Array.isArray(doc) ? records(doc) : isRecord(doc) ? records(doc.packages) : undefined;
    if (!list) throw badInput(info.path, 'not a composer installed.json');
    const devNames = new Set(
      isRecord(doc) && Array.isArray(doc['dev-package-names']) ? doc['dev-package-names'] : [],
    );
    return {
      packages: composerPackages(
        info.path,
        'installed',
        list.map((p) => ({ p, dev: devNames.has(p.name) })),
      ),
    };
  },
};

export const phpAnalyzers = [composerLockAnalyzer, composerInstalledAnalyzer];
