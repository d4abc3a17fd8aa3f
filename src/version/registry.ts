// Which comparator orders which OSV ecosystem. An explicit list: registry.test.ts checks that
// every comparator module is listed here and that every ecosystem of the OSV fixtures has one.
import { apkComparator } from './apk.js';
import { dpkgComparator } from './dpkg.js';
import { goComparator } from './go.js';
import { mavenComparator } from './maven.js';
import { nuGetComparator } from './nuget.js';
import { packagistComparator } from './packagist.js';
import { pep440Comparator } from './pep440.js';
import { rpmComparator } from './rpm.js';
import { rubyGemsComparator } from './rubygems.js';
import { pubComparator, semverComparator } from './semver.js';
import type { VersionComparator } from './types.js';

export interface ComparatorFamily {
  make(ecosystem: string): VersionComparator;
  /** OSV ecosystem names without their release suffix ("Debian", not "Debian:12"). */
  ecosystems: readonly string[];
}

export const comparatorFamilies: readonly ComparatorFamily[] = [
  { make: dpkgComparator, ecosystems: ['Debian', 'Ubuntu'] },
  { make: apkComparator, ecosystems: ['Alpine', 'Wolfi', 'Chainguard'] },
  {
    make: rpmComparator,
    ecosystems: [
      'Red Hat',
      'Rocky Linux',
      'AlmaLinux',
      'openSUSE',
      'SUSE',
      'Mageia',
      'openEuler',
      'Photon OS',
      'Azure Linux',
    ],
  },
  { make: semverComparator, ecosystems: ['npm', 'crates.io', 'SwiftURL', 'Hex'] },
  { make: pubComparator, ecosystems: ['Pub'] },
  { make: goComparator, ecosystems: ['Go'] },
  { make: pep440Comparator, ecosystems: ['PyPI'] },
  { make: mavenComparator, ecosystems: ['Maven'] },
  { make: rubyGemsComparator, ecosystems: ['RubyGems'] },
  { make: nuGetComparator, ecosystems: ['NuGet'] },
  { make: packagistComparator, ecosystems: ['Packagist'] },
];

export const comparators: ReadonlyMap<string, VersionComparator> = new Map(
  comparatorFamilies.flatMap((family) => family.ecosystems.map((name) => [name, family.make(name)] as const)),
);
