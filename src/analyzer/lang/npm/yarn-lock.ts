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
  str,
  uniqueById,
} from '../lang-package.js';

interface YarnEntry {
  descriptors: string[];
  version?: string;
  /** Berry only: `name@npm:1.2.3`, which names the package even for aliases and patches. */
  resolution?: string;
  /** Dependency descriptors, `name@range`. */
  deps: string[];
}

/** The package name of a descriptor `name@range` (`@scope/name@range` keeps its scope). */
function descriptorName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at > 0 ? descriptor.slice(0, at) : descriptor;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** Yarn 1's own format: unindented descriptor lines, two-space fields, four-space dependency lists. */
function parseClassic(text: string): YarnEntry[] {
  const entries: YarnEntry[] = [];
  let current: YarnEntry | undefined;
  let inDeps = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (indent === 0) {
      current = { descriptors: body.replace(/:$/, '').split(/,\s*/).map(unquote), deps: [] };
      entries.push(current);
      inDeps = false;
    } else if (current && indent <= 2) {
      inDeps = body === 'dependencies:' || body === 'optionalDependencies:';
      const m = /^version:?\s+"?([^"]+)"?$/.exec(body);
      if (m) current.version = m[1];
    } else if (current && inDeps) {
      const m = /^("[^"]+"|\S+):?\s+(.+)$/.exec(body);
      if (m) current.deps.push(`${unquote(m[1] as string)}@${unquote(m[2] as string)}`);
    }
  }
  return entries;
}

/** Yarn 2+ (berry) writes YAML with a `__metadata` entry. */
function parseBerry(path: string, text: string): YarnEntry[] {
  let doc: unknown;
  try {
    doc = yamlLibrary().parse(text);
  } catch (err) {
    throw badInput(path, 'invalid YAML', err);
  }
  if (!isRecord(doc)) throw badInput(path, 'not a yarn lockfile');
  const entries: YarnEntry[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (key === '__metadata' || !isRecord(value)) continue;
    const deps = isRecord(value.dependencies)
      ? Object.entries(value.dependencies).map(([n, r]) => `${n}@${String(r)}`)
      : [];
    entries.push({
      descriptors: key.split(/,\s*/).map((d) => d.trim()),
      version: str(value.version),
      resolution: str(value.resolution),
      deps,
    });
  }
  return entries;
}

/** Protocols that name the project's own workspaces or local folders, not published packages. */
const LOCAL_RESOLUTION = /@(?:workspace|link|portal|file):/;

export const yarnLockAnalyzer: Analyzer = {
  name: 'yarn-lock',
  version: 1,
  wants: { names: ['yarn.lock'] },
  required: (path, info) =>
    info.type === 'file' && hasName(path, 'yarn.lock') && !path.includes('node_modules/'),
  async analyze({ info, content }) {
    const path = info.path;
    const text = (await content.buffer()).toString('utf8');
    const berry = /^__metadata:/m.test(text);
    const entries = berry ? parseBerry(path, text) : parseClassic(text);
    if (
      !berry &&
      entries.length > 0 &&
      !/^# yarn lockfile v1/m.test(text) &&
      !entries.some((e) => e.version)
    ) {
      throw badInput(path, 'not a yarn lockfile');
    }
    const idByDescriptor = new Map<string, string>();
    const located: { entry: YarnEntry; name: string; version: string }[] = [];
    for (const entry of entries) {
      if (!entry.version || (entry.resolution && LOCAL_RESOLUTION.test(entry.resolution))) continue;
      const first = entry.descriptors[0];
      if (!first) continue;
      let name = descriptorName(entry.resolution ?? first);
      // An alias `alias@npm:real@^1` installs `real`.
      const range = first.slice(descriptorName(first).length + 1);
      if (!entry.resolution && range.startsWith('npm:') && range.lastIndexOf('@') > 4) {
        name = descriptorName(range.slice(4));
      }
      const id = langPackageId(NPM, name, entry.version, path);
      for (const d of entry.descriptors) idByDescriptor.set(d, id);
      located.push({ entry, name, version: entry.version });
    }
    const pkgs: Package[] = located.map(({ entry, name, version }) =>
      langPackage(NPM, path, 'declared', {
        name,
        version,
        dependsOn: entry.deps.map((d) => idByDescriptor.get(d)).filter((d): d is string => d !== undefined),
      }),
    );
    return { packages: keepKnownDeps(uniqueById(pkgs)) };
  },
};
