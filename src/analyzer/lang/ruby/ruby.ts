import type { Package } from '../../../core/package.js';
import type { Analyzer } from '../../types.js';
import { GEM, hasName, keepKnownDeps, langPackage, langPackageId, uniqueById } from '../lang-package.js';

/** Installed gems' specifications, including Ruby's default gems and Debian's rubygems-integration. */
const GEMSPEC = /(?:^|\/)specifications\/(?:default\/)?[^/]+\.gemspec$/;

/** The quoted strings of a Ruby literal: `"MIT".freeze`, `["MIT".freeze, "Ruby".freeze]`. */
function rubyStrings(expr: string): string[] {
  return [...expr.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? '');
}

/**
 * A gemspec as `gem install` writes it: a Ruby DSL of `s.name = "rake".freeze` lines. Reading the
 * literal assignments, as other scanners do, avoids evaluating Ruby.
 */
export function parseGemspec(text: string): { name?: string; version?: string; licenses: string[] } {
  const field = (f: string): string | undefined =>
    new RegExp(`^\\s*\\w+\\.${f}\\s*=\\s*(.+)$`, 'm').exec(text)?.[1];
  const name = rubyStrings(field('name') ?? '')[0];
  const version = rubyStrings(field('version') ?? '')[0];
  const licenses = rubyStrings(field('licenses') ?? field('license') ?? '');
  return { name, version, licenses };
}

export const gemspecAnalyzer: Analyzer = {
  name: 'ruby-gemspec',
  version: 1,
  wants: { extensions: ['.gemspec'] },
  required: (path, info) => info.type === 'file' && GEMSPEC.test(path),
  async analyze({ info, content }) {
    const spec = parseGemspec((await content.buffer()).toString('utf8'));
    if (!spec.name || !spec.version) return undefined;
    return {
      packages: [
        langPackage(GEM, info.path, 'installed', {
          name: spec.name,
          version: spec.version,
          licenses: spec.licenses,
        }),
      ],
    };
  },
};

/** `nokogiri (1.15.4-x86_64-linux)` → 1.15.4: the platform suffix is not part of the version. */
function stripPlatform(version: string): string {
  return version.replace(/-(?:x86|x64|arm|aarch|universal|java|mswin|mingw|darwin|linux|ruby).*$/i, '');
}

/** The GEM sections' specs of a Gemfile.lock: four-space specs, six-space dependencies. */
export function parseGemfileLock(path: string, text: string): Package[] {
  const specs: { name: string; version: string; deps: string[] }[] = [];
  let inGemSpecs = false;
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      section = line.trim();
      inGemSpecs = false;
      continue;
    }
    if (section === 'GEM' && line.trim() === 'specs:') {
      inGemSpecs = true;
      continue;
    }
    if (!inGemSpecs) continue;
    const spec = /^ {4}(\S+) \(([^)]+)\)$/.exec(line);
    const dep = /^ {6}(\S+)/.exec(line);
    if (spec) specs.push({ name: spec[1] as string, version: stripPlatform(spec[2] as string), deps: [] });
    else if (dep && specs.length > 0) specs[specs.length - 1]?.deps.push(dep[1] as string);
  }
  const idByName = new Map(specs.map((s) => [s.name, langPackageId(GEM, s.name, s.version, path)]));
  return keepKnownDeps(
    uniqueById(
      specs.map((s) =>
        langPackage(GEM, path, 'declared', {
          name: s.name,
          version: s.version,
          dependsOn: s.deps.map((d) => idByName.get(d)).filter((d): d is string => d !== undefined),
        }),
      ),
    ),
  );
}

export const gemfileLockAnalyzer: Analyzer = {
  name: 'ruby-gemfile-lock',
  version: 1,
  wants: { names: ['Gemfile.lock'] },
  required: (path, info) => info.type === 'file' && hasName(path, 'Gemfile.lock'),
  async analyze({ info, content }) {
    return { packages: parseGemfileLock(info.path, (await content.buffer()).toString('utf8')) };
  },
};

export const rubyAnalyzers = [gemspecAnalyzer, gemfileLockAnalyzer];
