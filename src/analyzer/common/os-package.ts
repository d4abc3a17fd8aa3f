import { purlLibrary } from '../../core/lazy.js';
import type { Package } from '../../core/package.js';
import type { FileError } from '../../core/report.js';

export type OsPackageType = 'dpkg' | 'apk' | 'rpm';

const PURL_TYPE: Record<OsPackageType, string> = { dpkg: 'deb', apk: 'apk', rpm: 'rpm' };

export interface OsPurlParts {
  type: OsPackageType;
  /** The distro: debian, ubuntu, alpine, redhat…; rpm packages have none until the OS is known. */
  namespace?: string;
  name: string;
  /** deb and apk: the full version (a deb epoch stays in it); rpm: version-release, epoch apart. */
  version: string;
  arch?: string;
  epoch?: string;
  /** `<os-release ID>-<VERSION_ID>`, e.g. debian-12. */
  distro?: string;
}

/** The package URL of an OS package, per the purl spec's deb, apk and rpm types. */
export function osPurl(p: OsPurlParts): string {
  const qualifiers: Record<string, string> = {};
  if (p.arch) qualifiers.arch = p.arch;
  if (p.epoch && p.epoch !== '0') qualifiers.epoch = p.epoch;
  if (p.distro) qualifiers.distro = p.distro;
  return new (purlLibrary().PackageURL)(
    PURL_TYPE[p.type],
    p.namespace,
    p.name,
    p.version,
    qualifiers,
    undefined,
  ).toString();
}

/** The contract's package id: `${type}:${name}@${version}`. */
export function osPackageId(type: OsPackageType, name: string, version: string): string {
  return `${type}:${name}@${version}`;
}

/**
 * Multi-arch (dpkg) and multilib (rpm) installs hold the same name and version twice; those ids
 * get `:<arch>` appended, for every member of the clash, so ids stay stable whatever the order.
 * Call it before anything refers to the ids (dependsOn).
 */
export function disambiguateIds(packages: readonly Package[]): void {
  const byId = new Map<string, Package[]>();
  for (const p of packages) byId.set(p.id, [...(byId.get(p.id) ?? []), p]);
  for (const [id, group] of byId) {
    if (group.length > 1) for (const p of group) p.id = `${id}:${p.arch ?? ''}`;
  }
}

/** Errors past this many in one file are summed up in one last message. */
const MAX_ERRORS_PER_FILE = 20;

/** Collects a file's problems without flooding the report when the file is garbage. */
export class FileErrors {
  private readonly list: FileError[] = [];
  private dropped = 0;

  constructor(
    private readonly path: string,
    private readonly analyzer: string,
  ) {}

  add(message: string): void {
    if (this.list.length < MAX_ERRORS_PER_FILE)
      this.list.push({ path: this.path, analyzer: this.analyzer, message });
    else this.dropped++;
  }

  get count(): number {
    return this.list.length + this.dropped;
  }

  toArray(): FileError[] | undefined {
    if (this.count === 0) return undefined;
    const more = this.dropped
      ? [
          {
            path: this.path,
            analyzer: this.analyzer,
            message: `… and ${this.dropped} more problems in this file`,
          },
        ]
      : [];
    return [...this.list, ...more];
  }
}
