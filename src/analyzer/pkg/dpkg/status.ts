import type { Package } from '../../../core/package.js';
import { disambiguateIds, FileErrors, osPackageId, osPurl } from '../../common/os-package.js';
import { parseControl, type Stanza } from './control.js';

/**
 * dpkg states whose files are all on disk: installed, and configured packages waiting only for
 * triggers. config-files, half-installed, unpacked and half-configured packages are left out
 * (dpkg-query shows them, but their files are missing or not yet set up). The "want" word does not
 * matter: "deinstall ok installed" is still installed until apt removes it.
 */
const PRESENT_STATES = new Set(['installed', 'triggers-awaited', 'triggers-pending']);

export interface StatusOptions {
  path: string;
  analyzer: string;
  layerDiffId: string;
  /** distroless status.d stanzas come from control files and carry no Status field. */
  statusOptional: boolean;
}

export function packagesFromStatus(
  buf: Buffer,
  opts: StatusOptions,
): { packages: Package[]; errors: FileErrors } {
  const errors = new FileErrors(opts.path, opts.analyzer);
  const { stanzas, badLines } = parseControl(buf, opts.path);
  if (badLines.length)
    errors.add(`malformed lines (not "Field: value" nor a continuation): ${summarize(badLines)}`);
  const packages: Package[] = [];
  const relations = new Map<Package, string>();
  for (const stanza of stanzas) {
    const pkg = packageFromStanza(stanza, opts, errors);
    if (!pkg) continue;
    packages.push(pkg);
    const deps = [stanza.fields.get('pre-depends'), stanza.fields.get('depends')].filter(Boolean).join(', ');
    if (deps) relations.set(pkg, deps);
  }
  disambiguateIds(packages);
  resolveDepends(packages, relations, stanzasProvides(stanzas, packages));
  return { packages, errors };
}

function packageFromStanza(stanza: Stanza, opts: StatusOptions, errors: FileErrors): Package | undefined {
  const f = stanza.fields;
  const name = f.get('package');
  if (!name) {
    errors.add(`stanza at line ${stanza.line} has no Package field`);
    return undefined;
  }
  const status = f.get('status');
  if (status === undefined && !opts.statusOptional) {
    errors.add(`package ${name} (line ${stanza.line}) has no Status field`);
    return undefined;
  }
  if (status !== undefined && !PRESENT_STATES.has(status.split(/\s+/)[2] ?? '')) return undefined;
  const version = f.get('version');
  if (!version) {
    errors.add(`package ${name} (line ${stanza.line}) has no Version field`);
    return undefined;
  }
  const arch = f.get('architecture');
  // "Source: src" or "Source: src (srcversion)" when the source version differs.
  const source = /^(\S+)(?:\s+\((\S+)\))?/.exec(f.get('source') ?? '');
  const pkg: Package = {
    id: osPackageId('dpkg', name, version),
    name,
    version,
    type: 'dpkg',
    ecosystem: 'Debian',
    purl: osPurl({ type: 'dpkg', namespace: 'debian', name, version, arch }),
    srcName: source?.[1] ?? name,
    srcVersion: source?.[2] ?? version,
    origin: 'installed',
    locations: [{ path: opts.path, layerDiffId: opts.layerDiffId }],
  };
  if (arch) pkg.arch = arch;
  const maintainer = f.get('maintainer');
  if (maintainer) pkg.properties = { maintainer };
  return pkg;
}

/** Virtual package names (Provides) of each package, to resolve dependencies on them. */
function stanzasProvides(stanzas: Stanza[], packages: Package[]): Map<string, Package[]> {
  const byName = new Map(packages.map((p) => [`${p.name} ${p.arch ?? ''}`, p]));
  const provides = new Map<string, Package[]>();
  for (const s of stanzas) {
    const pkg = byName.get(`${s.fields.get('package')} ${s.fields.get('architecture') ?? ''}`);
    if (!pkg) continue;
    for (const name of relationNames(s.fields.get('provides') ?? ''))
      provides.set(name, [...(provides.get(name) ?? []), pkg]);
  }
  return provides;
}

/** "foo (>= 1), bar:any | baz" → [["foo"], ["bar", "baz"]]: one list of alternatives per clause. */
function relationClauses(field: string): string[][] {
  return field
    .split(',')
    .map((clause) => clause.split('|').map((alt) => /^\s*([^\s(:[]+)/.exec(alt)?.[1] ?? ''))
    .map((alts) => alts.filter(Boolean))
    .filter((alts) => alts.length > 0);
}

function relationNames(field: string): string[] {
  return relationClauses(field).flat();
}

/**
 * Depends and Pre-Depends → ids, loosely: each clause takes its first alternative that is installed
 * by name, else the first one some installed package Provides; among several candidates (multi-arch)
 * the depender's own architecture, then "all", then the first. Unsatisfied clauses are skipped.
 */
function resolveDepends(
  packages: Package[],
  relations: Map<Package, string>,
  provides: Map<string, Package[]>,
): void {
  const byName = new Map<string, Package[]>();
  for (const p of packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  for (const [pkg, field] of relations) {
    const ids = new Set<string>();
    for (const alts of relationClauses(field)) {
      const candidates =
        alts.map((a) => byName.get(a)).find(Boolean) ?? alts.map((a) => provides.get(a)).find(Boolean);
      if (!candidates) continue;
      const target =
        candidates.find((c) => c.arch === pkg.arch) ??
        candidates.find((c) => c.arch === 'all') ??
        candidates[0];
      if (target && target !== pkg) ids.add(target.id);
    }
    if (ids.size) pkg.dependsOn = [...ids].sort();
  }
}

function summarize(lines: number[]): string {
  const shown = lines.slice(0, 10).join(', ');
  return lines.length > 10
    ? `lines ${shown} and ${lines.length - 10} more`
    : `line${lines.length > 1 ? 's' : ''} ${shown}`;
}
