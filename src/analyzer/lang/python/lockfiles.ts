import { tomlLibrary } from '../../../core/lazy.js';
import type { Package } from '../../../core/package.js';
import type { Analyzer, FileContent } from '../../types.js';
import { pep503Name } from '../../common/purl.js';
import {
  PYTHON,
  badInput,
  basename,
  hasName,
  isRecord,
  keepKnownDeps,
  langPackage,
  langPackageId,
  markDevOnly,
  readJson,
  str,
  uniqueById,
} from '../lang-package.js';

type Json = Record<string, unknown>;

async function readToml(path: string, content: FileContent): Promise<Json> {
  try {
    return tomlLibrary().parse((await content.buffer()).toString('utf8')) as Json;
  } catch (err) {
    throw badInput(path, 'invalid TOML', err);
  }
}

function tomlPackages(path: string, doc: Json): Json[] {
  if (!Array.isArray(doc.package)) throw badInput(path, 'no [[package]] entries');
  return doc.package.filter(isRecord);
}

/** Lockfiles name dependencies loosely (`Foo_Bar`); resolve them by PEP 503 name within the file. */
function idsByName(path: string, entries: { name: string; version: string }[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const e of entries) {
    const key = pep503Name(e.name);
    if (!ids.has(key)) ids.set(key, langPackageId(PYTHON, e.name, e.version, path));
  }
  return ids;
}

export const poetryLockAnalyzer: Analyzer = {
  name: 'poetry-lock',
  version: 1,
  wants: { names: ['poetry.lock'] },
  required: (path, info) => info.type === 'file' && hasName(path, 'poetry.lock'),
  async analyze({ info, content }) {
    const path = info.path;
    const entries = tomlPackages(path, await readToml(path, content)).flatMap((p) => {
      const name = str(p.name);
      const version = str(p.version);
      return name && version ? [{ name, version, raw: p }] : [];
    });
    const ids = idsByName(path, entries);
    const pkgs = entries.map(({ name, version, raw }) =>
      langPackage(PYTHON, path, 'declared', {
        name,
        version,
        // Poetry before 1.2 wrote `category = "dev"`; later versions keep groups in pyproject.toml only.
        dev: raw.category === 'dev',
        dependsOn: Object.keys(isRecord(raw.dependencies) ? raw.dependencies : {})
          .map((d) => ids.get(pep503Name(d)))
          .filter((d): d is string => d !== undefined),
      }),
    );
    return { packages: keepKnownDeps(uniqueById(pkgs)) };
  },
};

export const uvLockAnalyzer: Analyzer = {
  name: 'uv-lock',
  version: 1,
  wants: { names: ['uv.lock'] },
  required: (path, info) => info.type === 'file' && hasName(path, 'uv.lock'),
  async analyze({ info, content }) {
    const path = info.path;
    const all = tomlPackages(path, await readToml(path, content));
    const isProject = (p: Json): boolean =>
      isRecord(p.source) && ('editable' in p.source || 'virtual' in p.source);
    const entries = all.flatMap((p) => {
      const name = str(p.name);
      const version = str(p.version);
      return name && version && !isProject(p) ? [{ name, version, raw: p }] : [];
    });
    const ids = idsByName(path, entries);
    const depIds = (list: unknown): string[] =>
      (Array.isArray(list) ? list : [])
        .map((d) => (isRecord(d) && typeof d.name === 'string' ? ids.get(pep503Name(d.name)) : undefined))
        .filter((d): d is string => d !== undefined);
    const pkgs = keepKnownDeps(
      uniqueById(
        entries.map(({ name, version, raw }) =>
          langPackage(PYTHON, path, 'declared', { name, version, dependsOn: depIds(raw.dependencies) }),
        ),
      ),
    );
    // The project's own entries say which direct dependencies are for development.
    const projects = all.filter(isProject);
    const groups = (p: Json, field: string): unknown[] =>
      Object.values(isRecord(p[field]) ? p[field] : {}).flat();
    markDevOnly(
      pkgs,
      projects.flatMap((p) => [...depIds(p.dependencies), ...depIds(groups(p, 'optional-dependencies'))]),
      projects.flatMap((p) => depIds(groups(p, 'dev-dependencies'))),
    );
    return { packages: pkgs };
  },
};

export const pipfileLockAnalyzer: Analyzer = {
  name: 'pipfile-lock',
  version: 1,
  wants: { names: ['Pipfile.lock'] },
  required: (path, info) => info.type === 'file' && hasName(path, 'Pipfile.lock'),
  async analyze({ info, content }) {
    const doc = await readJson(info.path, content);
    if (!isRecord(doc)) throw badInput(info.path, 'not a Pipfile.lock (expected a JSON object)');
    const pkgs: Package[] = [];
    for (const [section, dev] of [
      ['default', false],
      ['develop', true],
    ] as const) {
      for (const [name, spec] of Object.entries(isRecord(doc[section]) ? doc[section] : {})) {
        // Editable and VCS entries have no `version`.
        const version = isRecord(spec) ? str(spec.version)?.replace(/^===?/, '') : undefined;
        if (version) pkgs.push(langPackage(PYTHON, info.path, 'declared', { name, version, dev }));
      }
    }
    return { packages: uniqueById(pkgs) };
  },
};

/** `name[extras] == version`, after markers, options and comments are gone. */
const PINNED = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)$/;

export function parseRequirements(text: string): { name: string; version: string }[] {
  const out: { name: string; version: string }[] = [];
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw
      .replace(/(^|\s)#.*$/, '')
      .replace(/\s--?[a-z][\w-]*(?:[= ]\S+)?/g, '')
      .replace(/;.*$/, '')
      .trim();
    // -r, -c, -e, --index-url …: includes and options name no package pinned here.
    if (line === '' || line.startsWith('-')) continue;
    const m = PINNED.exec(line);
    if (m) out.push({ name: m[1] as string, version: m[2] as string });
  }
  return out;
}

export const requirementsAnalyzer: Analyzer = {
  name: 'pip-requirements',
  version: 1,
  wants: { extensions: ['.txt'] },
  required: (path, info) =>
    info.type === 'file' && path.endsWith('.txt') && /^requirements[\w.-]*\.txt$/.test(basename(path)),
  async analyze({ info, content }) {
    const reqs = parseRequirements((await content.buffer()).toString('utf8'));
    return { packages: uniqueById(reqs.map((r) => langPackage(PYTHON, info.path, 'declared', r))) };
  },
};
