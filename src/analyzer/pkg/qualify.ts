import type { OsInfo, Package } from '../../core/package.js';
import { osPurl, type OsPackageType } from '../common/os-package.js';

/** The package format each os-release ID installs with; unknown IDs accept any. */
const FORMAT_BY_FAMILY: Record<string, OsPackageType> = {
  debian: 'dpkg',
  ubuntu: 'dpkg',
  alpine: 'apk',
  wolfi: 'apk',
  chainguard: 'apk',
  minimos: 'apk',
  ...Object.fromEntries(
    (
      'rhel centos rocky almalinux fedora ol amzn photon azurelinux mariner mageia openeuler ' +
      'opensuse opensuse-leap opensuse-leap-micro opensuse-tumbleweed sles sled sles_sap sle-micro sle_hpc'
    )
      .split(' ')
      .map((f) => [f, 'rpm' as const]),
  ),
};

/** purl namespaces where the distro's name differs from its os-release ID. */
const PURL_NAMESPACE: Record<string, string> = {
  rhel: 'redhat',
  ol: 'oracle',
  amzn: 'amazon',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  'opensuse-leap-micro': 'opensuse',
  sles: 'suse',
  sled: 'suse',
  sles_sap: 'suse',
  'sle-micro': 'suse',
  sle_hpc: 'suse',
};

const OS_TYPES = new Set<string>(['dpkg', 'apk', 'rpm']);

/** The VENDOR of each rpm distro's own builds; any other vendor is a third-party repository. */
const DISTRO_VENDOR: Record<string, RegExp> = {
  rhel: /^Red Hat/i,
  centos: /^CentOS/i,
  rocky: /^Rocky/i,
  almalinux: /^AlmaLinux/i,
  fedora: /^Fedora Project/i,
  ol: /^Oracle/i,
  amzn: /^Amazon/i,
  opensuse: /SUSE/i,
  'opensuse-leap': /SUSE/i,
  'opensuse-tumbleweed': /SUSE/i,
  'opensuse-leap-micro': /SUSE/i,
  sles: /^SUSE/i,
  photon: /^VMware|^Broadcom/i,
  azurelinux: /^Microsoft/i,
  mariner: /^Microsoft/i,
  mageia: /^Mageia/i,
};

/**
 * OS package analyzers read one file and cannot know the release: they give dpkg packages the bare
 * "Debian" ecosystem, apk "Alpine", rpm none, and purls without a distro. Once the applier has
 * picked the OS, this sets each OS package's ecosystem to the release's OSV ecosystem (empty when
 * OSV has none for it) and its purl's namespace and `distro=<ID>-<VERSION_ID>` qualifier.
 * rpm packages whose VENDOR is not the distro's (EPEL on CentOS, Docker's repository) are marked
 * thirdParty: distro advisories do not cover them. Packages of another format than the OS's (a
 * stray rpm database on Debian) are left as they are.
 */
export function qualifyOsPackages(packages: readonly Package[], os: OsInfo | undefined): Package[] {
  if (!os) return [...packages];
  const format = FORMAT_BY_FAMILY[os.family];
  return packages.map((p) => {
    if (!OS_TYPES.has(p.type) || (format && format !== p.type)) return p;
    const type = p.type as OsPackageType;
    const epochMatch = type === 'rpm' ? /^(\d+):(.*)$/.exec(p.version) : null;
    const purl = osPurl({
      type,
      namespace: PURL_NAMESPACE[os.family] ?? os.family,
      name: p.name,
      version: epochMatch ? (epochMatch[2] as string) : p.version,
      epoch: epochMatch?.[1],
      arch: p.arch,
      distro: os.version ? `${os.family}-${os.version}` : os.family,
    });
    const vendor = p.properties?.vendor;
    const distroVendor = DISTRO_VENDOR[os.family];
    const thirdParty =
      type === 'rpm' && vendor !== undefined && distroVendor !== undefined && !distroVendor.test(vendor);
    return { ...p, ecosystem: os.ecosystem ?? '', purl, ...(thirdParty ? { thirdParty } : {}) };
  });
}
