/** Where a package was found, and the layer that put it there. */
export interface Location {
  /** Path inside the image or directory, without a leading slash. */
  path: string;
  layerDiffId?: string;
}

/** How a package is known: installed in the filesystem, or declared in a lockfile or manifest. */
export type PackageOrigin = 'installed' | 'declared';

export interface Package {
  /** Stable key within one artifact: `${type}:${name}@${version}` plus the path for language packages. */
  id: string;
  name: string;
  version: string;
  /** Package format: dpkg, apk, rpm, npm, python, gomod, gobinary, jar, gem, cargo, composer, nuget. */
  type: string;
  /** OSV ecosystem with release where it has one: "Debian:12", "Alpine:v3.19", "npm", "PyPI". */
  ecosystem: string;
  purl: string;
  /** OS packages: the source package, which is what distro advisories name. */
  srcName?: string;
  srcVersion?: string;
  arch?: string;
  licenses?: string[];
  origin?: PackageOrigin;
  /** npm and friends: a development-only dependency. */
  dev?: boolean;
  locations: Location[];
  /** ids of the packages this one depends on, where the format records them. */
  dependsOn?: string[];
  /** A language package whose files an OS package installed: that OS package's id. */
  ownerId?: string;
  /** Set on OS packages not built by the distro (third-party repositories). */
  thirdParty?: boolean;
  /** rpm modularity label, Debian Maintainer, and other format-specific facts worth keeping. */
  properties?: Record<string, string>;
}

export interface OsInfo {
  /** os-release ID: debian, ubuntu, alpine, rhel, rocky, almalinux, opensuse-leap, wolfi, … */
  family: string;
  version: string;
  /** Human name, e.g. "Debian GNU/Linux 12 (bookworm)". */
  name?: string;
  /** The OSV ecosystem for this release, e.g. "Debian:12"; undefined when OSV has none. */
  ecosystem?: string;
}

/** Packages from an OS package manager, matched through distro advisories. */
export function isOsPackage(pkg: Pick<Package, 'type'>): boolean {
  return pkg.type === 'dpkg' || pkg.type === 'apk' || pkg.type === 'rpm';
}
