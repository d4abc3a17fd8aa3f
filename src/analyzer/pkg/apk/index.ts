import type { Package } from '../../../core/package.js';
import { BosunError } from '../../../core/errors.js';
import { disambiguateIds, FileErrors, osPackageId, osPurl } from '../../common/os-package.js';
import type { Analyzer, AnalyzerOutput, FileInfo, OwnedFiles } from '../../types.js';

const INSTALLED = 'lib/apk/db/installed';

interface Entry {
  pkg: Package;
  line: number;
  depends: string[];
  files: string[];
}

/**
 * lib/apk/db/installed: one block per package, blank-line separated, one `X:value` per line.
 * P name, V version, A arch, o origin (source package), L licence, m maintainer, D dependencies,
 * p provides, F a directory and R a file in the last F.
 */
export function parseInstalled(buf: Buffer, path: string, layerDiffId: string): AnalyzerOutput {
  if (buf.subarray(0, 64 * 1024).includes(0)) {
    throw new BosunError('badInput', `${path}: not an apk installed database (binary content)`, {
      subject: path,
    });
  }
  const errors = new FileErrors(path, 'apk');
  const entries: Entry[] = [];
  const provides = new Map<string, Entry>();
  let fields = new Map<string, string>();
  let entry:
    { line: number; depends: string[]; provides: string[]; files: string[]; dir: string } | undefined;
  const finish = (): void => {
    if (!entry) return;
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version) {
      errors.add(`package block at line ${entry.line} has no ${name ? 'V (version)' : 'P (name)'} field`);
    } else {
      const arch = fields.get('A');
      const pkg: Package = {
        id: osPackageId('apk', name, version),
        name,
        version,
        type: 'apk',
        ecosystem: 'Alpine',
        purl: osPurl({ type: 'apk', namespace: 'alpine', name, version, arch }),
        srcName: fields.get('o') ?? name,
        srcVersion: version,
        origin: 'installed',
        locations: [{ path, layerDiffId }],
      };
      if (arch) pkg.arch = arch;
      const license = fields.get('L');
      if (license) pkg.licenses = [license];
      const maintainer = fields.get('m');
      if (maintainer) pkg.properties = { maintainer };
      const done: Entry = { pkg, line: entry.line, depends: entry.depends, files: entry.files };
      entries.push(done);
      for (const p of entry.provides) if (!provides.has(p)) provides.set(p, done);
    }
    entry = undefined;
    fields = new Map();
  };
  const lines = buf.toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line === '') {
      finish();
      continue;
    }
    if (line[1] !== ':') {
      errors.add(`line ${i + 1} is not an "X:value" field`);
      continue;
    }
    entry ??= { line: i + 1, depends: [], provides: [], files: [], dir: '' };
    const key = line[0] as string;
    const value = line.slice(2);
    switch (key) {
      case 'F':
        entry.dir = value;
        break;
      case 'R':
        entry.files.push(entry.dir ? `${entry.dir}/${value}` : value);
        break;
      case 'D':
        entry.depends.push(
          ...value
            .split(/\s+/)
            .filter((d) => d && !d.startsWith('!'))
            .map(depName),
        );
        break;
      case 'p':
        entry.provides.push(...value.split(/\s+/).filter(Boolean).map(depName));
        break;
      default:
        if (!fields.has(key)) fields.set(key, value);
    }
  }
  finish();
  const packages = entries.map((e) => e.pkg);
  disambiguateIds(packages);
  resolveDepends(entries, provides);
  const ownedFiles: OwnedFiles[] = entries
    .filter((e) => e.files.length > 0)
    .map((e) => ({ ownerType: 'apk', ownerName: e.pkg.name, files: e.files }));
  return { packages, ownedFiles, errors: errors.toArray() };
}

/** "so:libc.musl-x86_64.so.1=1", "musl>=1.1", "pc:zlib~1" → the name before any version operator. */
function depName(token: string): string {
  return token.split(/[<>=~]/)[0] as string;
}

/**
 * D: tokens → ids, best effort: a package name first, then a `p:` provide (so:, cmd:, pc:, paths),
 * then a path one of the packages installed. Unresolved tokens are skipped.
 */
function resolveDepends(entries: Entry[], provides: Map<string, Entry>): void {
  const byName = new Map(entries.map((e) => [e.pkg.name, e]));
  const byFile = new Map(entries.flatMap((e) => e.files.map((f) => [f, e] as const)));
  for (const e of entries) {
    const ids = new Set<string>();
    for (const d of e.depends) {
      const target =
        byName.get(d) ?? provides.get(d) ?? (d.startsWith('/') ? byFile.get(d.slice(1)) : undefined);
      if (target && target !== e) ids.add(target.pkg.id);
    }
    if (ids.size) e.pkg.dependsOn = [...ids].sort();
  }
}

export const apkAnalyzer: Analyzer = {
  name: 'apk',
  version: 1,
  wants: { names: ['installed'] },
  required(path: string, info: FileInfo): boolean {
    return path === INSTALLED && info.type === 'file';
  },
  async analyze({ info, content, layer }) {
    return parseInstalled(await content.buffer(), info.path, layer.diffId);
  },
};
