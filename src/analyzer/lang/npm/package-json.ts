import type { Analyzer } from '../../types.js';
import { NPM, isRecord, langPackage, readJson, str } from '../lang-package.js';

/**
 * A package.json directly inside node_modules/<name>/ or node_modules/@scope/<name>/, or in the
 * directories where Debian's node-* packages install (/usr/share/nodejs, /usr/lib/nodejs).
 */
const INSTALLED_PACKAGE_JSON =
  /(?:^|\/)(?:node_modules|usr\/share\/nodejs|usr\/lib\/nodejs)\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;

/** `license: "MIT"`, `license: {type}`, or the old `licenses: [{type}]`. */
export function npmLicenses(manifest: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (l: unknown): void => {
    if (typeof l === 'string') out.push(l);
    else if (isRecord(l) && typeof l.type === 'string') out.push(l.type);
  };
  add(manifest.license);
  if (Array.isArray(manifest.licenses)) manifest.licenses.forEach(add);
  return out;
}

export const npmPackageJsonAnalyzer: Analyzer = {
  name: 'npm-package-json',
  version: 1,
  wants: { names: ['package.json'] },
  required: (path, info) => info.type === 'file' && INSTALLED_PACKAGE_JSON.test(path),
  async analyze({ info, content }) {
    const manifest = await readJson(info.path, content);
    if (!isRecord(manifest)) return undefined;
    const name = str(manifest.name);
    const version = str(manifest.version);
    // Fixture and template package.json files inside packages have no name or version.
    if (!name || !version) return undefined;
    return {
      packages: [
        langPackage(NPM, info.path, 'installed', { name, version, licenses: npmLicenses(manifest) }),
      ],
    };
  },
};
